package dev.ringflow.windows;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import static dev.ringflow.windows.Aggregation.COUNT;
import static dev.ringflow.windows.Aggregation.FIRST;
import static dev.ringflow.windows.Aggregation.LAST;
import static dev.ringflow.windows.Aggregation.MAX;
import static dev.ringflow.windows.Aggregation.MEAN;
import static dev.ringflow.windows.Aggregation.MIN;
import static dev.ringflow.windows.Aggregation.STDDEV;
import static dev.ringflow.windows.Aggregation.SUM;
import static dev.ringflow.windows.Aggregation.VARIANCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link FeatureWindows} against {@link FeatureWindowsOracle} on random streams, rule by rule on small ones, through
 * a snapshot, and for allocation. Random tests print their seed; {@code -Dringflow.seed=N} runs one again.
 */
class FeatureWindowsTest
{
    private static final Set<Aggregation> ALL = EnumSet.allOf(Aggregation.class);
    private static final double NO = FeatureWindows.MISSING;

    @RepeatedTest(12)
    void shouldMatchTheNaiveOracleOnRandomStreams()
    {
        final long seed = seed("shouldMatchTheNaiveOracleOnRandomStreams");
        final Random random = new Random(seed);
        final FeatureWindowSpec[] specs = randomSpecs(random);
        assertMatchesOracle(seed, random, specs, new RandomFeatureStream(random, specs.length));
    }

    /**
     * Late events in every time window's paths: inserted before the sliding window (kept only for later late
     * events), into its front (rebuilt) or its back, or dropped as too late.
     */
    @RepeatedTest(6)
    void shouldMatchTheNaiveOracleOnTimeWindowsWithManyLateEvents()
    {
        final long seed = seed("shouldMatchTheNaiveOracleOnTimeWindowsWithManyLateEvents");
        final Random random = new Random(seed);
        final FeatureWindowSpec[] specs = new FeatureWindowSpec[2];
        for (int w = 0; w < specs.length; w++)
        {
            specs[w] = FeatureWindowSpec.timeWindow(10 + random.nextInt(1_000)).aggregations(ALL)
                .outOfOrdernessMs(random.nextInt(1_500)).excludeCurrent(random.nextBoolean());
        }
        assertMatchesOracle(seed, random, specs, new RandomFeatureStream(random, specs.length, 30));
    }

    private static void assertMatchesOracle(final long seed, final Random random, final FeatureWindowSpec[] specs,
        final RandomFeatureStream stream)
    {
        final FeatureWindows windows = new FeatureWindows(2, specs);
        final FeatureWindowsOracle oracle = new FeatureWindowsOracle(specs);
        for (int i = 0; i < 30_000; i++)
        {
            stream.next();
            if (random.nextInt(2_000) == 0)
            {
                windows.forget(stream.keyId);
                oracle.forget(stream.keyId);
            }
            windows.onEvent(stream.keyId, stream.timeMs, stream.values);
            final FeatureWindowsOracle.Answer[] expected = oracle.onEvent(stream.keyId, stream.timeMs, stream.values);
            for (int w = 0; w < specs.length; w++)
            {
                assertMatches(windows, w, specs[w], expected[w], "seed " + seed + " event " + i + " window " + w +
                    " " + specs[w] + " key " + stream.keyId + " time " + stream.timeMs);
            }
            if (i % 500 == 0)
            {
                oracle.prune();
            }
        }
    }

    @RepeatedTest(6)
    void shouldContinueFromASnapshotExactlyAsIfNeverInterrupted() throws IOException
    {
        final long seed = seed("shouldContinueFromASnapshotExactlyAsIfNeverInterrupted");
        final Random random = new Random(seed);
        final FeatureWindowSpec[] specs = randomSpecs(random);
        final FeatureWindows uninterrupted = new FeatureWindows(2, specs);
        FeatureWindows restarted = new FeatureWindows(2, specs);
        final RandomFeatureStream stream = new RandomFeatureStream(random, specs.length);
        final int events = 8_000;
        final int snapshotAt = random.nextInt(events);
        for (int i = 0; i < events; i++)
        {
            if (i == snapshotAt)
            {
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                restarted.writeState(new DataOutputStream(bytes));
                restarted = new FeatureWindows(1, specs);
                restarted.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            }
            stream.next();
            uninterrupted.onEvent(stream.keyId, stream.timeMs, stream.values);
            restarted.onEvent(stream.keyId, stream.timeMs, stream.values);
            for (int w = 0; w < specs.length; w++)
            {
                for (final Aggregation aggregation : Aggregation.values())
                {
                    assertThat(Double.doubleToRawLongBits(restarted.result(w, aggregation)))
                        .as("seed %d event %d (snapshot at %d) window %d %s", seed, i, snapshotAt, w, aggregation)
                        .isEqualTo(Double.doubleToRawLongBits(uninterrupted.result(w, aggregation)));
                }
            }
        }
    }

    @Test
    void shouldIncludeTheCurrentEventUnlessExcluded()
    {
        final FeatureWindows windows = new FeatureWindows(1,
            FeatureWindowSpec.countWindow(2).aggregations(ALL),
            FeatureWindowSpec.countWindow(2).aggregations(ALL).excludeCurrent(true),
            FeatureWindowSpec.timeWindow(10).aggregations(ALL),
            FeatureWindowSpec.timeWindow(10).aggregations(ALL).excludeCurrent(true));
        windows.onEvent(0, 100, new double[] { 1, 1, 1, 1 });
        windows.onEvent(0, 105, new double[] { 2, 2, 2, 2 });
        windows.onEvent(0, 112, new double[] { 4, 4, 4, 4 });

        assertThat(windows.result(0, SUM)).isEqualTo(6);
        assertThat(windows.result(1, SUM)).isEqualTo(3);
        assertThat(windows.result(2, SUM)).isEqualTo(6);
        assertThat(windows.result(3, SUM)).isEqualTo(2);
        assertThat(windows.result(3, FIRST)).isEqualTo(2);
        assertThat(windows.result(2, LAST)).isEqualTo(4);
        assertThat(windows.result(2, VARIANCE)).isEqualTo(1);
        assertThat(windows.result(2, STDDEV)).isEqualTo(1);
    }

    @Test
    void shouldAnswerCountZeroAndNaNWhenTheCurrentEventIsExcludedAndThereIsNoPreviousOne()
    {
        final FeatureWindows windows = new FeatureWindows(1,
            FeatureWindowSpec.countWindow(3).aggregations(ALL).excludeCurrent(true),
            FeatureWindowSpec.timeWindow(1_000).aggregations(ALL).excludeCurrent(true));
        windows.onEvent(7, 5_000, new double[] { 3, 3 });
        for (int w = 0; w < 2; w++)
        {
            assertThat(windows.hasResult(w)).isFalse();
            assertThat(windows.count(w)).isZero();
            assertThat(windows.result(w, COUNT)).isZero();
            for (final Aggregation aggregation : EnumSet.complementOf(EnumSet.of(COUNT)))
            {
                assertThat(windows.result(w, aggregation)).as("%s", aggregation).isNaN();
            }
        }
        windows.onEvent(7, 7_000, new double[] { 4, 4 });
        assertThat(windows.result(0, MEAN)).isEqualTo(3);
        assertThat(windows.hasResult(1)).as("the time window's previous event is more than 1 s before").isFalse();
    }

    @Test
    void shouldNotShowALateEventTheEarlierArrivalsWithLaterTimes()
    {
        final FeatureWindows windows = new FeatureWindows(1, FeatureWindowSpec.timeWindow(100).aggregations(ALL));
        windows.onEvent(0, 1_000, new double[] { 1 });
        windows.onEvent(0, 1_050, new double[] { 2 });
        windows.onEvent(0, 1_020, new double[] { 10 });

        assertThat(windows.count(0)).isEqualTo(2);
        assertThat(windows.result(0, SUM)).isEqualTo(11);
        assertThat(windows.result(0, FIRST)).isEqualTo(1);
        assertThat(windows.result(0, LAST)).as("the newest in time is the current event").isEqualTo(10);
    }

    @Test
    void shouldCountALateEventInTheWindowsOfLaterEventsWhereItsTimeFalls()
    {
        final FeatureWindows windows = new FeatureWindows(1,
            FeatureWindowSpec.timeWindow(100).aggregations(EnumSet.of(SUM, MIN, MAX, FIRST)));
        windows.onEvent(0, 1_000, new double[] { 1 });
        windows.onEvent(0, 1_090, new double[] { 2 });
        windows.onEvent(0, 1_040, new double[] { -5 });
        windows.onEvent(0, 1_120, new double[] { 4 });

        assertThat(windows.result(0, SUM)).as("1 left at 1100; 2, -5 and 4 remain").isEqualTo(1);
        assertThat(windows.result(0, MIN)).isEqualTo(-5);
        assertThat(windows.result(0, FIRST)).isEqualTo(-5);
        windows.onEvent(0, 1_140, new double[] { 8 });
        assertThat(windows.result(0, MIN)).as("-5 left at 1140").isEqualTo(2);
        assertThat(windows.result(0, MAX)).isEqualTo(8);
    }

    @Test
    void shouldAnswerAnEventLaterThanTheOutOfOrdernessOverWhatIsKept()
    {
        final FeatureWindows strict = new FeatureWindows(1, FeatureWindowSpec.timeWindow(100).aggregations(ALL));
        final FeatureWindows tolerant = new FeatureWindows(1,
            FeatureWindowSpec.timeWindow(100).aggregations(ALL).outOfOrdernessMs(50));
        for (final FeatureWindows windows : new FeatureWindows[] { strict, tolerant })
        {
            windows.onEvent(0, 1_000, new double[] { 1 });
            windows.onEvent(0, 1_030, new double[] { 2 });
            windows.onEvent(0, 1_120, new double[] { 3 });
            windows.onEvent(0, 1_080, new double[] { 4 });
        }
        assertThat(strict.result(0, SUM)).as("1 (at 1000 <= 1120 - 100) was dropped").isEqualTo(6);
        assertThat(tolerant.result(0, SUM)).as("kept down to 1120 - 100 - 50").isEqualTo(7);

        strict.onEvent(0, 1_010, new double[] { 16 });
        assertThat(strict.result(0, SUM)).as("at or before 1020: too late to keep, sees only itself").isEqualTo(16);
        strict.onEvent(0, 1_020, new double[] { 32 });
        assertThat(strict.result(0, SUM)).as("exactly 1120 - 100: not kept either").isEqualTo(32);
        strict.onEvent(0, 1_060, new double[] { 64 });
        assertThat(strict.result(0, SUM)).as("(1020, 1060]: 2 and itself, neither 16 nor 32").isEqualTo(66);
        strict.onEvent(0, 1_125, new double[] { 0 });
        assertThat(strict.result(0, SUM)).as("2 + 64 + 4 + 3 + 0").isEqualTo(73);
    }

    @Test
    void shouldSkipAWindowForAnEventThatLacksItsValueAndAnswerAsIfItWereExcluded()
    {
        final FeatureWindows windows = new FeatureWindows(1,
            FeatureWindowSpec.countWindow(2).aggregations(ALL),
            FeatureWindowSpec.timeWindow(100).aggregations(ALL));
        windows.onEvent(3, 1_000, new double[] { 1, 1 });
        windows.onEvent(3, 1_050, new double[] { NO, Double.POSITIVE_INFINITY });
        assertThat(windows.result(0, SUM)).isEqualTo(1);
        assertThat(windows.result(1, SUM)).isEqualTo(1);
        windows.onEvent(3, 1_120, new double[] { 5, NO });
        assertThat(windows.result(0, SUM)).as("the event without a value is not in the window").isEqualTo(6);
        assertThat(windows.hasResult(1)).as("1 left the time window at 1100").isFalse();
        windows.onEvent(3, 1_121, new double[] { 7, 7 });
        assertThat(windows.result(0, SUM)).isEqualTo(12);
        assertThat(windows.result(1, SUM)).isEqualTo(7);
    }

    @Test
    void shouldForgetAKeySoThatItsIdCanServeAnotherKey()
    {
        final FeatureWindows windows = new FeatureWindows(1,
            FeatureWindowSpec.countWindow(4).aggregations(ALL),
            FeatureWindowSpec.timeWindow(1_000).aggregations(ALL).excludeCurrent(true));
        windows.onEvent(2, 5_000, new double[] { 9, 9 });
        windows.onEvent(2, 5_001, new double[] { 9, 9 });
        windows.forget(2);
        windows.forget(40);
        windows.onEvent(2, 100, new double[] { 1, 1 });

        assertThat(windows.count(0)).isEqualTo(1);
        assertThat(windows.result(0, MAX)).isEqualTo(1);
        assertThat(windows.hasResult(1)).isFalse();
        windows.onEvent(2, 200, new double[] { 2, 2 });
        assertThat(windows.result(1, SUM)).as("time 100 is not late for the new key").isEqualTo(1);
    }

    /**
     * The sliding sum subtracts what leaves, and the variance would too if it were kept as a running sum of
     * squares: after values of 1e15 leave, what remains must still come out exact (the window is 0.1, 0.2, 0.3).
     */
    @Test
    void shouldKeepSmallValuesExactAfterHugeOnesLeaveTheWindow()
    {
        final FeatureWindows windows = new FeatureWindows(1,
            FeatureWindowSpec.countWindow(3).aggregations(ALL),
            FeatureWindowSpec.timeWindow(3).aggregations(ALL));
        long timeMs = 0;
        for (int round = 0; round < 1_000; round++)
        {
            windows.onEvent(0, timeMs++, new double[] { 1e15 + round, 1e15 + round });
            windows.onEvent(0, timeMs++, new double[] { -3e15, -3e15 });
            windows.onEvent(0, timeMs++, new double[] { 0.1, 0.1 });
            windows.onEvent(0, timeMs++, new double[] { 0.2, 0.2 });
            windows.onEvent(0, timeMs++, new double[] { 0.3, 0.3 });
            for (int w = 0; w < 2; w++)
            {
                assertThat(windows.result(w, SUM)).isCloseTo(0.6, within(1e-16));
                assertThat(windows.result(w, VARIANCE)).isCloseTo(0.02 / 3, within(1e-17));
            }
        }
    }

    @Test
    void shouldReadNaNForAnAggregationTheWindowWasNotBuiltWith()
    {
        final FeatureWindows windows = new FeatureWindows(1, FeatureWindowSpec.timeWindow(10).aggregations(
            EnumSet.of(SUM)));
        windows.onEvent(0, 0, new double[] { 2 });
        assertThat(windows.result(0, SUM)).isEqualTo(2);
        assertThat(windows.result(0, COUNT)).isEqualTo(1);
        assertThat(windows.result(0, MAX)).isNaN();
    }

    @Test
    void shouldRejectInvalidWindowsNamingThem()
    {
        assertThatThrownBy(() -> new FeatureWindows(1)).hasMessage("a features task needs at least one window");
        assertThatThrownBy(() -> new FeatureWindows(1, FeatureWindowSpec.countWindow(0).aggregations(ALL)))
            .hasMessage("count window (range 0): range must be from 1 to 2147483647, was 0");
        assertThatThrownBy(() -> new FeatureWindows(1, FeatureWindowSpec.timeWindow(10)))
            .hasMessage("time window (range-ms 10): aggregations must name at least one aggregation");
        assertThatThrownBy(() -> new FeatureWindows(1,
            FeatureWindowSpec.timeWindow(10).aggregations(ALL).outOfOrdernessMs(-1)))
            .hasMessageContaining("out-of-orderness must be from 0");
        assertThatThrownBy(() -> new FeatureWindows(1,
            FeatureWindowSpec.countWindow(3).aggregations(ALL).outOfOrdernessMs(5)))
            .hasMessageContaining("out-of-orderness applies to time windows only");
        final FeatureWindows windows = new FeatureWindows(1, FeatureWindowSpec.countWindow(3).aggregations(ALL));
        assertThatThrownBy(() -> windows.onEvent(-1, 0, new double[] { 1 })).hasMessage("key id must be >= 0, was -1");
    }

    @Test
    void shouldRefuseASnapshotOfOtherWindows() throws IOException
    {
        final FeatureWindows windows = new FeatureWindows(1, FeatureWindowSpec.timeWindow(10).aggregations(ALL));
        windows.onEvent(0, 0, new double[] { 2 });
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        windows.writeState(new DataOutputStream(bytes));
        final FeatureWindows other = new FeatureWindows(1,
            FeatureWindowSpec.timeWindow(10).aggregations(ALL).excludeCurrent(true));

        assertThatThrownBy(() -> other.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
            .isInstanceOf(SnapshotMismatchException.class)
            .hasMessageContaining("exclude-current");
    }

    /**
     * 10,000 keys in turn, 4 events each (36 ms apart, the third 100 ms before the second: a late insert), every 13th
     * event lacking the time windows' value: after a warm-up in which every key's ring reaches its size, a million
     * events allocate nothing.
     */
    @Test
    void shouldNotAllocateInSteadyState()
    {
        final FeatureWindows windows = new FeatureWindows(10_000,
            FeatureWindowSpec.countWindow(5).aggregations(EnumSet.of(MEAN, MAX)),
            FeatureWindowSpec.countWindow(40).aggregations(ALL).excludeCurrent(true),
            FeatureWindowSpec.timeWindow(3_600_000).aggregations(EnumSet.of(COUNT, SUM, MEAN)),
            FeatureWindowSpec.timeWindow(60_000).aggregations(ALL).outOfOrdernessMs(1_000));
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final double[] values = new double[4];
        loop(windows, values, 0, 3_000_000);

        final long before = threads.getThreadAllocatedBytes(threadId);
        final long measurementCost = threads.getThreadAllocatedBytes(threadId) - before;
        final long start = threads.getThreadAllocatedBytes(threadId);
        final double checksum = loop(windows, values, 3_000_000, 1_000_000);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - start - measurementCost;

        assertThat(checksum).isNotZero();
        assertThat(allocated).isLessThan(1_024);
    }

    /** Events {@code from .. from + events - 1} of the allocation test's stream; returns a sum of the results. */
    private static double loop(final FeatureWindows windows, final double[] values, final int from, final int events)
    {
        double checksum = 0;
        for (int i = from; i < from + events; i++)
        {
            final long timeMs = i * 36L - (i % 4 == 2 ? 100 : 0);
            final double value = (i % 977) * 0.5;
            values[0] = value;
            values[1] = value;
            values[2] = i % 13 == 0 ? NO : value;
            values[3] = values[2];
            windows.onEvent(i / 4 % 10_000, timeMs, values);
            checksum += windows.result(0, MAX) + windows.result(2, MEAN) + windows.count(3);
        }
        return checksum;
    }

    private static void assertMatches(final FeatureWindows windows, final int w, final FeatureWindowSpec spec,
        final FeatureWindowsOracle.Answer expected, final String what)
    {
        assertThat(windows.count(w)).as(what).isEqualTo(expected.count());
        assertThat(windows.hasResult(w)).as(what).isEqualTo(expected.count() > 0);
        final double variance = expected.values().get(VARIANCE);
        final double mean = expected.values().get(MEAN);
        final double stddev = Math.sqrt(variance);
        // Compensated sums are off by about one rounding of the sum plus n * 2^-106 * sum|x| (the second term covers
        // sums that cancel; 1e-12 of the magnitudes is far above it and far below any element's share of them).
        final double sumTolerance = 1e-9 * Math.abs(expected.values().get(SUM)) + 1e-12 * expected.sumOfMagnitudes();
        // Welford and two-pass variances are off by at most about n * eps * sqrt(var^2 + var * mean^2) (Chan, Golub
        // and LeVeque): relative 1e-9 of var + |mean| * sd holds for windows up to ~10^6 elements, and the rounding
        // of the mean itself leaves up to (eps * mean)^2.
        final double varianceTolerance = 1e-9 * (variance + Math.abs(mean) * stddev) + 1e-30 * mean * mean;
        // |sqrt(a) - sqrt(b)| <= min(sqrt|a - b|, |a - b| / sqrt(b)).
        final double stddevTolerance = 0 == stddev ? Math.sqrt(varianceTolerance) :
            Math.min(Math.sqrt(varianceTolerance), varianceTolerance / stddev) + 1e-15 * stddev;
        for (final Aggregation aggregation : Aggregation.values())
        {
            final double actual = windows.result(w, aggregation);
            if (!spec.aggregations().contains(aggregation) && COUNT != aggregation)
            {
                assertThat(actual).as(what + " " + aggregation + " not configured").isNaN();
                continue;
            }
            final double want = expected.values().get(aggregation);
            if (Double.isNaN(want))
            {
                assertThat(actual).as(what + " " + aggregation).isNaN();
                continue;
            }
            switch (aggregation)
            {
                case SUM -> assertThat(actual).as(what + " SUM").isCloseTo(want, within(sumTolerance));
                case MEAN -> assertThat(actual).as(what + " MEAN").isCloseTo(want,
                    within(sumTolerance / expected.count() + 1e-16 * Math.abs(want)));
                case VARIANCE -> assertThat(actual).as(what + " VARIANCE").isCloseTo(want, within(varianceTolerance));
                case STDDEV -> assertThat(actual).as(what + " STDDEV").isCloseTo(want, within(stddevTolerance));
                default -> assertThat(actual).as(what + " " + aggregation).isEqualTo(want);
            }
        }
    }

    /**
     * 1 to 3 windows: count windows of 1 to 60 events, time windows of 1 ms to 30 s, each with every aggregation or a
     * random subset, exclude-current and out-of-orderness at random.
     */
    private static FeatureWindowSpec[] randomSpecs(final Random random)
    {
        final FeatureWindowSpec[] specs = new FeatureWindowSpec[1 + random.nextInt(3)];
        for (int w = 0; w < specs.length; w++)
        {
            final FeatureWindowSpec spec = random.nextBoolean() ?
                FeatureWindowSpec.countWindow(1 + random.nextInt(60)) :
                FeatureWindowSpec.timeWindow(new long[] { 1, 10, 100, 1_000, 10_000 }[random.nextInt(5)] *
                    (1 + random.nextInt(3))).outOfOrdernessMs(random.nextInt(3) == 0 ? 0 : random.nextInt(2_000));
            final Set<Aggregation> subset = EnumSet.noneOf(Aggregation.class);
            for (final Aggregation aggregation : Aggregation.values())
            {
                if (random.nextBoolean())
                {
                    subset.add(aggregation);
                }
            }
            specs[w] = spec.aggregations(random.nextBoolean() || subset.isEmpty() ? ALL : subset)
                .excludeCurrent(random.nextBoolean());
        }
        return specs;
    }

    private static long seed(final String test)
    {
        final long seed = Long.getLong("ringflow.seed", System.nanoTime());
        System.out.println(test + " seed=" + seed);
        return seed;
    }
}
