package dev.ringflow.io.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * The test's own reading of the endpoint, with the JDK's HTTP client: GETs, and the Prometheus text format read
 * line by line (independent of the client library that wrote it).
 */
final class Scrape
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Scrape()
    {
    }

    /** A response's status and body. */
    record Response(int status, String body)
    {
    }

    static Response get(final URI base, final String path)
    {
        final HttpResponse<String> response = send(base, path);
        return new Response(response.statusCode(), response.body());
    }

    /** A response header's value, or null without it. */
    static String header(final URI base, final String path, final String name)
    {
        return send(base, path).headers().firstValue(name).orElse(null);
    }

    private static HttpResponse<String> send(final URI base, final String path)
    {
        try
        {
            return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        }
        catch (final IOException ex)
        {
            throw new AssertionError("GET " + base.resolve(path) + " failed: " + ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /**
     * The sum of the samples of {@code name} whose labels include every {@code key="value"} given; NaN when no
     * sample matches.
     */
    static double value(final String text, final String name, final String... labels)
    {
        double sum = 0;
        boolean found = false;
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " ")))
            {
                continue;
            }
            boolean matches = true;
            for (final String label : labels)
            {
                matches &= line.contains(label);
            }
            if (matches)
            {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    static void awaitUntil(final String what, final BooleanSupplier condition, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                fail(what + ": not within " + timeoutMs + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
