package dev.ringflow.engine.stage;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's hot path (decode, window, format) allocates nothing once its keys are warm.
 */
class PipelineProcessorAllocationTest
{
    private static final int KEYS = 1_000;
    private static final int EVENTS = 1_000_000;
    private static final byte[] VALUE = "17".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(value = Aggregation.class, names = { "SUM", "COUNT", "MIN", "MAX" })
    void shouldNotAllocateInSteadyStateForIntegerWindows(final Aggregation aggregation)
    {
        final PipelineSpec spec = PipelineBuilder.named("alloc").source("in")
            .window(100, 1, aggregation, ValueKind.LONG).format("{key}: {value}").sink("out").build();

        assertThat(allocatedBytesInSteadyState(spec)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Aggregation.class, names = { "SUM", "MEAN" })
    void shouldNotAllocateInSteadyStateForDoubleWindows(final Aggregation aggregation)
    {
        final PipelineSpec spec = PipelineBuilder.named("alloc").source("in")
            .window(100, 1, aggregation, ValueKind.DOUBLE).sink("out").build();

        assertThat(allocatedBytesInSteadyState(spec)).isZero();
    }

    @org.junit.jupiter.api.Test
    void shouldNotAllocateInSteadyStateForTimeWindowsWithJsonOutput()
    {
        final PipelineSpec spec = PipelineBuilder.named("alloc").source("in")
            .timeWindow(1_000, 250, 100, 0, java.util.List.of(Aggregation.COUNT, Aggregation.MEAN, Aggregation.MAX),
                ValueKind.LONG, dev.ringflow.engine.pipeline.OutputFormat.JSON)
            .sink("out").build();

        assertThat(allocatedBytesInSteadyState(spec, false)).isZero();
    }

    @org.junit.jupiter.api.Test
    void shouldNotAllocateInSteadyStateForJsonInputWithSeveralFields()
    {
        final PipelineSpec spec = PipelineBuilder.named("alloc").source("in").jsonInput("sensor", null)
            .task(new dev.ringflow.engine.pipeline.WindowTaskSpec(50, 1, java.util.List.of(Aggregation.MEAN,
                Aggregation.MAX), ValueKind.DOUBLE, java.util.List.of("temp", "hum"),
                dev.ringflow.engine.pipeline.OutputFormat.JSON))
            .sink("out").build();

        assertThat(allocatedBytesInSteadyState(spec, true, i ->
            ("{\"sensor\":\"s-" + i + "\",\"temp\":" + (i % 40) * 0.5 + ",\"hum\":0." + i % 10 + "}")
                .getBytes(StandardCharsets.UTF_8))).isZero();
    }

    /** 5,000 keys at range 100 (4 MB of window state): the worker looks ahead over each group of slots. */
    @ParameterizedTest
    @EnumSource(value = Aggregation.class, names = { "SUM", "MAX" })
    void shouldNotAllocateWhenLookingAheadOverManyKeys(final Aggregation aggregation)
    {
        final PipelineSpec spec = PipelineBuilder.named("alloc").source("in")
            .window(100, 1, aggregation, ValueKind.LONG).sink("out").build();
        final PipelineProcessor processor = new PipelineProcessor(spec);
        final int keyCount = 5_000;
        final EventSlot[] group = new EventSlot[dev.ringflow.windows.ElementWindows.PREFETCH_GROUP];
        final byte[][] keys = new byte[keyCount][];
        for (int i = 0; i < keyCount; i++)
        {
            keys[i] = ("key-" + i).getBytes(StandardCharsets.UTF_8);
        }
        for (int i = 0; i < group.length; i++)
        {
            group[i] = new EventSlot();
        }
        final java.util.SplittableRandom random = new java.util.SplittableRandom(
            TestSeeds.seed("shouldNotAllocateWhenLookingAheadOverManyKeys " + aggregation));
        lookAheadLoop(processor, group, keys, random, 2 * EVENTS);
        assertThat(processor.looksAhead()).isTrue();

        assertThat(allocatedBytes(() -> lookAheadLoop(processor, group, keys, random, EVENTS))).isZero();
    }

    private static void lookAheadLoop(final PipelineProcessor processor, final EventSlot[] group,
        final byte[][] keys, final java.util.SplittableRandom random, final int events)
    {
        for (int i = 0; i < events; i += group.length)
        {
            for (int g = 0; g < group.length; g++)
            {
                group[g].input("in", 0, i + g, i + g, keys[random.nextInt(keys.length)], VALUE);
            }
            if (processor.looksAhead())
            {
                for (final EventSlot slot : group)
                {
                    processor.lookAhead(slot);
                }
                processor.prefetch();
            }
            for (final EventSlot slot : group)
            {
                processor.process(slot);
            }
        }
    }

    private static long allocatedBytesInSteadyState(final PipelineSpec spec)
    {
        return allocatedBytesInSteadyState(spec, true);
    }

    private static long allocatedBytesInSteadyState(final PipelineSpec spec, final boolean outputPerEvent)
    {
        return allocatedBytesInSteadyState(spec, outputPerEvent,
            i -> Integer.toString(i * 37 % 1000 - 500).getBytes(StandardCharsets.UTF_8));
    }

    private static long allocatedBytesInSteadyState(final PipelineSpec spec, final boolean outputPerEvent,
        final java.util.function.IntFunction<byte[]> valueOf)
    {
        final PipelineProcessor processor = new PipelineProcessor(spec);
        final byte[][] keys = new byte[KEYS][];
        final byte[][] values = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++)
        {
            keys[i] = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            values[i] = valueOf.apply(i);
        }
        final EventSlot slot = new EventSlot();
        // Warm-up: every key seen, every buffer grown to its working size, the loop compiled.
        loop(processor, slot, keys, values, 2 * EVENTS);

        final long allocated = allocatedBytes(() -> loop(processor, slot, keys, values, EVENTS));
        if (outputPerEvent)
        {
            assertThat(processor.outputs().count(dev.ringflow.engine.OutputList.OUTPUT)).isEqualTo(1);
        }
        return allocated;
    }

    /** Bytes this thread allocates while {@code steadyState} runs, less what measuring itself allocates. */
    private static long allocatedBytes(final Runnable steadyState)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        final long emptyMeasurement = threads.getThreadAllocatedBytes(threadId) - before;
        final long start = threads.getThreadAllocatedBytes(threadId);
        steadyState.run();
        return threads.getThreadAllocatedBytes(threadId) - start - emptyMeasurement;
    }

    private static void loop(final PipelineProcessor processor, final EventSlot slot, final byte[][] keys,
        final byte[][] values, final int events)
    {
        for (int i = 0; i < events; i++)
        {
            final int k = i % KEYS;
            slot.input("in", 0, i, i, keys[k], values[k]);
            processor.process(slot);
        }
    }
}
