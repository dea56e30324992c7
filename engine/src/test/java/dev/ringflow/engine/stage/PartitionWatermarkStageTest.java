package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.pipeline.OutputFormat;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.TimeWindowTaskSpec;
import dev.ringflow.windows.Aggregation;
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
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tumbling event-time windows over several input partitions, record by record against {@link Oracle}: a naive
 * recomputation of the per-partition watermark from every record so far, of which records are late, and of the
 * sums of the windows that watermark has closed.
 */
class PartitionWatermarkStageTest
{
    private static final long SIZE_MS = 1_000;

    private final EventSlot slot = new EventSlot();

    @Test
    void shouldNotDeclareLateTheRecordsOfAPartitionThatLagsBehindAnother()
    {
        final Run run = new Run(0, 0, 0);
        run.send(1, "slow", 0, 1);
        for (long time = 0; time < 20_000; time += 100)
        {
            run.send(0, "fast", time, 1);
        }
        // Partition 1 catches up, 20 s (20 windows, no out-of-orderness) behind partition 0.
        for (long time = 0; time < 20_000; time += 100)
        {
            run.send(1, "slow", time, 2);
        }

        assertThat(run.late).isEmpty();
        assertThat(run.fired).containsEntry("fast 1000", 10L).containsEntry("slow 1000", 21L)
            .containsEntry("slow 19000", 20L).hasSize(38);
    }

    @Test
    void shouldStopHoldingTheWatermarkBackForAPartitionIdleForTheIdleTime()
    {
        final Run run = new Run(0, 0, 5_000);
        run.send(1, "quiet", 500, 1);
        for (long time = 0; time <= 5_500; time += 100)
        {
            run.send(0, "busy", time, 1);
        }
        // At 5,500 the clock is 5,000 past partition 1's last record (at clock 500): it stopped counting.
        assertThat(run.fired).containsKeys("quiet 1000", "busy 1000", "busy 5000").doesNotContainKey("busy 6000");
        run.send(0, "busy", 6_100, 1);
        assertThat(run.fired).containsKey("busy 6000");
        // Back with a record, partition 1 holds the watermark again; a record before it is late.
        run.send(1, "quiet", 6_050, 1);
        run.send(1, "quiet", 5_900, 1);
        run.send(0, "busy", 9_000, 1);
        assertThat(run.late).containsExactly("quiet 5900");
        assertThat(run.fired).doesNotContainKey("busy 7000");
    }

    @RepeatedTest(10)
    void shouldMatchTheNaiveOracleOnRandomInterleavingsThroughAMidStreamSnapshot() throws IOException
    {
        final long seed = TestSeeds.seed("shouldMatchTheNaiveOracleOnRandomInterleavingsThroughAMidStreamSnapshot");
        final Random random = new Random(seed);
        final long outOfOrderness = random.nextInt(3) == 0 ? 0 : random.nextInt(300);
        final long lateness = random.nextInt(3) == 0 ? 0 : random.nextInt(500);
        final long idle = random.nextBoolean() ? 0 : 500 + random.nextInt(5_000);
        final int partitions = 2 + random.nextInt(2);
        final Run run = new Run(outOfOrderness, lateness, idle);
        final Run restored = new Run(outOfOrderness, lateness, idle);
        final long[] clocks = new long[partitions];
        final int records = 3_000;
        final int snapshotAt = random.nextInt(records);
        for (int i = 0; i < records; i++)
        {
            // Bursts from one partition as a consumer fetches them, some lasting seconds of event time.
            final int partition = random.nextInt(6) == 0 ? random.nextInt(partitions) : (i / 200) % partitions;
            clocks[partition] += (clocks[partition] == 0 ? 1_000 : 0) + random.nextInt(30);
            final long time = clocks[partition] - (random.nextInt(5) == 0 ? random.nextInt(400) : 0);
            final String key = "k" + (partition + partitions * random.nextInt(3));
            final long value = random.nextInt(100);
            if (i == snapshotAt)
            {
                restored.loadStateOf(run);
            }
            run.send(partition, key, time, value);
            if (i >= snapshotAt)
            {
                restored.send(partition, key, time, value);
            }
            assertThat(run.fired).as("seed %d record %d", seed, i).isEqualTo(run.oracle.fired);
            assertThat(run.late).as("seed %d record %d", seed, i).isEqualTo(run.oracle.late);
        }
        assertThat(restored.sequence).as("seed %d: outputs after the snapshot", seed)
            .isEqualTo(run.sequence.subList(run.sequence.size() - restored.sequence.size(), run.sequence.size()));
        assertThat(run.fired).as("seed %d", seed).isNotEmpty();
    }

    /** One processor fed record by record, its outputs filed, beside an oracle fed the same records. */
    private final class Run
    {
        final PipelineProcessor processor;
        final Oracle oracle;
        final TreeMap<String, Long> fired = new TreeMap<>();
        final List<String> late = new ArrayList<>();
        /** Every output since this run started, in order, as "kind key value". */
        final List<String> sequence = new ArrayList<>();
        private long offset;

        Run(final long outOfOrdernessMs, final long latenessMs, final long partitionIdleMs)
        {
            processor = new PipelineProcessor(PipelineBuilder.named("partitions").source("in")
                .partitionIdleMs(partitionIdleMs)
                .task(new TimeWindowTaskSpec(SIZE_MS, SIZE_MS, outOfOrdernessMs, latenessMs, List.of(Aggregation.SUM),
                    ValueKind.LONG, List.of(), OutputFormat.TEXT, 0))
                .sink("out").lateTopic("late").deadLetterTopic("dead").build());
            oracle = new Oracle(outOfOrdernessMs, latenessMs, partitionIdleMs);
        }

        void loadStateOf(final Run other) throws IOException
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            other.processor.writeState(new DataOutputStream(bytes));
            processor.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        }

        void send(final int partition, final String key, final long timeMs, final long value)
        {
            oracle.add(partition, key, timeMs, value);
            slot.input("in", partition, offset++, timeMs, key.getBytes(StandardCharsets.UTF_8),
                Long.toString(value).getBytes(StandardCharsets.UTF_8));
            processor.process(slot);
            final OutputList outputs = processor.outputs();
            for (int i = 0; i < outputs.size(); i++)
            {
                final String outKey = text(outputs.key(i));
                assertThat(outputs.kind(i)).isIn(OutputList.LATE, OutputList.OUTPUT);
                if (outputs.kind(i) == OutputList.LATE)
                {
                    late.add(outKey + " " + timeMs);
                    sequence.add("late " + outKey + " " + timeMs);
                }
                else
                {
                    final String window = outKey + " " + (outputs.timestampMs(i) + 1);
                    assertThat(fired).doesNotContainKey(window);
                    fired.put(window, Long.parseLong(text(outputs.value(i))));
                    sequence.add("window " + window + " " + text(outputs.value(i)));
                }
            }
        }
    }

    private static String text(final ByteSlice slice)
    {
        return new String(slice.bytes(), 0, slice.length(), StandardCharsets.UTF_8);
    }

    /**
     * Keeps every record; on each one recomputes, from all of them, each partition's largest time and whether it is
     * idle, the watermark (never moving back), which records are late and the sums of the closed windows.
     */
    static final class Oracle
    {
        record Input(int partition, String key, long timeMs, long value)
        {
        }

        private final long outOfOrdernessMs;
        private final long latenessMs;
        private final long idleMs;
        private final List<Input> inputs = new ArrayList<>();
        private final List<Input> accepted = new ArrayList<>();
        final TreeMap<String, Long> fired = new TreeMap<>();
        final List<String> late = new ArrayList<>();
        private long watermarkMs = Long.MIN_VALUE;

        Oracle(final long outOfOrdernessMs, final long latenessMs, final long idleMs)
        {
            this.outOfOrdernessMs = outOfOrdernessMs;
            this.latenessMs = latenessMs;
            this.idleMs = idleMs;
        }

        void add(final int partition, final String key, final long timeMs, final long value)
        {
            final Input input = new Input(partition, key, timeMs, value);
            inputs.add(input);
            watermarkMs = Math.max(watermarkMs, perPartitionWatermark());
            final long end = Math.floorDiv(timeMs, SIZE_MS) * SIZE_MS + SIZE_MS;
            if (end + latenessMs <= watermarkMs)
            {
                late.add(key + " " + timeMs);
            }
            else
            {
                accepted.add(input);
            }
            fired.clear();
            for (final Input in : accepted)
            {
                final long windowEnd = Math.floorDiv(in.timeMs(), SIZE_MS) * SIZE_MS + SIZE_MS;
                if (windowEnd + latenessMs <= watermarkMs)
                {
                    fired.merge(in.key() + " " + windowEnd, in.value(), Long::sum);
                }
            }
        }

        private long perPartitionWatermark()
        {
            long clockNow = Long.MIN_VALUE;
            for (final Input in : inputs)
            {
                clockNow = Math.max(clockNow, in.timeMs());
            }
            long slowest = Long.MAX_VALUE;
            for (int partition = 0; partition < 8; partition++)
            {
                long largest = Long.MIN_VALUE;
                long clockAtLast = Long.MIN_VALUE;
                long clock = Long.MIN_VALUE;
                for (final Input in : inputs)
                {
                    clock = Math.max(clock, in.timeMs());
                    if (in.partition() == partition)
                    {
                        largest = Math.max(largest, in.timeMs());
                        clockAtLast = clock;
                    }
                }
                if (largest != Long.MIN_VALUE && (idleMs == 0 || clockNow - clockAtLast < idleMs))
                {
                    slowest = Math.min(slowest, largest);
                }
            }
            return slowest - outOfOrdernessMs;
        }
    }
}
