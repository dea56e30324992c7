package dev.ringflow.windows;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SessionWindowAggregatorTest
{
    private final List<WindowSnapshot> fired = new ArrayList<>();
    private final List<String> early = new ArrayList<>();
    private final WindowListener collect = result ->
    {
        if (result.isFinal())
        {
            fired.add(WindowSnapshot.of(result));
        }
        else
        {
            early.add(result.windowStartMs() + ":" + result.count());
        }
    };

    /** What the tests compare of a fired window. */
    record WindowSnapshot(int key, long start, long end, long count, double sum, double min, double max,
        double mean, double variance)
    {
        static WindowSnapshot of(final WindowResult r)
        {
            return new WindowSnapshot(r.keyId(), r.windowStartMs(), r.windowEndMs(), r.count(),
                r.doubleValue(Aggregation.SUM), r.doubleValue(Aggregation.MIN), r.doubleValue(Aggregation.MAX),
                r.doubleValue(Aggregation.MEAN), r.doubleValue(Aggregation.VARIANCE));
        }
    }

    @RepeatedTest(10)
    void shouldMatchTheNaiveOracleOnOutOfOrderStreamsWithMergesAndLateElements()
    {
        final long seed = TestSeeds.seed("shouldMatchTheNaiveOracleOnOutOfOrderStreamsWithMergesAndLateElements");
        final Random random = new Random(seed);
        final long gap = 1 + random.nextInt(30);
        final long outOfOrderness = random.nextInt(40);
        final long lateness = random.nextInt(3) == 0 ? 0 : random.nextInt(20);
        final long earlyResults = random.nextBoolean() ? 0 : 1 + random.nextInt(20);
        final SessionWindowAggregator window = new SessionWindowAggregator(gap, outOfOrderness, lateness,
            earlyResults, ValueKind.LONG, EnumSet.allOf(Aggregation.class), 4);
        final SessionWindowOracle oracle = new SessionWindowOracle(gap, outOfOrderness, lateness);
        final List<TimeWindowOracle.Fired> expected = new ArrayList<>();
        final int keys = 1 + random.nextInt(6);
        long clock = random.nextInt(1000) - 500;
        for (int i = 0; i < 2_000; i++)
        {
            clock += random.nextInt(4) == 0 ? random.nextInt((int)(3 * gap)) : random.nextInt(3);
            final long time = clock - (random.nextInt(4) == 0 ? random.nextInt((int)(outOfOrderness + lateness +
                2 * gap) + 1) : 0);
            final int key = random.nextInt(keys);
            final long value = random.nextInt(2001) - 1000;
            final int outcome = window.addLong(key, time, value, collect);
            final long lateBefore = oracle.late;
            expected.addAll(oracle.add(key, time, value));
            assertThat(outcome).as("seed %d element %d", seed, i)
                .isEqualTo(oracle.late > lateBefore ? SessionWindowAggregator.LATE : SessionWindowAggregator.ACCEPTED);
        }
        window.fireAll(collect);
        expected.addAll(oracle.fireAll());

        for (int i = 0; i < Math.min(expected.size(), fired.size()); i++)
        {
            final TimeWindowOracle.Fired want = expected.get(i);
            final WindowSnapshot got = fired.get(i);
            final String what = "seed " + seed + " session #" + i + " want " + want + " got " + got;
            assertThat(got.key()).as(what).isEqualTo(want.key());
            assertThat(got.start()).as(what).isEqualTo(want.start());
            assertThat(got.end()).as(what).isEqualTo(want.end());
            assertThat(got.count()).as(what).isEqualTo(want.count());
            assertThat(got.sum()).as(what).isEqualTo(want.sum());
            assertThat(got.min()).as(what).isEqualTo(want.min());
            assertThat(got.max()).as(what).isEqualTo(want.max());
            assertThat(got.variance()).as(what).isCloseTo(want.variance(), within(1e-7 * Math.max(1, want.variance())));
        }
        assertThat(fired).hasSameSizeAs(expected);
        assertThat(window.lateCount()).isEqualTo(oracle.late);
        assertThat(window.openWindowCount()).isZero();
    }

    @Test
    void shouldMergeTwoSessionsThatALateElementBridges()
    {
        final SessionWindowAggregator window = new SessionWindowAggregator(10, 100, 0, ValueKind.LONG,
            EnumSet.of(Aggregation.SUM, Aggregation.VARIANCE), 1);
        window.addLong(0, 0, 1, collect);
        window.addLong(0, 18, 2, collect);
        window.addLong(0, 9, 4, collect);
        window.fireAll(collect);

        assertThat(fired).hasSize(1);
        assertThat(fired.get(0)).usingRecursiveComparison().ignoringFields("variance")
            .isEqualTo(new WindowSnapshot(0, 0, 28, 3, 7, 1, 4, 7.0 / 3, 0));
        // Population variance of 1, 4, 2 merged from two sessions: ((16 + 25 + 1) / 9) / 3.
        assertThat(fired.get(0).variance()).isCloseTo(14.0 / 9, within(1e-12));
    }

    @Test
    void shouldReportEarlyResultsOfOpenSessions()
    {
        final SessionWindowAggregator window = new SessionWindowAggregator(10, 0, 0, 5, ValueKind.LONG,
            EnumSet.of(Aggregation.COUNT), 1);
        for (long t = 0; t <= 12; t += 2)
        {
            window.addLong(0, t, 1, collect);
        }
        window.addLong(0, 40, 1, collect);

        assertThat(early).containsExactly("0:3", "0:5", "0:7", "0:7");
        assertThat(fired).extracting(WindowSnapshot::count).containsExactly(7L);
    }

    @Test
    void shouldKeepSessionsApartWhenElementsAreExactlyAGapApart()
    {
        final SessionWindowAggregator window = new SessionWindowAggregator(10, 0, 0, ValueKind.LONG,
            EnumSet.of(Aggregation.COUNT), 1);
        window.addLong(0, 0, 1, collect);
        window.addLong(0, 10, 1, collect);
        window.fireAll(collect);

        assertThat(fired).extracting(WindowSnapshot::start).containsExactly(0L, 10L);
    }

    @ParameterizedTest
    @EnumSource(ValueKind.class)
    void shouldNotAllocateInSteadyState(final ValueKind kind)
    {
        final SessionWindowAggregator window = new SessionWindowAggregator(5, 20, 5, kind,
            EnumSet.allOf(Aggregation.class), 1_000);
        final long[] sink = new long[1];
        final WindowListener listener = result -> sink[0] += result.count();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        loop(window, kind, listener, 0, 2_000_000);

        final long before = threads.getThreadAllocatedBytes(threadId);
        final long measurementCost = threads.getThreadAllocatedBytes(threadId) - before;
        final long start = threads.getThreadAllocatedBytes(threadId);
        loop(window, kind, listener, 2_000_000, 1_000_000);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - start - measurementCost;

        assertThat(sink[0]).isPositive();
        assertThat(allocated).isZero();
    }

    @Test
    void shouldRejectAGapBelowOne()
    {
        assertThatThrownBy(() -> new SessionWindowAggregator(0, 0, 0, ValueKind.LONG, EnumSet.of(Aggregation.SUM), 1))
            .hasMessage("gap must be >= 1, was 0");
    }

    private static void loop(final SessionWindowAggregator window, final ValueKind kind,
        final WindowListener listener, final int from, final int count)
    {
        for (int i = from; i < from + count; i++)
        {
            final long time = i / 20 + (i % 1_000 < 500 ? 0 : 7) - (i % 13 == 0 ? 15 : 0);
            if (kind == ValueKind.LONG)
            {
                window.addLong(i % 1_000, time, i % 977, listener);
            }
            else
            {
                window.addDouble(i % 1_000, time, (i % 977) * 0.5, listener);
            }
        }
    }
}
