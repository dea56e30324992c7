package dev.ringflow.io.metrics;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.InMemorySource;
import dev.ringflow.engine.Sink;
import dev.ringflow.engine.SinkException;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The endpoint without Kafka: metric names in the text format, health answers, the bind address rules.
 */
class MetricsServerTest
{
    private MetricsServer server;
    private Engine engine;

    @AfterEach
    void close()
    {
        if (null != engine)
        {
            engine.close();
        }
        if (null != server)
        {
            server.close();
        }
    }

    @Test
    void shouldServeCountersWithPrometheusNamesAndLatencyAsAHistogram()
    {
        server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0));
        final CountingSink sink = new CountingSink(Long.MAX_VALUE);
        final InMemorySource source = new InMemorySource();
        engine = Engine.start(spec(), source, sink);
        server.register(new PipelineMetrics(engine, null, null, null));
        for (int i = 0; i < 100; i++)
        {
            source.offer(record(i, i == 50 ? "not a number" : Integer.toString(i)));
        }
        Scrape.awaitUntil("every input is processed", () -> Scrape.value(Scrape.get(server.url(),
            "/metrics").body(), "ringflow_events_out_total") == 99, 30_000);

        final Scrape.Response response = Scrape.get(server.url(), "/metrics");

        assertThat(response.status()).isEqualTo(200);
        final String text = response.body();
        assertThat(text).contains("# TYPE ringflow_events_in_total counter")
            .contains("ringflow_events_in_total{pipeline=\"names\"} 100.0")
            .contains("ringflow_bad_input_total{pipeline=\"names\"} 1.0")
            .contains("ringflow_dead_lettered_total{pipeline=\"names\",topic=\"dlq\"} 1.0")
            .contains("# TYPE ringflow_latency_seconds histogram")
            .contains("ringflow_latency_seconds_bucket{pipeline=\"names\",stage=\"end_to_end\",le=\"1.0E-6\"}")
            .contains("# TYPE ringflow_worker_busy_seconds_total counter")
            .contains("jvm_memory_used_bytes");
        assertThat(Scrape.value(text, "ringflow_ring_capacity_slots")).isEqualTo(spec().engine().ringCapacity());
        assertThat(Scrape.value(text, "ringflow_worker_busy_seconds_total", "worker=\"0\"")).isPositive();
        assertThat(Scrape.value(text, "ringflow_events_in_total")).isEqualTo(100);
        // The first input is always timed (no sample for over a millisecond); one in 64 after it at most.
        assertThat(Scrape.value(text, "ringflow_latency_seconds_bucket", "stage=\"process\"", "le=\"+Inf\""))
            .isBetween(1.0, 100.0).isEqualTo(Scrape.value(text, "ringflow_latency_seconds_count",
                "stage=\"process\""));
        // 99 sums and one dead letter reached the sink.
        assertThat(Scrape.value(text, "ringflow_events_out_total")).isEqualTo(99);
        assertThat(sink.records.get()).isEqualTo(100);
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("# TYPE ringflow_"))
            {
                final String[] parts = line.split(" ");
                // Prometheus conventions: counters end in _total, every name says its unit where it has one.
                assertThat(parts[3].equals("counter") == parts[2].endsWith("_total")).as(line).isTrue();
            }
        }
    }

    @Test
    void shouldServeTheDashboardAtTheRootAsOneSelfContainedPage()
    {
        server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0));

        final Scrape.Response root = Scrape.get(server.url(), "/");

        assertThat(root.status()).isEqualTo(200);
        assertThat(root.body()).contains("<title>Ringflow dashboard</title>").contains("fetch(\"status.json\"");
        assertThat(Scrape.get(server.url(), "/dashboard")).isEqualTo(root);
        // Nothing the browser would load from elsewhere: no src or href attributes, no URL but SVG's namespace.
        assertThat(root.body()).doesNotContain("src=").doesNotContain("href=").doesNotContain("@import")
            .doesNotContain("url(");
        assertThat(root.body().replace("http://www.w3.org/2000/svg", "")).doesNotContain("http:")
            .doesNotContain("https:").doesNotContain("//cdn");
        assertThat(Scrape.header(server.url(), "/", "Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(Scrape.header(server.url(), "/", "Content-Security-Policy"))
            .startsWith("default-src 'none';").contains("connect-src 'self'");
        final Scrape.Response unknown = Scrape.get(server.url(), "/dashboard/x");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("/metrics").contains("/status.json");
        assertThat(Scrape.get(server.url(), "/status.json").body()).matches(
            "\\{\"status\":\"not-ready\",.*,\"pipelines\":\\[],\"time_epoch_ms\":\\d+}");
    }

    @Test
    void shouldAnswerNotReadyUntilAPipelineRunsAndWithTheReasonOnceItHasFailed()
    {
        server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0));
        assertThat(Scrape.get(server.url(), "/health/ready"))
            .isEqualTo(new Scrape.Response(503, "{\"status\":\"not-ready\",\"reason\":\"starting: no pipeline is " +
                "running yet\"}"));
        final InMemorySource source = new InMemorySource();
        engine = Engine.start(spec(), source, new CountingSink(3));
        server.register(new PipelineMetrics(engine, null, null, null));
        assertThat(Scrape.get(server.url(), "/health/ready")).isEqualTo(new Scrape.Response(200,
            "{\"status\":\"ready\"}"));
        assertThat(Scrape.get(server.url(), "/health/live").status()).isEqualTo(200);

        for (int i = 0; i < 10; i++)
        {
            source.offer(record(i, Integer.toString(i)));
        }
        Scrape.awaitUntil("the engine fails", engine::hasFailed, 30_000);

        final Scrape.Response ready = Scrape.get(server.url(), "/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.body()).startsWith("{\"status\":\"not-ready\",\"reason\":\"the pipeline failed: ")
            .contains("the disk is full");
        assertThat(Scrape.get(server.url(), "/health/live").status()).isEqualTo(503);
        assertThat(Scrape.get(server.url(), "/status.json").body()).contains("\"status\":\"not-ready\"")
            .contains("\"name\":\"names\"");
    }

    @Test
    void shouldSayWhatToDoWhenThePortIsTaken()
    {
        server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0));
        final InetSocketAddress taken = new InetSocketAddress("127.0.0.1", server.url().getPort());

        assertThatThrownBy(() -> MetricsServer.start(taken)).isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("cannot serve metrics on 127.0.0.1:" + taken.getPort())
            .hasMessageContaining("--metrics-bind");
    }

    @Test
    void shouldReadBindAddresses()
    {
        assertThat(MetricsBind.parse("off")).isNull();
        assertThat(MetricsBind.parse("NONE")).isNull();
        assertThat(MetricsBind.parse(MetricsBind.DEFAULT)).isEqualTo(new InetSocketAddress("127.0.0.1", 9464));
        assertThat(MetricsBind.parse(":0")).isEqualTo(new InetSocketAddress("127.0.0.1", 0));
        assertThat(MetricsBind.parse("0.0.0.0:9500")).isEqualTo(new InetSocketAddress("0.0.0.0", 9500));
        assertThatThrownBy(() -> MetricsBind.parse("9464")).hasMessageContaining("expected HOST:PORT");
        assertThatThrownBy(() -> MetricsBind.parse("host:99999")).hasMessageContaining("from 0 to 65535");
    }

    private static PipelineSpec spec()
    {
        return PipelineBuilder.named("names").source("in").window(3, 1, dev.ringflow.windows.Aggregation.SUM,
            dev.ringflow.windows.ValueKind.LONG).sink("out").deadLetterTopic("dlq").build();
    }

    private static InMemorySource.Record record(final int offset, final String value)
    {
        return new InMemorySource.Record("in", 0, offset, offset, "k".getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8));
    }

    /** Counts records; fails the engine at the {@code failAt}-th, as a sink whose disk is full would. */
    private static final class CountingSink implements Sink
    {
        final AtomicLong records = new AtomicLong();
        private final long failAt;

        CountingSink(final long failAt)
        {
            this.failAt = failAt;
        }

        @Override
        public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
            final String reason, final EventSlot source)
        {
            if (records.incrementAndGet() >= failAt)
            {
                throw new SinkException("the disk is full", null);
            }
        }

        @Override
        public void onEndOfBatch()
        {
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    }
}
