package dev.ringflow.models.anomaly;

import dev.ringflow.models.TestSeeds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnomalyDetectorTest
{
    private static final int EVENTS = 30_000;
    private static final int KEYS = 50;

    @Test
    void shouldApplyTheZRuleWithTheStdFloorAndMinCount()
    {
        assertThat(ZScore.z(13, 10, 1, 1e-9)).isEqualTo(3.0);
        assertThat(ZScore.z(10.5, 10, 0, 0.25)).isEqualTo(2.0);
        assertThat(ZScore.z(1, Double.NaN, Double.NaN, 1e-9)).isNaN();
        assertThat(ZScore.isAnomaly(3.0, 5, 2, 3.0)).isFalse();
        assertThat(ZScore.isAnomaly(-3.01, 5, 2, 3.0)).isTrue();
        assertThat(ZScore.isAnomaly(100, 1, 2, 3.0)).isFalse();
        assertThat(ZScore.isAnomaly(Double.NaN, 10, 0, 0)).isFalse();
    }

    @Test
    void shouldJudgeACountWindowAgainstThePreviousValuesOnly()
    {
        final AnomalyDetector detector = AnomalySpec.countWindow(3).threshold(2).minCount(3).newDetector(4);
        assertThat(detector.onValue(7, 0, 10)).isFalse();
        assertThat(detector.count()).isZero();
        assertThat(detector.z()).isNaN();
        detector.onValue(7, 0, 12);
        detector.onValue(7, 0, 14);
        assertThat(detector.onValue(7, 0, 100)).isTrue();
        assertThat(detector.mean()).isEqualTo(12.0);
        assertThat(detector.std()).isCloseTo(Math.sqrt(8.0 / 3), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(detector.count()).isEqualTo(3);
        detector.onValue(7, 0, 16);
        assertThat(detector.mean()).isEqualTo((12 + 14 + 100) / 3.0);
    }

    @Test
    void shouldJudgeEwmaAgainstTheStateBeforeTheValue()
    {
        final AnomalyDetector detector = AnomalySpec.ewma(0.5).threshold(1).minCount(1).newDetector(1);
        assertThat(detector.onValue(0, 0, 10)).isFalse();
        assertThat(detector.onValue(0, 0, 14)).isTrue();
        assertThat(detector.mean()).isEqualTo(10.0);
        assertThat(detector.std()).isEqualTo(0.0);
        // diff 4, incr 2: mean 12, var 0.5 * (0 + 4 * 2) = 4
        detector.onValue(0, 0, 12);
        assertThat(detector.mean()).isEqualTo(12.0);
        assertThat(detector.std()).isEqualTo(2.0);
        assertThat(detector.z()).isEqualTo(0.0);
        assertThat(detector.count()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAnIllDefinedDetector()
    {
        assertThatThrownBy(() -> AnomalySpec.ewma(0).conclude()).hasMessageContaining("alpha");
        assertThatThrownBy(() -> AnomalySpec.ewma(1.5).conclude()).hasMessageContaining("alpha");
        assertThatThrownBy(() -> AnomalySpec.countWindow(5).minStd(0).conclude()).hasMessageContaining("min-std");
        assertThatThrownBy(() -> AnomalySpec.countWindow(5).threshold(-1).conclude())
            .hasMessageContaining("threshold");
        assertThatThrownBy(() -> AnomalySpec.countWindow(5).minCount(-1).conclude())
            .hasMessageContaining("min-count");
        assertThatThrownBy(() -> AnomalySpec.countWindow(0).newDetector(1)).hasMessageContaining("range");
    }

    @Test
    void shouldMatchTheNaiveDetectorOverACountWindow()
    {
        checkAgainstNaive(AnomalySpec.countWindow(20).threshold(2.5).minCount(5), "countWindow");
        checkAgainstNaive(AnomalySpec.countWindow(1).threshold(2.5).minCount(1).minStd(30), "countWindowOfOne");
    }

    /** Above {@link CountZScoreDetector#MAX_RANGE} a count window is kept by {@link WindowZScoreDetector}. */
    @Test
    void shouldMatchTheNaiveDetectorOverALongCountWindow()
    {
        final AnomalySpec spec = AnomalySpec.countWindow(CountZScoreDetector.MAX_RANGE + 1).threshold(2.5);
        assertThat(spec.newDetector(1)).isInstanceOf(WindowZScoreDetector.class);
        assertThat(AnomalySpec.countWindow(CountZScoreDetector.MAX_RANGE).newDetector(1))
            .isInstanceOf(CountZScoreDetector.class);
        checkAgainstNaive(spec, "longCountWindow");
    }

    /**
     * The shifted sums against a two-pass oracle where raw sums of squares would lose every digit: values near 1e9
     * with a spread of 1e-3, a level shift by 1e6 halfway, then values near 0 with a spread of 1e3. The mean and
     * standard deviation must stay within 1e-6 of the spread (not of the values).
     */
    @Test
    void shouldKeepTheStdOfLargeValuesWithASmallSpread()
    {
        final long seed = TestSeeds.seed("shouldKeepTheStdOfLargeValuesWithASmallSpread");
        final Random random = new Random(seed);
        final AnomalySpec spec = AnomalySpec.countWindow(50).threshold(4);
        final AnomalyDetector detector = spec.newDetector(1);
        final NaiveAnomalyDetector naive = new NaiveAnomalyDetector(spec);
        for (int i = 0; i < 20_000; i++)
        {
            final double level = i < 5_000 ? 1e9 : i < 10_000 ? 1e9 + 1e6 : 0;
            final double spread = i < 10_000 ? 1e-3 : 1e3;
            final double value = level + spread * random.nextGaussian();
            final NaiveAnomalyDetector.Verdict expected = naive.onValue(0, i, value);
            detector.onValue(0, i, value);
            final String at = "seed " + seed + " value " + i;
            if (expected.count() > 1 && (i < 5_000 || i >= 5_050 && i < 10_000 || i >= 10_050))
            {
                // Inside a level (a window across the shift has a spread of the shift's size).
                // The oracle's own mean (a plain sum of 50 values near 1e9) is good to about 1e-14 of the level.
                assertThat(Math.abs(detector.mean() - expected.mean())).as(at + " mean")
                    .isLessThanOrEqualTo(1e-6 * spread + 1e-14 * level);
                assertThat(Math.abs(detector.std() - expected.std())).as(at + " std: %s vs %s", detector.std(),
                    expected.std()).isLessThanOrEqualTo(1e-6 * spread);
            }
        }
    }

    @Test
    void shouldRefuseTheStateOfAnotherBaselineOrRange() throws IOException
    {
        final AnomalyDetector ring = AnomalySpec.countWindow(10).newDetector(1);
        ring.onValue(0, 0, 1);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ring.writeState(new DataOutputStream(bytes));
        assertThatThrownBy(() -> AnomalySpec.countWindow(11).newDetector(1).readState(new DataInputStream(
            new ByteArrayInputStream(bytes.toByteArray())))).hasMessageContaining("zscore range");
        // The state of the windows-based baseline (an older release's count windows) is refused, not misread.
        final AnomalyDetector windows = AnomalySpec.countWindow(CountZScoreDetector.MAX_RANGE + 1).newDetector(1);
        windows.onValue(0, 0, 1);
        final ByteArrayOutputStream old = new ByteArrayOutputStream();
        windows.writeState(new DataOutputStream(old));
        assertThatThrownBy(() -> AnomalySpec.countWindow(10).newDetector(1).readState(new DataInputStream(
            new ByteArrayInputStream(old.toByteArray())))).hasMessageContaining("zscore baseline format");
    }

    @Test
    void shouldMatchTheNaiveDetectorOverATimeWindowWithLateValues()
    {
        checkAgainstNaive(AnomalySpec.timeWindow(5_000).threshold(2.5).minCount(3), "timeWindow");
        checkAgainstNaive(AnomalySpec.timeWindow(5_000).outOfOrdernessMs(2_000).threshold(2), "timeWindowLate");
    }

    @Test
    void shouldMatchTheNaiveEwmaExactly()
    {
        checkAgainstNaive(AnomalySpec.ewma(0.1).threshold(2.5).minCount(5), "ewma");
    }

    /** Random keys, normal values with spikes, missing values, times with jitter; a snapshot restored mid-stream. */
    private static void checkAgainstNaive(final AnomalySpec spec, final String name)
    {
        final long seed = TestSeeds.seed(name);
        final Random random = new Random(seed);
        final NaiveAnomalyDetector naive = new NaiveAnomalyDetector(spec);
        AnomalyDetector detector = spec.newDetector(4);
        final boolean exact = spec.method() == AnomalySpec.Method.EWMA;
        long time = 1_000_000;
        int anomalies = 0;
        for (int i = 0; i < EVENTS; i++)
        {
            if (i == EVENTS / 2)
            {
                detector = restored(spec, detector);
            }
            final int key = random.nextInt(KEYS);
            time += random.nextInt(40);
            final long eventTime = time - (random.nextInt(10) == 0 ? random.nextInt(6_000) : 0);
            final double value = random.nextInt(50) == 0 ? Double.NaN :
                100 + 10 * random.nextGaussian() + (random.nextInt(30) == 0 ? 80 : 0);
            final NaiveAnomalyDetector.Verdict expected = naive.onValue(key, eventTime, value);
            final boolean anomaly = detector.onValue(key, eventTime, value);
            final String at = name + " seed " + seed + " event " + i;
            assertThat(detector.count()).as(at + " count").isEqualTo(expected.count());
            if (exact)
            {
                assertThat(anomaly).as(at).isEqualTo(expected.anomaly());
                assertThat(Double.doubleToLongBits(detector.z())).as(at + " z")
                    .isEqualTo(Double.doubleToLongBits(expected.z()));
                assertThat(Double.doubleToLongBits(detector.mean())).as(at + " mean")
                    .isEqualTo(Double.doubleToLongBits(expected.mean()));
                assertThat(Double.doubleToLongBits(detector.std())).as(at + " std")
                    .isEqualTo(Double.doubleToLongBits(expected.std()));
            }
            else
            {
                assertClose(detector.mean(), expected.mean(), at + " mean");
                assertClose(detector.std(), expected.std(), at + " std");
                assertCloseZ(detector.z(), expected, spec.minStd(), at + " z");
                if (Double.isNaN(expected.z()) || Math.abs(Math.abs(expected.z()) - spec.threshold()) > 1e-6)
                {
                    assertThat(anomaly).as(at + " anomaly").isEqualTo(expected.anomaly());
                }
            }
            anomalies += expected.anomaly() ? 1 : 0;
        }
        assertThat(anomalies).as("the stream must exercise both outcomes").isBetween(10, EVENTS / 4);
    }

    private static void assertClose(final double actual, final double expected, final String what)
    {
        if (Double.isNaN(expected))
        {
            assertThat(actual).as(what).isNaN();
        }
        else
        {
            assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected)
                .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(expected)));
        }
    }

    /**
     * z = (x - mean) / max(std, minStd) carries the errors {@link #assertClose} allows in the mean and the std,
     * divided by that std: with near-equal previous values the std is tiny, its own rounding error relatively
     * large, and z huge. The bound is what those allowed errors make of z, no more.
     */
    private static void assertCloseZ(final double actual, final NaiveAnomalyDetector.Verdict expected,
        final double minStd, final String what)
    {
        if (Double.isNaN(expected.z()))
        {
            assertThat(actual).as(what).isNaN();
            return;
        }
        final double std = Math.max(expected.std(), minStd);
        final double stdError = 1e-9 * Math.max(1, Math.abs(expected.std()));
        final double meanError = 1e-9 * Math.max(1, Math.abs(expected.mean()));
        final double bound = 1e-9 * Math.max(1, Math.abs(expected.z())) +
            (Math.abs(expected.z()) * stdError + meanError) / std;
        assertThat(Math.abs(actual - expected.z())).as(what + ": " + actual + " vs " + expected.z() + " (mean " +
            expected.mean() + ", std " + expected.std() + ")").isLessThanOrEqualTo(bound);
    }

    private static AnomalyDetector restored(final AnomalySpec spec, final AnomalyDetector detector)
    {
        try
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            detector.writeState(new DataOutputStream(bytes));
            final AnomalyDetector copy = spec.newDetector(1);
            copy.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            final ByteArrayOutputStream again = new ByteArrayOutputStream();
            copy.writeState(new DataOutputStream(again));
            assertThat(again.toByteArray()).isEqualTo(bytes.toByteArray());
            return copy;
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldRefuseASnapshotOfAnotherAlpha() throws IOException
    {
        final AnomalyDetector detector = AnomalySpec.ewma(0.1).newDetector(1);
        detector.onValue(0, 0, 1);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        detector.writeState(new DataOutputStream(bytes));
        final AnomalyDetector other = AnomalySpec.ewma(0.2).newDetector(1);
        assertThatThrownBy(() -> other.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
            .hasMessageContaining("alpha");
    }

    @Test
    void shouldNotAllocateInSteadyState()
    {
        for (final AnomalySpec spec : new AnomalySpec[] {AnomalySpec.countWindow(100), AnomalySpec.ewma(0.05),
            AnomalySpec.timeWindow(10_000)})
        {
            final AnomalyDetector detector = spec.newDetector(10_000);
            final Random random = new Random(TestSeeds.seed("allocation " + spec));
            final double[] values = new double[4096];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = 100 + random.nextGaussian();
            }
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long threadId = Thread.currentThread().getId();
            long sink = run(detector, values, 0, 2_000_000);
            final long before = threads.getThreadAllocatedBytes(threadId);
            sink += run(detector, values, 2_000_000, 1_000_000);
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertThat(sink).isPositive();
            assertThat(allocated).as(spec + " bytes over 1,000,000 warm values").isLessThan(1024);
        }
    }

    private static long run(final AnomalyDetector detector, final double[] values, final int from, final int count)
    {
        long anomalies = 1;
        for (int i = from; i < from + count; i++)
        {
            anomalies += detector.onValue(i % 10_000, i, values[i & 4095]) ? 1 : 0;
        }
        return anomalies;
    }
}
