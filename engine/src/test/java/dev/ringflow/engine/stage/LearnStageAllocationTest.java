package dev.ringflow.engine.stage;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.LearnTaskSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The learn task scores and learns with no allocation per event once its keys are known: decoding, the SGD step,
 * the score and the model version written into the event and the output JSON.
 */
class LearnStageAllocationTest
{
    private static final int KEYS = 500;
    private static final int EVENTS = 500_000;

    @ParameterizedTest(name = "per-key {0}, adagrad {1}")
    @CsvSource({ "false, false", "true, true" })
    void shouldNotAllocateInSteadyState(final boolean perKey, final boolean adagrad)
    {
        final PipelineSpec spec = PipelineBuilder.named("alloc").source("in").jsonInput("user", null)
            .task(new LearnTaskSpec("m", List.of("amount", "age", "hour"), "fraud", 0.01, 1e-4, adagrad, perKey,
                "score", 1000))
            .sink("out").build();
        final PipelineProcessor processor = new PipelineProcessor(spec);
        final byte[][] values = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++)
        {
            // Labelled, unlabelled and with a missing feature, in turn.
            values[i] = ("{\"user\":\"u" + i + "\",\"amount\":" + (i % 97) * 1.25 + ",\"age\":" + (18 + i % 60) +
                (i % 3 == 0 ? "" : ",\"hour\":" + i % 24) + (i % 3 == 1 ? "" : ",\"fraud\":" + (i % 7 == 0)) + "}")
                .getBytes(StandardCharsets.UTF_8);
        }
        final EventSlot slot = new EventSlot();
        loop(processor, slot, values, 2 * EVENTS);

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        final long emptyMeasurement = threads.getThreadAllocatedBytes(threadId) - before;
        final long start = threads.getThreadAllocatedBytes(threadId);
        loop(processor, slot, values, EVENTS);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - start - emptyMeasurement;

        assertThat(processor.outputs().kind(0)).isEqualTo(OutputList.OUTPUT);
        assertThat(processor.outputs().value(0).toUtf8String()).contains("\"model_version\":\"m@");
        assertThat(allocated).as("bytes allocated over %,d events", EVENTS).isZero();
    }

    private static void loop(final PipelineProcessor processor, final EventSlot slot, final byte[][] values,
        final int events)
    {
        for (int i = 0; i < events; i++)
        {
            slot.input("in", 0, i, i, null, values[i % KEYS]);
            processor.process(slot);
        }
    }
}
