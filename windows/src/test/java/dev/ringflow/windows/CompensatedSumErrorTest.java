package dev.ringflow.windows;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CompensatedSum#add} carries the same rounding error, bit for bit, as Neumaier's textbook form (which picks
 * the larger magnitude by a branch), on finite values of every scale and sign.
 */
class CompensatedSumErrorTest
{
    @Test
    void shouldCarryTheSameErrorAsNeumaiersBranchingForm()
    {
        final long seed = TestSeeds.seed("shouldCarryTheSameErrorAsNeumaiersBranchingForm");
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] words = new long[2];
        double sum = 0;
        double compensation = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            if (random.nextInt(1_000) == 0)
            {
                CompensatedSum.reset(words, 0);
                sum = 0;
                compensation = 0;
            }
            final double value = finite(random);
            CompensatedSum.add(words, 0, value);
            final double t = sum + value;
            compensation += Math.abs(sum) >= Math.abs(value) ? (sum - t) + value : (value - t) + sum;
            sum = t;
            assertThat(words[0]).as("sum after %d adds (seed %d)", i, seed).isEqualTo(Double.doubleToRawLongBits(sum));
            assertThat(words[1]).as("compensation after %d adds (seed %d)", i, seed)
                .isEqualTo(Double.doubleToRawLongBits(compensation));
        }
    }

    private static double finite(final SplittableRandom random)
    {
        while (true)
        {
            final double value = random.nextBoolean() ? Double.longBitsToDouble(random.nextLong()) :
                (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-20, 21));
            if (Double.isFinite(value) && Math.abs(value) < 1e300)
            {
                return value;
            }
        }
    }
}
