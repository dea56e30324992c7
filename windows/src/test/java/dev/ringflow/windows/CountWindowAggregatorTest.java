package dev.ringflow.windows;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CountWindowAggregatorTest
{
    private static final Set<Aggregation> ALL = EnumSet.allOf(Aggregation.class);
    private static final int[] LOOP_KEY_IDS = java.util.stream.IntStream.range(0, 1_000).toArray();

    @RepeatedTest(8)
    void shouldMatchTheNaiveOracleOnRandomLongStreams()
    {
        final long seed = TestSeeds.seed("shouldMatchTheNaiveOracleOnRandomLongStreams");
        final Random random = new Random(seed);
        // Half the runs in the ranges that scan for min and max instead of keeping deques.
        final int range = 1 + random.nextInt(random.nextBoolean() ? CountWindowAggregator.SCAN_RANGE + 4 : 50);
        final int slide = 1 + random.nextInt(60);
        final Set<Aggregation> aggregations = randomSubset(random);
        final CountWindowAggregator window = new CountWindowAggregator(range, slide, ValueKind.LONG, aggregations, 4);
        final CountWindowOracle oracle = new CountWindowOracle(range, slide);
        final int keys = 1 + random.nextInt(20);
        for (int i = 0; i < 50_000; i++)
        {
            final int key = random.nextInt(keys);
            final long value = random.nextInt(4) == 0 ? random.nextLong() >> 20 : random.nextInt(201) - 100;
            addAndCheck(window, oracle, key, value, value, aggregations, seed, i);
        }
    }

    @RepeatedTest(8)
    void shouldMatchTheNaiveOracleOnRandomDoubleStreams()
    {
        final long seed = TestSeeds.seed("shouldMatchTheNaiveOracleOnRandomDoubleStreams");
        final Random random = new Random(seed);
        // Half the runs in the ranges that scan for min and max instead of keeping deques.
        final int range = 1 + random.nextInt(random.nextBoolean() ? CountWindowAggregator.SCAN_RANGE + 4 : 50);
        final int slide = 1 + random.nextInt(60);
        final Set<Aggregation> aggregations = randomSubset(random);
        final CountWindowAggregator window = new CountWindowAggregator(range, slide, ValueKind.DOUBLE, aggregations,
            4);
        final CountWindowOracle oracle = new CountWindowOracle(range, slide);
        final int keys = 1 + random.nextInt(20);
        for (int i = 0; i < 50_000; i++)
        {
            final int key = random.nextInt(keys);
            final double value = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(7) - 3);
            addAndCheck(window, oracle, key, 0, value, aggregations, seed, i);
        }
    }

    /**
     * Every record layout: rings inside the key's header (header and ring within 8 words) and apart from it, with
     * one or two suffix extremes beside each value, long and double sums, variance reading through the strides.
     */
    @ParameterizedTest
    @EnumSource(ValueKind.class)
    void shouldMatchTheNaiveOracleInEveryRecordLayout(final ValueKind kind)
    {
        final long seed = TestSeeds.seed("shouldMatchTheNaiveOracleInEveryRecordLayout " + kind);
        final Random random = new Random(seed);
        final boolean isLong = kind == ValueKind.LONG;
        final Set<Set<Aggregation>> sets = Set.of(EnumSet.of(Aggregation.SUM), EnumSet.of(Aggregation.MAX),
            EnumSet.of(Aggregation.MIN, Aggregation.COUNT), EnumSet.of(Aggregation.SUM, Aggregation.MIN, Aggregation.MAX),
            EnumSet.of(Aggregation.VARIANCE, Aggregation.MAX, Aggregation.FIRST), ALL);
        for (final int range : new int[] { 1, 3, 5, 6, 9, 40 })
        {
            for (final Set<Aggregation> aggregations : sets)
            {
                final int slide = 1 + random.nextInt(3);
                final CountWindowAggregator window = new CountWindowAggregator(range, slide, kind, aggregations, 1);
                final CountWindowOracle oracle = new CountWindowOracle(range, slide);
                for (int i = 0; i < 20_000; i++)
                {
                    final int key = random.nextInt(300);
                    final long longValue = random.nextInt(2_001) - 1_000;
                    addAndCheck(window, oracle, key, longValue, isLong ? longValue : longValue * 0.125, aggregations,
                        seed, i);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ValueKind.class)
    void shouldGiveTheSameResultsWithPrefetchInGroups(final ValueKind kind)
    {
        final long seed = TestSeeds.seed("shouldGiveTheSameResultsWithPrefetchInGroups " + kind);
        final Random random = new Random(seed);
        final boolean isLong = kind == ValueKind.LONG;
        final int range = 1 + random.nextInt(random.nextBoolean() ? 8 : 200);
        final int slide = 1 + random.nextInt(4);
        final Set<Aggregation> aggregations = randomSubset(random);
        final CountWindowAggregator plain = new CountWindowAggregator(range, slide, kind, aggregations, 1);
        final CountWindowAggregator prefetched = new CountWindowAggregator(range, slide, kind, aggregations, 1);
        final int[] keyIds = new int[200_000];
        final long[] values = new long[keyIds.length];
        for (int i = 0; i < keyIds.length; i++)
        {
            // Key ids grow over the run, so groups name keys (and pages) not seen yet.
            keyIds[i] = random.nextInt(1 + i / 20);
            values[i] = random.nextInt(2_001) - 1_000;
        }
        for (int group = 0; group < keyIds.length; group += ElementWindows.PREFETCH_GROUP)
        {
            final int end = Math.min(keyIds.length, group + ElementWindows.PREFETCH_GROUP);
            prefetched.prefetch(keyIds, group, end);
            for (int i = group; i < end; i++)
            {
                final boolean fired = isLong ? plain.addLong(keyIds[i], values[i]) :
                    plain.addDouble(keyIds[i], values[i] * 0.5);
                final boolean firedAfterPrefetch = isLong ? prefetched.addLong(keyIds[i], values[i]) :
                    prefetched.addDouble(keyIds[i], values[i] * 0.5);
                assertThat(firedAfterPrefetch).as("seed %d element %d", seed, i).isEqualTo(fired);
                if (fired)
                {
                    for (final Aggregation aggregation : aggregations)
                    {
                        assertThat(prefetched.result().doubleValue(aggregation))
                            .as("seed %d element %d %s", seed, i, aggregation)
                            .isEqualTo(plain.result().doubleValue(aggregation));
                    }
                }
            }
        }
        assertThat(prefetched.keyCount()).isEqualTo(plain.keyCount());
    }

    @ParameterizedTest
    @EnumSource(ValueKind.class)
    void shouldStartRemovedKeysAfreshAndKeepTheOthers(final ValueKind kind)
    {
        final long seed = TestSeeds.seed("shouldStartRemovedKeysAfreshAndKeepTheOthers " + kind);
        final Random random = new Random(seed);
        final int range = 1 + random.nextInt(20);
        final int slide = 1 + random.nextInt(3);
        final CountWindowAggregator window = new CountWindowAggregator(range, slide, kind, ALL, 1);
        final CountWindowOracle oracle = new CountWindowOracle(range, slide);
        final int keys = 1 + random.nextInt(3_000);
        final int[] generation = new int[keys];
        for (int i = 0; i < 100_000; i++)
        {
            final int key = random.nextInt(keys);
            if (random.nextInt(200) == 0)
            {
                window.removeKey(key);
                generation[key]++;
                continue;
            }
            final long longValue = random.nextInt(201) - 100;
            final double value = kind == ValueKind.LONG ? longValue : longValue * 0.25;
            final boolean fired = kind == ValueKind.LONG ? window.addLong(key, longValue) :
                window.addDouble(key, value);
            final CountWindowOracle.Fired expected = oracle.add(key + keys * generation[key], value, longValue);
            assertThat(fired).as("seed %d element %d", seed, i).isEqualTo(null != expected);
            if (fired)
            {
                assertMatches(window.result(), new CountWindowOracle.Fired(key, expected.count(), expected.values(),
                    expected.longs()), ALL, kind == ValueKind.LONG, seed, i);
            }
        }
        window.removeKey(keys + 100_000);
        for (int key = 0; key < keys; key++)
        {
            window.removeKey(key);
        }
        assertThat(window.keyCount()).isZero();
    }

    @Test
    void shouldEmitEveryElementForRangeOne()
    {
        final CountWindowAggregator window = window(1, 1, Aggregation.SUM, Aggregation.MIN);
        assertThat(window.addLong(0, 4)).isTrue();
        assertThat(window.result().longValue(Aggregation.SUM)).isEqualTo(4);
        assertThat(window.addLong(0, -9)).isTrue();
        assertThat(window.result().longValue(Aggregation.SUM)).isEqualTo(-9);
        assertThat(window.result().longValue(Aggregation.MIN)).isEqualTo(-9);
        assertThat(window.result().count()).isEqualTo(1);
    }

    @Test
    void shouldSumTheLastFiveElementsEveryElement()
    {
        final CountWindowAggregator window = window(5, 1, Aggregation.SUM);
        final long[] expected = { 1, 3, 6, 10, 15, 20, 25 };
        for (int i = 1; i <= 7; i++)
        {
            assertThat(window.addLong(3, i)).isTrue();
            assertThat(window.result().longValue(Aggregation.SUM)).isEqualTo(expected[i - 1]);
            assertThat(window.result().keyId()).isEqualTo(3);
        }
        assertThat(window.result().firstSequence()).isEqualTo(3);
        assertThat(window.result().lastSequence()).isEqualTo(7);
    }

    @Test
    void shouldFireTumblingWindowsOnceEveryRange()
    {
        final CountWindowAggregator window = window(3, 3, Aggregation.SUM, Aggregation.FIRST, Aggregation.LAST);
        assertThat(window.addLong(0, 1)).isFalse();
        assertThat(window.addLong(0, 2)).isFalse();
        assertThat(window.addLong(0, 3)).isTrue();
        assertThat(window.result().longValue(Aggregation.SUM)).isEqualTo(6);
        assertThat(window.addLong(0, 4)).isFalse();
        assertThat(window.addLong(0, 5)).isFalse();
        assertThat(window.addLong(0, 6)).isTrue();
        assertThat(window.result().longValue(Aggregation.SUM)).isEqualTo(15);
        assertThat(window.result().longValue(Aggregation.FIRST)).isEqualTo(4);
        assertThat(window.result().longValue(Aggregation.LAST)).isEqualTo(6);
    }

    @Test
    void shouldLeaveGapsWhenTheSlideExceedsTheRange()
    {
        final CountWindowAggregator window = window(2, 4, Aggregation.SUM);
        for (int i = 1; i <= 8; i++)
        {
            final boolean fired = window.addLong(0, i);
            assertThat(fired).isEqualTo(i % 4 == 0);
            if (fired)
            {
                assertThat(window.result().longValue(Aggregation.SUM)).isEqualTo(i + i - 1);
            }
        }
    }

    @Test
    void shouldTrackMinAndMaxOverMonotonicAndEqualRuns()
    {
        final CountWindowAggregator window = window(3, 1, Aggregation.MIN, Aggregation.MAX);
        final long[] values = { 5, 5, 5, 4, 3, 2, 2, 3, 4, 5, 6 };
        final long[] mins = { 5, 5, 5, 4, 3, 2, 2, 2, 2, 3, 4 };
        final long[] maxs = { 5, 5, 5, 5, 5, 4, 3, 3, 4, 5, 6 };
        for (int i = 0; i < values.length; i++)
        {
            window.addLong(0, values[i]);
            assertThat(window.result().longValue(Aggregation.MIN)).as("min #%d", i).isEqualTo(mins[i]);
            assertThat(window.result().longValue(Aggregation.MAX)).as("max #%d", i).isEqualTo(maxs[i]);
        }
    }

    @Test
    void shouldHandleLongExtremes()
    {
        final CountWindowAggregator window = window(2, 1, Aggregation.MIN, Aggregation.MAX);
        window.addLong(0, Long.MAX_VALUE);
        window.addLong(0, Long.MIN_VALUE);
        assertThat(window.result().longValue(Aggregation.MIN)).isEqualTo(Long.MIN_VALUE);
        assertThat(window.result().longValue(Aggregation.MAX)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldKeepKeysApart()
    {
        final CountWindowAggregator window = window(2, 1, Aggregation.SUM);
        window.addLong(0, 1);
        window.addLong(1000, 100);
        window.addLong(0, 2);
        assertThat(window.result().longValue(Aggregation.SUM)).isEqualTo(3);
        window.addLong(1000, 200);
        assertThat(window.result().longValue(Aggregation.SUM)).isEqualTo(300);
        assertThat(window.keyCount()).isEqualTo(2);
        window.clear();
        assertThat(window.keyCount()).isZero();
        window.addLong(0, 7);
        assertThat(window.result().longValue(Aggregation.SUM)).isEqualTo(7);
    }

    @Test
    void shouldComputeMeanAndPopulationVarianceOfIntegers()
    {
        final CountWindowAggregator window = window(4, 4, Aggregation.MEAN, Aggregation.VARIANCE, Aggregation.STDDEV);
        for (final long v : new long[] { 2, 4, 4, 6 })
        {
            window.addLong(0, v);
        }
        assertThat(window.result().isIntegral(Aggregation.MEAN)).isFalse();
        assertThat(window.result().doubleValue(Aggregation.MEAN)).isEqualTo(4.0);
        assertThat(window.result().doubleValue(Aggregation.VARIANCE)).isEqualTo(2.0);
        assertThat(window.result().doubleValue(Aggregation.STDDEV)).isEqualTo(Math.sqrt(2.0));
    }

    @Test
    void shouldNotDriftOverAMillionSlidesOfMixedMagnitudes()
    {
        final long seed = TestSeeds.seed("shouldNotDriftOverAMillionSlidesOfMixedMagnitudes");
        final Random random = new Random(seed);
        final int range = 1000;
        final CountWindowAggregator window = new CountWindowAggregator(range, 1, ValueKind.DOUBLE,
            EnumSet.of(Aggregation.SUM, Aggregation.VARIANCE), 1);
        final double[] recent = new double[range];
        for (int i = 0; i < 2_000_000; i++)
        {
            final double value = (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(13) - 6);
            recent[i % range] = value;
            window.addDouble(0, value);
        }
        final java.math.BigDecimal exact = java.util.Arrays.stream(recent).mapToObj(java.math.BigDecimal::new)
            .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
        final double sum = window.result().doubleValue(Aggregation.SUM);
        assertThat(Math.abs(sum - exact.doubleValue()) / Math.abs(exact.doubleValue())).isLessThan(1e-9);
        // The window is configured with VARIANCE too: check it against the exact population variance.
        final java.math.MathContext context = java.math.MathContext.DECIMAL128;
        final java.math.BigDecimal mean = exact.divide(java.math.BigDecimal.valueOf(range), context);
        final java.math.BigDecimal exactVariance = java.util.Arrays.stream(recent)
            .mapToObj(v -> new java.math.BigDecimal(v).subtract(mean).pow(2, context))
            .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add)
            .divide(java.math.BigDecimal.valueOf(range), context);
        final double variance = window.result().doubleValue(Aggregation.VARIANCE);
        assertThat(Math.abs(variance - exactVariance.doubleValue()) / exactVariance.doubleValue()).isLessThan(1e-9);
    }

    @ParameterizedTest
    @EnumSource(ValueKind.class)
    void shouldNotAllocateInSteadyState(final ValueKind kind)
    {
        final CountWindowAggregator window = new CountWindowAggregator(64, 1, kind, ALL, 1_000);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        loop(window, kind, 3_000_000);

        final long before = threads.getThreadAllocatedBytes(threadId);
        final long measurementCost = threads.getThreadAllocatedBytes(threadId) - before;
        final long start = threads.getThreadAllocatedBytes(threadId);
        final long checksum = loop(window, kind, 1_000_000);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - start - measurementCost;

        assertThat(checksum).isNotZero();
        assertThat(allocated).isZero();
    }

    @Test
    void shouldRejectInvalidParametersNamingThem()
    {
        assertThatThrownBy(() -> new CountWindowAggregator(0, 1, ValueKind.LONG, ALL, 1))
            .hasMessage("range must be >= 1, was 0");
        assertThatThrownBy(() -> new CountWindowAggregator(1, 0, ValueKind.LONG, ALL, 1))
            .hasMessage("slide must be >= 1, was 0");
        assertThatThrownBy(() -> new CountWindowAggregator(1, 1, ValueKind.LONG, EnumSet.noneOf(Aggregation.class), 1))
            .hasMessageContaining("aggregations must name at least one aggregation");
        final CountWindowAggregator window = new CountWindowAggregator(100, 1, ValueKind.LONG, ALL, 1);
        assertThatThrownBy(() -> window.addLong(-1, 5)).hasMessage("key id must be >= 0, was -1");
        assertThat(window.keyCount()).isZero();
    }

    /** Adds events to 1,000 keys in turn, with a prefetch before each group, as a batch would. */
    private static long loop(final CountWindowAggregator window, final ValueKind kind, final int events)
    {
        final int[] keyIds = LOOP_KEY_IDS;
        long checksum = 0;
        for (int i = 0; i < events; i++)
        {
            final int key = i % 1_000;
            if (0 == i % ElementWindows.PREFETCH_GROUP)
            {
                window.prefetch(keyIds, key, Math.min(1_000, key + ElementWindows.PREFETCH_GROUP));
            }
            final boolean fired = kind == ValueKind.LONG ? window.addLong(key, i % 977) :
                window.addDouble(key, (i % 977) * 0.5);
            if (fired)
            {
                checksum += window.result().longValue(Aggregation.MAX) + window.result().count();
            }
        }
        return checksum;
    }

    /**
     * Adds one element to the window (its long value when the window is of longs) and to the oracle, and checks
     * that both fire alike, with the same aggregates.
     */
    private static void addAndCheck(final CountWindowAggregator window, final CountWindowOracle oracle, final int key,
        final long longValue, final double value, final Set<Aggregation> aggregations, final long seed,
        final int element)
    {
        final boolean isLong = window.kind() == ValueKind.LONG;
        final boolean fired = isLong ? window.addLong(key, longValue) : window.addDouble(key, value);
        final CountWindowOracle.Fired expected = oracle.add(key, value, longValue);
        assertThat(fired).as("seed %d range %d %s element %d", seed, window.range(), aggregations, element)
            .isEqualTo(null != expected);
        if (fired)
        {
            assertMatches(window.result(), expected, aggregations, isLong, seed, element);
        }
    }

    private static void assertMatches(final WindowResult actual, final CountWindowOracle.Fired expected,
        final Set<Aggregation> aggregations, final boolean exact, final long seed, final int element)
    {
        assertThat(actual.keyId()).isEqualTo(expected.keyId());
        assertThat(actual.count()).isEqualTo(expected.count());
        for (final Aggregation aggregation : aggregations)
        {
            final String what = "seed " + seed + " element " + element + " " + aggregation;
            if (exact && actual.isIntegral(aggregation))
            {
                assertThat(actual.longValue(aggregation)).as(what).isEqualTo(expected.longs().get(aggregation));
            }
            else
            {
                final double want = expected.values().get(aggregation);
                final double tolerance = aggregation == Aggregation.VARIANCE || aggregation == Aggregation.STDDEV ?
                    1e-6 * Math.max(1, Math.abs(want)) + 1e-9 : 1e-9 * Math.max(1, Math.abs(want));
                assertThat(actual.doubleValue(aggregation)).as(what).isCloseTo(want, within(tolerance));
            }
        }
    }

    private static Set<Aggregation> randomSubset(final Random random)
    {
        if (random.nextInt(4) == 0)
        {
            if (random.nextBoolean())
            {
                // Extremes only: long windows take their own lean path for these too.
                final EnumSet<Aggregation> extremes =
                    EnumSet.of(random.nextBoolean() ? Aggregation.MIN : Aggregation.MAX);
                extremes.addAll(random.nextBoolean() ? EnumSet.of(Aggregation.COUNT, Aggregation.LAST) :
                    EnumSet.of(Aggregation.MIN, Aggregation.MAX));
                return extremes;
            }
            // Sums and what derives from them only: long windows take their own lean path for these.
            final EnumSet<Aggregation> sums = EnumSet.of(random.nextBoolean() ? Aggregation.SUM : Aggregation.MEAN);
            for (final Aggregation aggregation : new Aggregation[] {
                Aggregation.SUM, Aggregation.MEAN, Aggregation.COUNT, Aggregation.LAST })
            {
                if (random.nextBoolean())
                {
                    sums.add(aggregation);
                }
            }
            return sums;
        }
        final EnumSet<Aggregation> subset = EnumSet.noneOf(Aggregation.class);
        for (final Aggregation aggregation : Aggregation.values())
        {
            if (random.nextBoolean())
            {
                subset.add(aggregation);
            }
        }
        if (subset.isEmpty())
        {
            subset.add(Aggregation.values()[random.nextInt(Aggregation.values().length)]);
        }
        return subset;
    }

    private static CountWindowAggregator window(final int range, final int slide, final Aggregation... aggregations)
    {
        return new CountWindowAggregator(range, slide, ValueKind.LONG, EnumSet.of(aggregations[0], aggregations), 1);
    }
}
