package dev.ringflow.models.score;

import dev.ringflow.models.TestSeeds;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CompleteFloatTreesTest
{
    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f,
        -1f, 0.5f, 3.2101735E-1f, 16777216f, 16777218f};

    @Test
    void shouldCompareADoubleWithTheDoubleThresholdExactlyAsXgboostComparesItsFloat()
    {
        final long seed = TestSeeds.seed("doubleThreshold");
        final Random random = new Random(seed);
        for (final float threshold : SPECIAL)
        {
            check(threshold, random, seed);
        }
        for (int i = 0; i < 100_000; i++)
        {
            final float threshold = i % 2 == 0 ? Float.intBitsToFloat(random.nextInt()) :
                (float)(random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10));
            if (!Float.isNaN(threshold))
            {
                check(threshold, random, seed);
            }
        }
    }

    /** The doubles around the computed bound and around the float and its neighbours, plus random ones near it. */
    private static void check(final float threshold, final Random random, final long seed)
    {
        final double d = CompleteFloatTrees.doubleThreshold(threshold);
        final double[] probes = {d, Math.nextDown(d), Math.nextUp(d), threshold, Math.nextDown(threshold),
            Math.nextUp(threshold), ((double)threshold + Math.nextDown(threshold)) / 2,
            ((double)threshold + Math.nextUp(threshold)) / 2, threshold * (1 + 1e-8 * random.nextGaussian()),
            Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0};
        for (final double x : probes)
        {
            if (!Double.isNaN(x))
            {
                assertThat(x >= d).as("seed %d: x=%s threshold=%s bound=%s", seed, x, threshold, d)
                    .isEqualTo((float)x >= threshold);
            }
        }
    }
}
