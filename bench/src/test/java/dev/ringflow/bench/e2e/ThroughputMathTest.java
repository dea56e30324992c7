package dev.ringflow.bench.e2e;

import dev.ringflow.bench.TestSeeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Medians over rounds and ratios within a round, against a naive oracle on random data.
 */
class ThroughputMathTest
{
    @Test
    void shouldTakeTheMiddleValueOrTheMeanOfTheMiddleTwo()
    {
        assertThat(ThroughputMath.median(5)).isEqualTo(5);
        assertThat(ThroughputMath.median(3, 1, 2)).isEqualTo(2);
        assertThat(ThroughputMath.median(4, 1, 3, 2)).isEqualTo(2.5);
        assertThat(ThroughputMath.median()).isNaN();
        assertThat(ThroughputMath.median(1, Double.NaN, 3)).isNaN();
    }

    @Test
    void shouldNotReorderTheCallersValues()
    {
        final double[] values = { 3, 1, 2 };

        ThroughputMath.median(values);

        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void shouldMatchANaiveMedianOnRandomValues()
    {
        final SplittableRandom random = new SplittableRandom(TestSeeds.seed("shouldMatchANaiveMedianOnRandomValues"));
        for (int trial = 0; trial < 1_000; trial++)
        {
            final double[] values = new double[1 + random.nextInt(9)];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = random.nextInt(20);
            }

            assertThat(ThroughputMath.median(values)).isEqualTo(naiveMedian(values));
        }
    }

    @Test
    void shouldTakeRatiosRoundByRound()
    {
        final double[] ratios = ThroughputMath.ratios(new double[] { 800, 500, 900 }, new double[] { 1000, 400, 900 });

        assertThat(ratios).containsExactly(0.8, 1.25, 1.0);
        // The median of the rounds' ratios, not the ratio of the medians (900 / 900 = 1.0 here).
        assertThat(ThroughputMath.median(ratios)).isEqualTo(1.0);
        assertThat(ThroughputMath.median(ThroughputMath.ratios(new double[] { 1, 9 }, new double[] { 2, 3 })))
            .isEqualTo(1.75);
    }

    @Test
    void shouldRefuseRatiosOfRunsFromDifferentRoundCounts()
    {
        assertThatThrownBy(() -> ThroughputMath.ratios(new double[] { 1, 2 }, new double[] { 1 }))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("round by round");
    }

    @Test
    void shouldGiveCpuSecondsPerMillionRecords()
    {
        assertThat(ThroughputMath.perMillion(12.5, 10_000_000)).isCloseTo(1.25, within(1e-12));
        assertThat(ThroughputMath.perMillion(3, 1_000_000)).isCloseTo(3, within(1e-12));
    }

    /** The value with as many values below it as above it (odd count), or the mean of the two such (even). */
    private static double naiveMedian(final double[] values)
    {
        final int n = values.length;
        double lowMiddle = Double.NaN;
        double highMiddle = Double.NaN;
        for (final double candidate : values)
        {
            int below = 0;
            int equal = 0;
            for (final double other : values)
            {
                below += other < candidate ? 1 : 0;
                equal += other == candidate ? 1 : 0;
            }
            // The candidate occupies sorted positions below .. below + equal - 1.
            if (below <= (n - 1) / 2 && (n - 1) / 2 < below + equal)
            {
                lowMiddle = candidate;
            }
            if (below <= n / 2 && n / 2 < below + equal)
            {
                highMiddle = candidate;
            }
        }
        return (lowMiddle + highMiddle) / 2;
    }
}
