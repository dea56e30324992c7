package dev.ringflow.bench.windows;

import dev.ringflow.windows.Aggregation;

/**
 * The baseline: the last {@code range} values in a ring, and the aggregate recomputed from all of them on every
 * element, as one would write it without thinking about cost.
 */
final class NaiveCountWindow
{
    private final long[] values;
    private final Aggregation aggregation;
    private long seen;

    NaiveCountWindow(final int range, final Aggregation aggregation)
    {
        this.values = new long[range];
        this.aggregation = aggregation;
    }

    double add(final long value)
    {
        values[(int)(seen++ % values.length)] = value;
        final int n = (int)Math.min(seen, values.length);
        double sum = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++)
        {
            sum += values[i];
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        switch (aggregation)
        {
            case COUNT:
                return n;
            case SUM:
                return sum;
            case MEAN:
                return sum / n;
            case MIN:
                return min;
            case MAX:
                return max;
            default:
                final double mean = sum / n;
                double squares = 0;
                for (int i = 0; i < n; i++)
                {
                    squares += (values[i] - mean) * (values[i] - mean);
                }
                return squares / n;
        }
    }
}
