package dev.ringflow.io.metrics;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.EngineMetrics;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.InMemorySource;
import dev.ringflow.engine.Sink;
import dev.ringflow.engine.pipeline.LearnTaskSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running learn task's figures on the endpoint: updates, log-loss, AUC and the model version, as the worker
 * publishes them between batches.
 */
class LearnMetricsTest
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
    void shouldExposeTheRunningLogLossAucUpdatesAndModelVersionOfEachLearnTask()
    {
        server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0));
        final PipelineSpec spec = PipelineBuilder.named("cards").source("in").jsonInput(null, null)
            .task(new LearnTaskSpec("fraud", List.of("amount"), "label", 0.1, 0, false, false, "score", 200))
            .sink("out").build();
        final InMemorySource source = new InMemorySource();
        engine = Engine.start(spec, source, new DiscardingSink());
        server.register(new PipelineMetrics(engine, null, null, null));
        final int[] offered = { 0 };
        Scrape.awaitUntil("a publication after 2,000 updates", () ->
        {
            // Keep input flowing: the worker publishes at the end of a batch at most every 100 ms.
            for (int i = 0; i < 100; i++, offered[0]++)
            {
                final boolean positive = offered[0] % 3 == 0;
                final String value = "{\"amount\":" + (positive ? 5 + offered[0] % 7 : offered[0] % 7) +
                    ",\"label\":" + (positive ? 1 : 0) + "}";
                source.offer(new InMemorySource.Record("in", 0, offered[0], offered[0], null,
                    value.getBytes(StandardCharsets.UTF_8)));
            }
            return Scrape.value(Scrape.get(server.url(), "/metrics").body(), "ringflow_learn_updates_total") >=
                2_000;
        }, 30_000);

        final String text = Scrape.get(server.url(), "/metrics").body();
        final double updates = Scrape.value(text, "ringflow_learn_updates_total", "task=\"fraud\"");
        assertThat(text).contains("# TYPE ringflow_learn_log_loss gauge")
            .contains("ringflow_learn_model_info{pipeline=\"cards\",task=\"fraud\",version=\"fraud@" +
                (long)updates + "\"} 1.0");
        // Positives have amounts 5 to 11, negatives 0 to 6: a model that has learnt ranks them well.
        assertThat(Scrape.value(text, "ringflow_learn_auc", "task=\"fraud\"")).isBetween(0.8, 1.0);
        assertThat(Scrape.value(text, "ringflow_learn_log_loss", "task=\"fraud\"")).isBetween(0.0, 0.6);
        final EngineMetrics.LearnSummary summary = engine.metrics().learnTasks().get(0);
        assertThat(summary.window()).isEqualTo(200);
        assertThat(summary.updates()).isGreaterThanOrEqualTo((long)updates);
    }

    /** Takes every record and forgets it. */
    private static final class DiscardingSink implements Sink
    {
        @Override
        public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
            final String reason, final EventSlot source)
        {
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
