package dev.ringflow.tools;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics and health endpoint of a daemon under test: found through the address the daemon logs at start, read
 * with the JDK's HTTP client.
 */
final class DaemonEndpoint
{
    private static final Pattern METRICS_URL = Pattern.compile("metrics on (http://127\\.0\\.0\\.1:\\d+)/metrics");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DaemonEndpoint()
    {
    }

    /** The endpoint's base URL ({@code http://127.0.0.1:PORT}), once {@code log} shows the daemon has logged it. */
    static String awaitUrl(final Supplier<String> log, final long timeoutMs)
    {
        final String[] url = new String[1];
        KafkaTestSupport.awaitUntil("the daemon logs its metrics URL", () ->
        {
            final Matcher matcher = METRICS_URL.matcher(log.get());
            url[0] = matcher.find() ? matcher.group(1) : null;
            return null != url[0];
        }, timeoutMs);
        return url[0];
    }

    /** The body of {@code GET url path}, which must answer 200. */
    static String get(final String url, final String path)
    {
        try
        {
            final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
            return response.body();
        }
        catch (final IOException ex)
        {
            throw new AssertionError("GET " + url + path + " failed: " + ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
