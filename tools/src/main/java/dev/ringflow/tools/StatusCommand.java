package dev.ringflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.io.metrics.MetricsBind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ringflow status}: a running daemon's figures, read from its metrics endpoint, in a few terminal lines.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
        "Prints a running daemon's state from its metrics endpoint (GET /status.json): readiness, input and " +
            "output rates, bad input, end-to-end latency quantiles of the last seconds, ring fill, worker busy " +
            "ratio, last transaction commit, and the lag of every input partition.",
        "For the full set of figures, scrape /metrics with Prometheus (docs/operations.md lists them)." },
    footer = {
        "",
        "Exit codes: 0 the daemon is ready, 1 it answers but is not ready (the reason is printed), " +
            "2 it cannot be reached (or bad usage)." })
final class StatusCommand implements Callable<Integer>
{
    static final int EXIT_UNREACHABLE = 2;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://" + MetricsBind.DEFAULT,
        description = "The daemon's metrics endpoint (its --metrics-bind). Default: ${DEFAULT-VALUE}.")
    private URI url;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
        description = "How long to wait for the daemon's answer. Default: ${DEFAULT-VALUE}.")
    private long timeoutSeconds;

    @Override
    public Integer call()
    {
        final PrintStream out = System.out;
        final String body;
        final URI status = url.resolve("/status.json");
        try
        {
            final HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(Math.max(1, timeoutSeconds))).build();
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(status)
                .timeout(Duration.ofSeconds(Math.max(1, timeoutSeconds))).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200)
            {
                System.err.println("ringflow: " + status + " answered HTTP " + response.statusCode() +
                    ": is this a ringflow daemon's metrics endpoint?");
                return EXIT_UNREACHABLE;
            }
            body = response.body();
        }
        catch (final IOException ex)
        {
            System.err.println("ringflow: cannot reach a daemon at " + url + " (" + ex + "); is it running, " +
                "and with which --metrics-bind?");
            return EXIT_UNREACHABLE;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return EXIT_UNREACHABLE;
        }
        final JsonNode root;
        try
        {
            root = new ObjectMapper().readTree(body);
        }
        catch (final IOException ex)
        {
            System.err.println("ringflow: " + status + " did not answer JSON: " + ex.getMessage());
            return EXIT_UNREACHABLE;
        }
        print(root, System.currentTimeMillis(), out);
        return "ready".equals(root.path("status").asText()) ? RingflowCommand.EXIT_OK : RingflowCommand.EXIT_FAILURE;
    }

    /** The summary of a {@code /status.json} document, as of wall-clock time {@code nowMs}. */
    static void print(final JsonNode root, final long nowMs, final PrintStream out)
    {
        final boolean ready = "ready".equals(root.path("status").asText());
        out.println(ready ? "READY" : "NOT READY: " + root.path("reason").asText());
        for (final JsonNode pipeline : root.path("pipelines"))
        {
            out.printf(Locale.ROOT, "pipeline %s%s%n", pipeline.path("name").asText(),
                pipeline.path("ready").asBoolean() ? "" : " (not ready: " + pipeline.path("reason").asText() + ")");
            out.printf(Locale.ROOT, "  rate     in %,.0f/s  out %,.0f/s   total in %,d  out %,d%n",
                pipeline.path("in_per_second").asDouble(), pipeline.path("out_per_second").asDouble(),
                pipeline.path("events_in").asLong(), pipeline.path("events_out").asLong());
            out.printf(Locale.ROOT, "  errors   bad input %,d  dead-lettered %,d  late %,d%n",
                pipeline.path("bad_input").asLong(), pipeline.path("dead_lettered").asLong(),
                pipeline.path("late").asLong());
            final JsonNode latency = pipeline.path("latency");
            out.printf(Locale.ROOT, "  latency  end to end p50 %s  p99 %s  p99.9 %s  (%,d sampled inputs, last 5-10 s)%n",
                millis(latency.path("p50_ms").asDouble()), millis(latency.path("p99_ms").asDouble()),
                millis(latency.path("p999_ms").asDouble()), latency.path("count").asLong());
            out.printf(Locale.ROOT, "  engine   ring %,d/%,d slots  worker busy %.0f%%%s%n",
                pipeline.path("ring_used").asLong(), pipeline.path("ring_capacity").asLong(),
                100 * pipeline.path("busy_ratio").asDouble(), lastCommit(pipeline, nowMs));
            final StringBuilder lag = new StringBuilder();
            for (final JsonNode partition : pipeline.path("partitions"))
            {
                final long partitionLag = partition.path("lag").asLong();
                lag.append(lag.length() == 0 ? "" : "  ").append(partition.path("topic").asText()).append('-')
                    .append(partition.path("partition").asInt()).append(' ')
                    .append(partitionLag < 0 ? "?" : String.format(Locale.ROOT, "%,d", partitionLag));
            }
            out.println("  lag      " + (lag.length() == 0 ? "(no partitions assigned)" : lag));
        }
    }

    private static String lastCommit(final JsonNode pipeline, final long nowMs)
    {
        if (!pipeline.has("last_commit_epoch_ms"))
        {
            return "";
        }
        final long lastMs = pipeline.path("last_commit_epoch_ms").asLong();
        final String when = lastMs <= 0 ? "none yet" :
            String.format(Locale.ROOT, "%.1f s ago", Math.max(0, nowMs - lastMs) / 1e3) +
                (pipeline.has("last_commit_ms") ? ", took " + millis(pipeline.path("last_commit_ms").asDouble()) : "");
        return String.format(Locale.ROOT, "  last commit %s (%,d commits, %,d aborted)", when,
            pipeline.path("commits").asLong(), pipeline.path("aborts").asLong());
    }

    private static String millis(final double ms)
    {
        return ms >= 10 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.3f ms", ms);
    }
}
