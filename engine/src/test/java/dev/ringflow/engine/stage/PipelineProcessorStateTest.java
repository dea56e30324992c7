package dev.ringflow.engine.stage;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.pipeline.GlobalWindowTaskSpec;
import dev.ringflow.engine.pipeline.OutputFormat;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.SessionWindowTaskSpec;
import dev.ringflow.engine.pipeline.TimeWindowTaskSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.SnapshotMismatchException;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A processor loaded from a snapshot of another, mid-stream, emits exactly what the original emits for the rest
 * of the stream: window contents, key ids (which order simultaneous firings), idle-key expiry and watermarks
 * all survive. Each pipeline shape of the engine is tried on random input with bad records and idle ticks.
 */
class PipelineProcessorStateTest
{
    private static final int EVENTS = 20_000;

    @RepeatedTest(3)
    void textCountWindowWithKeyExpiryShouldContinueFromASnapshot() throws IOException
    {
        assertContinuesExactly(PipelineBuilder.named("count").source("in")
            .window(5, 1, List.of(Aggregation.SUM, Aggregation.MAX, Aggregation.VARIANCE), ValueKind.LONG,
                OutputFormat.JSON)
            .format("{key}={value}").idleKeyTimeoutMs(500).sink("out").build(), false);
    }

    /**
     * The filter only reads numbers as text, so this runs on text values: the first filter drops about half of the
     * inputs (uniform in -1000..1000), the second drops the window sums outside -1000..1000, which depend on the
     * window state the snapshot carries. With a slide of 1 every record that passes the first filter fires the
     * window, so a record that leaves no output at all was dropped by one of the filters.
     */
    @RepeatedTest(3)
    void textFiltersAroundACountWindowShouldPassAndDropTheSameRecordsAfterASnapshot() throws IOException
    {
        final Run run = assertContinuesExactly(PipelineBuilder.named("filtered").source("in")
            .filter(-500, 500).window(5, 1, Aggregation.SUM, ValueKind.LONG).filter(-1_000, 1_000)
            .sink("out").build(), false);

        assertThat(run.recordsWithOutputs()).as("seed %d: records passed", run.seed()).isGreaterThan(EVENTS / 10);
        assertThat(run.recordsWithoutOutputs()).as("seed %d: records dropped", run.seed())
            .isGreaterThan(EVENTS / 10);
    }

    @RepeatedTest(3)
    void jsonTimeWindowsShouldContinueFromASnapshot() throws IOException
    {
        assertContinuesExactly(PipelineBuilder.named("time").source("in").jsonInput("sensor", "ts")
            .task(new TimeWindowTaskSpec(1_000, 250, 200, 100, List.of(Aggregation.COUNT, Aggregation.MEAN,
                Aggregation.MIN), ValueKind.DOUBLE, List.of("temp"), OutputFormat.JSON, 300))
            .idleKeyTimeoutMs(3_000).sink("out").build(), true);
    }

    @RepeatedTest(3)
    void jsonSessionAndGlobalWindowsShouldContinueFromASnapshot() throws IOException
    {
        assertContinuesExactly(PipelineBuilder.named("session").source("in").jsonInput("sensor", "ts")
            .task(new SessionWindowTaskSpec(300, 100, 50, List.of(Aggregation.SUM, Aggregation.LAST), ValueKind.LONG,
                List.of("temp", "hum"), OutputFormat.JSON, 0))
            .sink("out").build(), true);
        assertContinuesExactly(PipelineBuilder.named("global").source("in").jsonInput("sensor", null)
            .task(new GlobalWindowTaskSpec(3, List.of(Aggregation.COUNT, Aggregation.STDDEV), ValueKind.LONG,
                List.of("temp"), OutputFormat.JSON))
            .sink("out").build(), true);
    }

    @Test
    void shouldRefuseASnapshotOfAnotherPipelineNamingWhatChanged() throws IOException
    {
        final PipelineProcessor five = new PipelineProcessor(PipelineBuilder.named("a").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").build());
        final byte[] snapshot = write(five);
        final PipelineProcessor six = new PipelineProcessor(PipelineBuilder.named("a").source("in")
            .window(6, 1, Aggregation.SUM, ValueKind.LONG).sink("out").build());
        assertThatThrownBy(() -> six.readState(new DataInputStream(new ByteArrayInputStream(snapshot))))
            .isInstanceOf(SnapshotMismatchException.class).hasMessageContaining("range 5");
        final PipelineProcessor formatted = new PipelineProcessor(PipelineBuilder.named("a").source("in")
            .format("{value}").sink("out").build());
        assertThatThrownBy(() -> formatted.readState(new DataInputStream(new ByteArrayInputStream(snapshot))))
            .isInstanceOf(SnapshotMismatchException.class).hasMessageContaining("WindowStage");
    }

    /**
     * What the uninterrupted processor did with the stream's well-formed records (ticks and garbage aside): how many
     * left at least one output, and how many left nothing at all.
     */
    private record Run(long seed, int recordsWithOutputs, int recordsWithoutOutputs)
    {
    }

    private static Run assertContinuesExactly(final PipelineSpec spec, final boolean json) throws IOException
    {
        final long seed = TestSeeds.seed("PipelineProcessorStateTest " + spec.name());
        final Random random = new Random(seed);
        final int snapshotAt = random.nextInt(EVENTS);
        final PipelineProcessor original = new PipelineProcessor(spec);
        PipelineProcessor copy = new PipelineProcessor(spec);
        final List<String> uninterrupted = new ArrayList<>();
        final List<String> restored = new ArrayList<>();
        final EventSlot slot = new EventSlot();
        int recordsWithOutputs = 0;
        int recordsWithoutOutputs = 0;
        long clock = 1_700_000_000_000L;
        for (int i = 0; i < EVENTS; i++)
        {
            if (i == snapshotAt)
            {
                final PipelineProcessor fresh = new PipelineProcessor(spec);
                fill(slot, json, "stranger", clock, 7, i);
                fresh.process(slot);
                fresh.readState(new DataInputStream(new ByteArrayInputStream(write(copy))));
                copy = fresh;
            }
            clock += random.nextInt(3) == 0 ? random.nextInt(200) : random.nextInt(5);
            final boolean tick = random.nextInt(500) == 0;
            final String key = "k" + random.nextInt(random.nextInt(10) == 0 ? 2_000 : 40);
            final long time = clock - (random.nextInt(5) == 0 ? random.nextInt(400) : 0);
            final int value = random.nextInt(2001) - 1000;
            final boolean bad = random.nextInt(300) == 0;
            for (final PipelineProcessor processor : new PipelineProcessor[] { original, copy })
            {
                if (tick)
                {
                    slot.tick(700);
                }
                else if (bad)
                {
                    slot.input("in", 0, i, time, key.getBytes(StandardCharsets.UTF_8),
                        "garbage".getBytes(StandardCharsets.UTF_8));
                }
                else
                {
                    fill(slot, json, key, time, value, i);
                }
                processor.process(slot);
                collect(processor, processor == original ? uninterrupted : restored);
                if (processor == original && !tick && !bad)
                {
                    if (hasOutput(processor.outputs()))
                    {
                        recordsWithOutputs++;
                    }
                    else if (processor.outputs().size() == 0)
                    {
                        recordsWithoutOutputs++;
                    }
                }
            }
        }
        // Dead letters carry the input as received, whatever the window state: only outputs show the state.
        assertThat(uninterrupted).as("seed %d: the pipeline's outputs", seed)
            .filteredOn(line -> line.startsWith(OutputList.OUTPUT + " ")).hasSizeGreaterThan(100);
        for (int i = 0; i < Math.min(uninterrupted.size(), restored.size()); i++)
        {
            assertThat(restored.get(i)).as("seed %d, output #%d (snapshot at event %d)", seed, i, snapshotAt)
                .isEqualTo(uninterrupted.get(i));
        }
        assertThat(restored).as("seed %d", seed).hasSameSizeAs(uninterrupted);
        return new Run(seed, recordsWithOutputs, recordsWithoutOutputs);
    }

    private static boolean hasOutput(final OutputList outputs)
    {
        for (int i = 0; i < outputs.size(); i++)
        {
            if (outputs.kind(i) == OutputList.OUTPUT)
            {
                return true;
            }
        }
        return false;
    }

    private static void fill(final EventSlot slot, final boolean json, final String key, final long time,
        final int value, final long offset)
    {
        final String text = json ? "{\"sensor\":\"" + key + "\",\"ts\":" + time + ",\"temp\":" + value +
            ",\"hum\":" + (value / 3) + "}" : Integer.toString(value);
        slot.input("in", 0, offset, time, json ? null : key.getBytes(StandardCharsets.UTF_8),
            text.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends each output of the processor's last event as one line of text: kind, time, key, value. */
    static void collect(final PipelineProcessor processor, final List<String> into)
    {
        final OutputList outputs = processor.outputs();
        for (int i = 0; i < outputs.size(); i++)
        {
            into.add(outputs.kind(i) + " " + outputs.timestampMs(i) + " " + text(outputs.key(i)) + " " +
                text(outputs.value(i)));
        }
    }

    private static String text(final dev.ringflow.engine.ByteSlice slice)
    {
        return slice.isNull() ? "null" : new String(slice.bytes(), 0, slice.length(), StandardCharsets.UTF_8);
    }

    private static byte[] write(final PipelineProcessor processor) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        processor.writeState(out);
        out.flush();
        return bytes.toByteArray();
    }
}
