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

class TimeWindowAggregatorTest
{
    private final List<TimeWindowOracle.Fired> fired = new ArrayList<>();
    private final List<String> early = new ArrayList<>();
    private final WindowListener collect = result -> collect(result);

    private void collect(final WindowResult result)
    {
        if (!result.isFinal())
        {
            early.add(result.keyId() + "@" + result.windowStartMs() + ":" + result.count());
            return;
        }
        fired.add(new TimeWindowOracle.Fired(result.keyId(),
        result.windowStartMs(), result.windowEndMs(), result.count(), result.doubleValue(Aggregation.SUM),
        result.doubleValue(Aggregation.MIN), result.doubleValue(Aggregation.MAX), result.doubleValue(Aggregation.MEAN),
        result.doubleValue(Aggregation.VARIANCE), result.doubleValue(Aggregation.FIRST),
        result.doubleValue(Aggregation.LAST)));
    }

    @RepeatedTest(10)
    void shouldMatchTheNaiveOracleOnOutOfOrderStreamsWithLateElements()
    {
        final long seed = TestSeeds.seed("shouldMatchTheNaiveOracleOnOutOfOrderStreamsWithLateElements");
        final Random random = new Random(seed);
        final long size = 1 + random.nextInt(100);
        final long advance = 1 + random.nextInt((int)size);
        final long outOfOrderness = random.nextInt(50);
        final long lateness = random.nextInt(3) == 0 ? 0 : random.nextInt(30);
        final ValueKind kind = random.nextBoolean() ? ValueKind.LONG : ValueKind.DOUBLE;
        final long earlyResults = random.nextBoolean() ? 0 : 1 + random.nextInt(20);
        final TimeWindowAggregator window = new TimeWindowAggregator(size, advance, outOfOrderness, lateness,
            earlyResults, kind, EnumSet.allOf(Aggregation.class), 4);
        final TimeWindowOracle oracle = new TimeWindowOracle(size, advance, outOfOrderness, lateness);
        final List<TimeWindowOracle.Fired> expected = new ArrayList<>();
        final int keys = 1 + random.nextInt(8);
        long clock = random.nextInt(1000) - 500;
        for (int i = 0; i < 3_000; i++)
        {
            clock += random.nextInt(5);
            final long time = clock - (random.nextInt(4) == 0 ? random.nextInt((int)(2 * outOfOrderness + lateness +
                size) + 1) : 0);
            final int key = random.nextInt(keys);
            final long longValue = random.nextInt(2001) - 1000;
            final double value = kind == ValueKind.LONG ? longValue : longValue * 0.37;
            final int outcome = kind == ValueKind.LONG ? window.addLong(key, time, longValue, collect) :
                window.addDouble(key, time, value, collect);
            final long lateBefore = oracle.late;
            expected.addAll(oracle.add(key, time, value));
            assertThat(outcome).as("seed %d element %d", seed, i)
                .isEqualTo(oracle.late > lateBefore ? TimeWindowAggregator.LATE : TimeWindowAggregator.ACCEPTED);
        }
        window.fireAll(collect);
        expected.addAll(oracle.fireAll());

        assertThat(window.lateCount()).isEqualTo(oracle.late);
        for (int i = 0; i < Math.min(expected.size(), fired.size()); i++)
        {
            final TimeWindowOracle.Fired want = expected.get(i);
            final TimeWindowOracle.Fired got = fired.get(i);
            final String what = "seed " + seed + " window #" + i + " want " + want + " got " + got;
            assertThat(got.key()).as(what).isEqualTo(want.key());
            assertThat(got.start()).as(what).isEqualTo(want.start());
            assertThat(got.end()).as(what).isEqualTo(want.end());
            assertThat(got.count()).as(what).isEqualTo(want.count());
            assertThat(got.sum()).as(what).isCloseTo(want.sum(), within(1e-9 * Math.max(1, Math.abs(want.sum()))));
            assertThat(got.min()).as(what).isEqualTo(want.min());
            assertThat(got.max()).as(what).isEqualTo(want.max());
            assertThat(got.mean()).as(what).isCloseTo(want.mean(), within(1e-9 * Math.max(1, Math.abs(want.mean()))));
            assertThat(got.variance()).as(what).isCloseTo(want.variance(),
                within(1e-7 * Math.max(1, want.variance())));
            assertThat(got.first()).as(what).isEqualTo(want.first());
            assertThat(got.last()).as(what).isEqualTo(want.last());
        }
        assertThat(fired).hasSameSizeAs(expected);
        assertThat(window.openWindowCount()).isZero();
    }

    @Test
    void shouldReportEarlyResultsOfOpenWindowsAtEveryInterval()
    {
        final TimeWindowAggregator window = new TimeWindowAggregator(10, 10, 0, 0, 3, ValueKind.LONG,
            EnumSet.of(Aggregation.COUNT), 1);
        window.addLong(0, 1, 1, collect);
        window.addLong(0, 4, 1, collect);
        window.addLong(0, 7, 1, collect);
        window.addLong(0, 12, 1, collect);

        assertThat(early).containsExactly("0@0:1", "0@0:2", "0@0:3");
        assertThat(fired).extracting(TimeWindowOracle.Fired::count).containsExactly(3L);
    }

    @Test
    void shouldFireTumblingWindowsWhenTheWatermarkPassesTheirEnd()
    {
        final TimeWindowAggregator window = new TimeWindowAggregator(10, 10, 0, 0, ValueKind.LONG,
            EnumSet.of(Aggregation.SUM), 1);
        window.addLong(0, 1, 5, collect);
        window.addLong(0, 9, 6, collect);
        assertThat(fired).isEmpty();
        window.addLong(0, 10, 7, collect);
        assertThat(fired).extracting(TimeWindowOracle.Fired::sum).containsExactly(11.0);
        assertThat(fired.get(0).start()).isZero();
        assertThat(fired.get(0).end()).isEqualTo(10);
    }

    @Test
    void shouldCloseWindowsOfIdleKeysWhenOtherKeysAdvanceTheWatermark()
    {
        final TimeWindowAggregator window = new TimeWindowAggregator(10, 10, 2, 0, ValueKind.LONG,
            EnumSet.of(Aggregation.COUNT), 1);
        window.addLong(7, 3, 1, collect);
        window.addLong(1, 11, 1, collect);
        assertThat(fired).isEmpty();
        window.addLong(1, 12, 1, collect);
        assertThat(fired).extracting(TimeWindowOracle.Fired::key).containsExactly(7);
    }

    @Test
    void shouldRejectElementsWhoseWindowsHaveFiredAndCountThem()
    {
        final TimeWindowAggregator window = new TimeWindowAggregator(10, 10, 0, 5, ValueKind.LONG,
            EnumSet.of(Aggregation.SUM), 1);
        window.addLong(0, 1, 1, collect);
        window.addLong(0, 14, 1, collect);
        assertThat(window.addLong(0, 2, 1, collect)).isEqualTo(TimeWindowAggregator.ACCEPTED);
        window.addLong(0, 15, 1, collect);
        assertThat(fired).extracting(TimeWindowOracle.Fired::sum).containsExactly(2.0);
        assertThat(window.addLong(0, 3, 1, collect)).isEqualTo(TimeWindowAggregator.LATE);
        assertThat(window.lateCount()).isEqualTo(1);
    }

    @Test
    void shouldCloseWindowsWhenTheWatermarkIsAdvancedFromOutside()
    {
        final TimeWindowAggregator window = new TimeWindowAggregator(10, 5, 100, 0, ValueKind.DOUBLE,
            EnumSet.of(Aggregation.MEAN), 1);
        window.addDouble(0, 7, 1.0, collect);
        window.addDouble(0, 8, 2.0, collect);
        window.advanceWatermark(15, collect);
        assertThat(fired).extracting(TimeWindowOracle.Fired::start).containsExactly(0L, 5L);
        assertThat(fired).extracting(TimeWindowOracle.Fired::mean).containsExactly(1.5, 1.5);
    }

    @ParameterizedTest
    @EnumSource(ValueKind.class)
    void shouldNotAllocateInSteadyState(final ValueKind kind)
    {
        final TimeWindowAggregator window = new TimeWindowAggregator(1_000, 250, 50, 10, kind,
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
    void shouldRejectInvalidParametersNamingThem()
    {
        assertThatThrownBy(() -> new TimeWindowAggregator(0, 1, 0, 0, ValueKind.LONG, EnumSet.of(Aggregation.SUM), 1))
            .hasMessage("size must be >= 1, was 0");
        assertThatThrownBy(() -> new TimeWindowAggregator(10, 11, 0, 0, ValueKind.LONG, EnumSet.of(Aggregation.SUM),
            1)).hasMessage("advance must be from 1 to size (10), was 11");
        assertThatThrownBy(() -> new TimeWindowAggregator(10, 10, -1, 0, ValueKind.LONG,
            EnumSet.of(Aggregation.SUM), 1)).hasMessage("out-of-orderness must be >= 0, was -1");
    }

    private static void loop(final TimeWindowAggregator window, final ValueKind kind, final WindowListener listener,
        final int from, final int count)
    {
        for (int i = from; i < from + count; i++)
        {
            final long time = i / 10 - (i % 7 == 0 ? 30 : 0);
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
