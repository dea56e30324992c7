package dev.ringflow.windows;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time windows under a watermark kept outside (the minimum over input partitions): keys on a partition that runs
 * ahead are further ahead of the watermark than the out-of-orderness, and their rings must grow instead of losing
 * panes. Checked against {@link TimeWindowOracle} under a watermark recomputed naively from every element seen.
 */
class TimeWindowOutsideWatermarkTest
{
    private final List<String> fired = new ArrayList<>();
    private final WindowListener collect = result -> fired.add(describe(result));

    @Test
    void shouldKeepThePanesOfAKeyFarAheadOfTheWatermark()
    {
        // The case that lost windows with a fixed ring: out-of-orderness 0, 1 s tumbling windows, the key on the
        // fast partition 12 s ahead of the slow one.
        final TimeWindowAggregator window = new TimeWindowAggregator(1_000, 1_000, 0, 0, ValueKind.LONG,
            EnumSet.of(Aggregation.SUM), 4);
        window.takeWatermarkFromOutside();
        final PartitionWatermarks watermarks = new PartitionWatermarks(0, 0);
        window.advanceWatermark(watermarks.onElement(0, 0), collect);
        window.addLong(0, 0, 1, collect);
        for (long time = 0; time < 15_000; time += 500)
        {
            window.advanceWatermark(watermarks.onElement(1, time), collect);
            assertThat(window.addLong(1, time, 1, collect)).isEqualTo(EventTimeWindows.ACCEPTED);
        }
        assertThat(fired).isEmpty();
        // Partition 1 is at 14.5 s: its last window stays open.
        window.advanceWatermark(watermarks.onElement(0, 15_000), collect);

        final List<String> expected = new ArrayList<>();
        expected.add("0 [0,1000) count=1 sum=1");
        for (long start = 0; start < 14_000; start += 1_000)
        {
            expected.add("1 [" + start + "," + (start + 1_000) + ") count=2 sum=2");
        }
        assertThat(fired).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldRefuseAnElementFurtherAheadThanTheMaximumLeadAndChangeNothing()
    {
        final TimeWindowAggregator window = new TimeWindowAggregator(1_000, 500, 0, 0, ValueKind.LONG,
            EnumSet.of(Aggregation.COUNT), 1);
        window.takeWatermarkFromOutside();
        window.advanceWatermark(10_000, collect);
        final long maxLeadMs = window.maxLeadMs();
        assertThat(maxLeadMs).isEqualTo((TimeWindowAggregator.MAX_PANES_PER_KEY - 2) * 500L - 1_000);

        assertThat(window.addLong(0, 10_000 + maxLeadMs + 1, 1, collect)).isEqualTo(EventTimeWindows.TOO_FAR_AHEAD);
        assertThat(window.openWindowCount()).isZero();
        assertThat(window.hasOpenWindows(0)).isFalse();
        assertThat(window.addLong(0, 10_000 + maxLeadMs, 1, collect)).isEqualTo(EventTimeWindows.ACCEPTED);
        assertThat(window.addLong(0, 10_000, 1, collect)).isEqualTo(EventTimeWindows.ACCEPTED);
        window.fireAll(collect);
        assertThat(fired).hasSize(4);
    }

    @Test
    void shouldLetElementsMoveTheWatermarkWhenItIsNotTakenFromOutside()
    {
        final TimeWindowAggregator window = new TimeWindowAggregator(10, 10, 0, 0, ValueKind.LONG,
            EnumSet.of(Aggregation.SUM), 1);
        window.addLong(0, 5, 1, collect);
        window.addLong(0, 25, 1, collect);
        assertThat(window.watermarkMs()).isEqualTo(25);
        assertThat(fired).containsExactly("0 [0,10) count=1 sum=1");
    }

    @RepeatedTest(10)
    void shouldMatchTheNaiveOracleWhenPartitionsLagBehindEachOther() throws IOException
    {
        final long seed = TestSeeds.seed("shouldMatchTheNaiveOracleWhenPartitionsLagBehindEachOther");
        final Random random = new Random(seed);
        final long size = 10 + random.nextInt(200);
        final long advance = 1 + random.nextInt((int)size);
        final long outOfOrderness = random.nextInt(20);
        final long lateness = random.nextInt(3) == 0 ? 0 : random.nextInt(30);
        final int partitions = 2 + random.nextInt(2);
        final int keys = partitions * (1 + random.nextInt(4));
        TimeWindowAggregator window = outside(size, advance, outOfOrderness, lateness);
        final TimeWindowOracle oracle = new TimeWindowOracle(size, advance, outOfOrderness, lateness);
        final NaiveWatermark naive = new NaiveWatermark(outOfOrderness);
        final List<String> expected = new ArrayList<>();
        // Each partition has its own clock; one of them is let run up to several windows ahead at a time.
        final long[] clocks = new long[partitions];
        final int elements = 4_000;
        final int snapshotAt = random.nextInt(elements);
        for (int i = 0; i < elements; i++)
        {
            if (i == snapshotAt)
            {
                window = reloaded(window, size, advance, outOfOrderness, lateness);
            }
            final int partition = random.nextInt(5) == 0 ? random.nextInt(partitions) : (i / 300) % partitions;
            clocks[partition] += random.nextInt(8);
            final long time = clocks[partition] - (random.nextInt(4) == 0 ? random.nextInt((int)(2 * outOfOrderness +
                lateness + size) + 1) : 0);
            final int key = partition + partitions * random.nextInt(keys / partitions);
            final long value = random.nextInt(2001) - 1000;

            final long watermark = naive.onElement(partition, time);
            expected.addAll(text(oracle.advance(watermark)));
            final long lateBefore = oracle.late;
            expected.addAll(text(oracle.addUnderOutsideWatermark(key, time, value)));
            window.advanceWatermark(watermark, collect);
            final int outcome = window.addLong(key, time, value, collect);
            assertThat(outcome).as("seed %d element %d", seed, i)
                .isEqualTo(oracle.late > lateBefore ? EventTimeWindows.LATE : EventTimeWindows.ACCEPTED);
            assertThat(fired).as("seed %d element %d", seed, i).isEqualTo(expected);
        }
        window.fireAll(collect);
        expected.addAll(text(oracle.fireAll()));
        assertThat(fired).as("seed %d", seed).isEqualTo(expected);
        assertThat(window.lateCount()).isEqualTo(oracle.late);
    }

    @Test
    void shouldNotAllocateInSteadyStateOnceTheRingsHaveGrown()
    {
        final TimeWindowAggregator window = outside(1_000, 250, 0, 0);
        final PartitionWatermarks watermarks = new PartitionWatermarks(0, 0);
        final long[] sink = new long[1];
        final WindowListener listener = result -> sink[0] += result.count();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        leadingLoop(window, watermarks, listener, 0, 2_000_000);

        final long before = threads.getThreadAllocatedBytes(threadId);
        final long measurementCost = threads.getThreadAllocatedBytes(threadId) - before;
        final long start = threads.getThreadAllocatedBytes(threadId);
        leadingLoop(window, watermarks, listener, 2_000_000, 1_000_000);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - start - measurementCost;

        assertThat(sink[0]).isPositive();
        assertThat(allocated).isZero();
    }

    /** Partition 1's 1,000 keys run 20 s (80 windows) ahead of partition 0's. */
    private static void leadingLoop(final TimeWindowAggregator window, final PartitionWatermarks watermarks,
        final WindowListener listener, final int from, final int count)
    {
        for (int i = from; i < from + count; i++)
        {
            final int partition = i & 1;
            final long time = i / 10 + partition * 20_000L;
            window.advanceWatermark(watermarks.onElement(partition, time), listener);
            window.addLong(partition * 1_000 + i % 1_000, time, i % 977, listener);
        }
    }

    private static TimeWindowAggregator outside(final long size, final long advance, final long outOfOrderness,
        final long lateness)
    {
        final TimeWindowAggregator window = new TimeWindowAggregator(size, advance, outOfOrderness, lateness,
            ValueKind.LONG, EnumSet.of(Aggregation.COUNT, Aggregation.SUM, Aggregation.FIRST, Aggregation.LAST), 4);
        window.takeWatermarkFromOutside();
        return window;
    }

    private static TimeWindowAggregator reloaded(final TimeWindowAggregator window, final long size,
        final long advance, final long outOfOrderness, final long lateness) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        window.writeState(new DataOutputStream(bytes));
        final TimeWindowAggregator copy = outside(size, advance, outOfOrderness, lateness);
        copy.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        return copy;
    }

    private static String describe(final WindowResult result)
    {
        return result.keyId() + " [" + result.windowStartMs() + "," + result.windowEndMs() + ") count=" +
            result.count() + " sum=" + (long)result.doubleValue(Aggregation.SUM);
    }

    private static List<String> text(final List<TimeWindowOracle.Fired> fired)
    {
        final List<String> lines = new ArrayList<>();
        for (final TimeWindowOracle.Fired f : fired)
        {
            lines.add(f.key() + " [" + f.start() + "," + f.end() + ") count=" + f.count() + " sum=" + (long)f.sum());
        }
        return lines;
    }

    /** The per-partition watermark recomputed from every element seen so far (partitions never idle). */
    static final class NaiveWatermark
    {
        private final long outOfOrderness;
        private final List<long[]> seen = new ArrayList<>();
        private long watermark = Long.MIN_VALUE;

        NaiveWatermark(final long outOfOrderness)
        {
            this.outOfOrderness = outOfOrderness;
        }

        long onElement(final int partition, final long time)
        {
            seen.add(new long[] { partition, time });
            long slowest = Long.MAX_VALUE;
            for (int p = 0; p < 16; p++)
            {
                long largest = Long.MIN_VALUE;
                for (final long[] element : seen)
                {
                    if (element[0] == p)
                    {
                        largest = Math.max(largest, element[1]);
                    }
                }
                if (largest != Long.MIN_VALUE)
                {
                    slowest = Math.min(slowest, largest);
                }
            }
            watermark = Math.max(watermark, slowest - outOfOrderness);
            return watermark;
        }
    }
}
