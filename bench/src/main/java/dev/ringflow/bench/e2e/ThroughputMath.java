package dev.ringflow.bench.e2e;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

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
     * One timed run of a pipeline or scenario from its JVM's launch until its group had committed the input, as the
     * harnesses' reports take it; the rates and per-million figures follow from the recorded ones.
     */
    interface Measured
    {
        /** Which round (from 1). */
        int round();

        /** Input records. */
        long records();

        /** From the JVM's launch until its group had committed the input. */
        double seconds();

        /** From the launch until a {@code read_committed} consumer read the first output. */
        double firstOutputSeconds();

        /** User + system CPU of the run's JVM over {@link #seconds()}. */
        double cpuSeconds();

        /** User + system CPU of the broker's JVM over the same interval. */
        double brokerCpuSeconds();

        /** The output check's outcome, in words. */
        String check();

        default double recordsPerSecond()
        {
            return records() / seconds();
        }

        default double cpuPerMillion()
        {
            return perMillion(cpuSeconds(), records());
        }

        default double brokerCpuPerMillion()
        {
            return perMillion(brokerCpuSeconds(), records());
        }

        /** The run in one line, as the harnesses log it when it finishes. */
        default String outline()
        {
            return String.format(Locale.ROOT, "  %.2f s (first output %.2f s), %,.0f records/s; CPU %.2f s/M " +
                "records, broker %.2f s/M; %s", seconds(), firstOutputSeconds(), recordsPerSecond(), cpuPerMillion(),
                brokerCpuPerMillion(), check());
        }
    }

    /**
     * @return one value per round ({@code rounds} of them) of the runs {@code which} selects, in round order; NaN
     * for a round where none was selected (a later run of the same round wins).
     */
    static <R extends Measured> double[] perRound(final List<R> runs, final int rounds, final Predicate<R> which,
        final ToDoubleFunction<R> value)
    {
        final double[] values = new double[rounds];
        Arrays.fill(values, Double.NaN);
        for (final R run : runs)
        {
            if (which.test(run))
            {
                values[run.round() - 1] = value.applyAsDouble(run);
            }
        }
        return values;
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
