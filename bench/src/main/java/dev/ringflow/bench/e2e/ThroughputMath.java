package dev.ringflow.bench.e2e;

import java.util.Arrays;

/**
 * The arithmetic of the throughput tables: medians over repeated rounds, and ratios taken within one round (both
 * scenarios of a pair ran minutes apart on the same machine) before the median is taken across rounds.
 * <p>
 * <b>Note:</b> Stateless; NaN stands for "not measured" and propagates.
 */
final class ThroughputMath
{
    private ThroughputMath()
    {
    }

    /**
     * @return the median of {@code values} (the mean of the middle two for an even count), NaN when there are none
     * or any is NaN.
     */
    static double median(final double... values)
    {
        if (0 == values.length)
        {
            return Double.NaN;
        }
        final double[] sorted = values.clone();
        for (final double value : sorted)
        {
            if (Double.isNaN(value))
            {
                return Double.NaN;
            }
        }
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return 0 == sorted.length % 2 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle];
    }

    /**
     * @param values    one value per round.
     * @param baselines the baseline's value in the same rounds.
     * @return the ratio of each round, {@code values[i] / baselines[i]}.
     * @throws IllegalArgumentException when the arrays do not have one value per round each.
     */
    static double[] ratios(final double[] values, final double[] baselines)
    {
        if (values.length != baselines.length)
        {
            throw new IllegalArgumentException(values.length + " values for " + baselines.length + " baselines: " +
                "ratios are taken round by round");
        }
        final double[] ratios = new double[values.length];
        for (int i = 0; i < values.length; i++)
        {
            ratios[i] = values[i] / baselines[i];
        }
        return ratios;
    }

    /** @return CPU seconds per million records. */
    static double perMillion(final double cpuSeconds, final long records)
    {
        return cpuSeconds * 1e6 / records;
    }
}
