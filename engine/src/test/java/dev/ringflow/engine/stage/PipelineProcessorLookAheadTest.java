package dev.ringflow.engine.stage;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.pipeline.OutputFormat;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.WindowTaskSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Looking ahead over a run of slots ({@link PipelineProcessor#lookAhead}, then {@link PipelineProcessor#prefetch},
 * as the worker does for each group of a batch) is a hint: a processor that looks ahead emits exactly what one that
 * does not emits, with new keys, null keys, ticks, bad records, keys forgotten as idle between the look-ahead and
 * their record, and several value fields. It looks ahead only where the window key is the record key and the
 * window state is beyond the caches.
 */
class PipelineProcessorLookAheadTest
{
    private static final int EVENTS = 60_000;
    private static final int KEYS = 5_000;

    @RepeatedTest(3)
    void textWindowsWithKeyExpiryShouldEmitTheSameWhenLookingAhead()
    {
        assertSameOutputs(PipelineBuilder.named("sum").source("in").filter(-900, 1e9)
            .window(60, 1, List.of(Aggregation.SUM, Aggregation.MAX, Aggregation.VARIANCE), ValueKind.LONG,
                OutputFormat.JSON)
            .format("{key}={value}").idleKeyTimeoutMs(20_000).sink("out").build(), false, true);
        assertSameOutputs(PipelineBuilder.named("max").source("in")
            .window(100, 7, Aggregation.MAX, ValueKind.LONG).idleKeyTimeoutMs(5_000).sink("out").build(), false, true);
    }

    @RepeatedTest(3)
    void jsonWindowsOverSeveralFieldsShouldEmitTheSameWhenLookingAhead()
    {
        assertSameOutputs(PipelineBuilder.named("fields").source("in").jsonInput(null, "ts")
            .task(new WindowTaskSpec(80, 2, List.of(Aggregation.MEAN, Aggregation.MIN), ValueKind.DOUBLE,
                List.of("temp", "hum"), OutputFormat.JSON))
            .sink("out").build(), true, true);
    }

    @Test
    void shouldNotLookAheadWhereItCannotOrNeedNot()
    {
        // The window key is a JSON field: it is not known before the record is decoded.
        assertSameOutputs(PipelineBuilder.named("keyField").source("in").jsonInput("sensor", "ts")
            .task(new WindowTaskSpec(100, 1, List.of(Aggregation.SUM), ValueKind.LONG, List.of("temp"),
                OutputFormat.JSON))
            .sink("out").build(), true, false);
        // 5,000 keys of a range-5 sum are 320 KB: in the caches, nothing to gain.
        assertSameOutputs(PipelineBuilder.named("small").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").build(), false, false);
    }

    /**
     * Feeds the same random stream to two processors, one of them looking ahead over groups of 1 to 64 slots
     * before processing them, and compares every output of every event.
     */
    private static void assertSameOutputs(final PipelineSpec spec, final boolean json, final boolean looksAhead)
    {
        final long seed = TestSeeds.seed("PipelineProcessorLookAheadTest " + spec.name());
        final Random random = new Random(seed);
        final PipelineProcessor plain = new PipelineProcessor(spec);
        final PipelineProcessor ahead = new PipelineProcessor(spec);
        final EventSlot[] group = new EventSlot[64];
        for (int i = 0; i < group.length; i++)
        {
            group[i] = new EventSlot();
        }
        final List<String> expected = new ArrayList<>();
        final List<String> actual = new ArrayList<>();
        boolean lookedAhead = false;
        long clock = 1_700_000_000_000L;
        for (int event = 0; event < EVENTS; )
        {
            final int size = 1 + random.nextInt(group.length);
            for (int i = 0; i < size; i++, event++)
            {
                // Keys come and go: a tenth of the time from a wider set, so some are new and some turn idle.
                clock += random.nextInt(4);
                fill(group[i], random, json, clock, event);
            }
            if (ahead.looksAhead())
            {
                lookedAhead = true;
                for (int i = 0; i < size; i++)
                {
                    ahead.lookAhead(group[i]);
                }
                ahead.prefetch();
            }
            for (int i = 0; i < size; i++)
            {
                plain.process(group[i]);
                PipelineProcessorStateTest.collect(plain, expected);
                ahead.process(group[i]);
                PipelineProcessorStateTest.collect(ahead, actual);
            }
        }
        assertThat(lookedAhead).as("seed %d: looked ahead", seed).isEqualTo(looksAhead);
        assertThat(expected).as("seed %d: the pipeline emitted something", seed).hasSizeGreaterThan(1_000);
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++)
        {
            assertThat(actual.get(i)).as("seed %d, output #%d", seed, i).isEqualTo(expected.get(i));
        }
        assertThat(actual).as("seed %d", seed).hasSameSizeAs(expected);
    }

    private static void fill(final EventSlot slot, final Random random, final boolean json, final long clock,
        final long offset)
    {
        final int roll = random.nextInt(1_000);
        if (roll == 0)
        {
            slot.tick(700);
            return;
        }
        final String key = roll == 1 ? null : "k" + random.nextInt(random.nextInt(10) == 0 ? 4 * KEYS : KEYS);
        final int value = random.nextInt(2001) - 1000;
        final String text;
        if (roll == 2)
        {
            text = "garbage";
        }
        else if (json)
        {
            text = "{\"sensor\":\"" + key + "\",\"ts\":" + clock + ",\"temp\":" + value + ",\"hum\":" + (value / 3) +
                "}";
        }
        else
        {
            text = Integer.toString(value);
        }
        slot.input("in", 0, offset, clock, null == key ? null : key.getBytes(StandardCharsets.UTF_8),
            text.getBytes(StandardCharsets.UTF_8));
    }
}
