package dev.ringflow.engine.stage;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.OutputFormat;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million live keys fit: the heap a worker's keyed state holds, per key, measured after full collections.
 */
class KeyedStateFootprintTest
{
    private static final int KEYS = 1_000_000;

    @Test
    void shouldHoldAMillionKeysOfTheSeedSlidingSumInUnder300BytesEach()
    {
        final PipelineSpec spec = PipelineBuilder.named("footprint").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").build();

        final double bytesPerKey = bytesPerKey(spec);

        System.out.printf("count window, range 5, sum: %.0f bytes per key (12-byte keys)%n", bytesPerKey);
        assertThat(bytesPerKey).isLessThan(300);
    }

    @Test
    void shouldHoldAMillionKeysOfATumblingTimeWindowInUnder1500BytesEach()
    {
        final PipelineSpec spec = PipelineBuilder.named("footprint").source("in")
            .timeWindow(60_000, 60_000, 0, 0, List.of(Aggregation.MEAN), ValueKind.LONG, OutputFormat.JSON)
            .sink("out").build();

        final double bytesPerKey = bytesPerKey(spec);

        System.out.printf("tumbling time window, one open window per key: %.0f bytes per key%n", bytesPerKey);
        assertThat(bytesPerKey).isLessThan(1500);
    }

    private static double bytesPerKey(final PipelineSpec spec)
    {
        final long before = usedHeapAfterGc();
        final PipelineProcessor processor = new PipelineProcessor(spec);
        final EventSlot slot = new EventSlot();
        final byte[] value = "7".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < KEYS; i++)
        {
            slot.input("in", 0, i, 1_000, String.format("user-%07d", i).getBytes(StandardCharsets.US_ASCII), value);
            processor.process(slot);
        }
        final long after = usedHeapAfterGc();
        Reference.reachabilityFence(processor);
        return (after - before) / (double)KEYS;
    }

    private static long usedHeapAfterGc()
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
