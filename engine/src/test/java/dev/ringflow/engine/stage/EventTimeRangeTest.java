package dev.ringflow.engine.stage;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.OutputFormat;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.TimeWindowTaskSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event-time windows take times from 1970 to year 9999 in milliseconds; others are dead letters, never a watermark
 * jump, and the windows carry on.
 */
class EventTimeRangeTest
{
    private static final long SIZE_MS = 1_000;

    private final EventSlot slot = new EventSlot();
    private final List<String> late = new ArrayList<>();
    private final List<String> deadLetters = new ArrayList<>();
    /** "key windowEnd" to the fired sum, in firing order. */
    private final Map<String, Long> fired = new TreeMap<>();
    private long offset;

    @Test
    void shouldDeadLetterTimesOutsideTheSaneRangeAndCarryOn()
    {
        final PipelineProcessor processor = processor();
        final Map<String, Long> oracle = new TreeMap<>();
        send(processor, 0, "a", 1_000, 1, oracle);
        send(processor, 0, "a", -1, 1, null);
        send(processor, 0, "a", Long.MAX_VALUE, 1, null);
        send(processor, 0, "a", Long.MIN_VALUE, 1, null);
        send(processor, 0, "a", 1_764_064_800_123_456L, 1, null);
        send(processor, 0, "a", 1_764_064_800_123_456_789L, 1, null);
        send(processor, 0, "a", EventTimes.MAX_MS, 1, null);
        send(processor, 0, "a", 1_500, 1, oracle);
        send(processor, 0, "a", 2_500, 1, oracle);

        assertThat(deadLetters).hasSize(6).startsWith(EventTimes.NEGATIVE, EventTimes.NANOSECONDS,
            EventTimes.NEGATIVE, EventTimes.MICROSECONDS, EventTimes.NANOSECONDS);
        // The last millisecond of year 9999 is a sane time, but thousands of years ahead of the watermark: more than
        // a key's window state can hold, so it is a dead letter too and moves nothing.
        assertThat(deadLetters.get(5)).startsWith("event time is more than ").contains("ahead of the watermark");
        assertThat(late).isEmpty();
        assertThat(fired).isEqualTo(Map.of("a 2000", 2L));
        assertThat(oracle).containsEntry("a 2000", 2L);
    }

    private PipelineProcessor processor()
    {
        return new PipelineProcessor(PipelineBuilder.named("partitions").source("in")
            .task(new TimeWindowTaskSpec(SIZE_MS, SIZE_MS, 0, 0, List.of(Aggregation.SUM), ValueKind.LONG, List.of(),
                OutputFormat.TEXT, 0))
            .sink("out").lateTopic("late").deadLetterTopic("dead").build());
    }

    /** Processes one input and files its outputs; adds it to {@code oracle}'s window sums when given. */
    private void send(final PipelineProcessor processor, final int partition, final String key, final long timeMs,
        final long value, final Map<String, Long> oracle)
    {
        slot.input("in", partition, offset++, timeMs, key.getBytes(StandardCharsets.UTF_8),
            Long.toString(value).getBytes(StandardCharsets.UTF_8));
        processor.process(slot);
        if (null != oracle)
        {
            oracle.merge(key + " " + (Math.floorDiv(timeMs, SIZE_MS) + 1) * SIZE_MS, value, Long::sum);
        }
        final OutputList outputs = processor.outputs();
        for (int i = 0; i < outputs.size(); i++)
        {
            final String outKey = text(outputs.key(i));
            switch (outputs.kind(i))
            {
                case OutputList.LATE -> late.add(outKey + " " + timeMs);
                case OutputList.DEAD_LETTER -> deadLetters.add(outputs.reason(i));
                default -> fired.put(outKey + " " + (outputs.timestampMs(i) + 1),
                    Long.parseLong(text(outputs.value(i))));
            }
        }
    }

    private static String text(final dev.ringflow.engine.ByteSlice slice)
    {
        return new String(slice.bytes(), 0, slice.length(), StandardCharsets.UTF_8);
    }
}
