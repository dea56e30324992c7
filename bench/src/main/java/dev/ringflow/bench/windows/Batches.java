package dev.ringflow.bench.windows;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ElementWindows;
import dev.ringflow.windows.WindowResult;

/**
 * Feeds one batch of {@value #SIZE} keyed elements to a window, as a worker does with a ring batch,
 * and reads every result that fires. Each JMH fork runs one window class, so the calls stay monomorphic.
 */
final class Batches
{
    /**
     * Elements per benchmark call: a stream is processed in a loop, and one element per call would mostly measure
     * the harness (about 3 ns per call here).
     */
    static final int SIZE = 1024;

    private Batches()
    {
    }

    /**
     * @param from index of the batch's first element; indexes wrap with {@code mask} (array length - 1).
     * @return the sum of the fired results, for the benchmark to return.
     */
    static double feed(final ElementWindows window, final Aggregation aggregation, final int[] keyIds,
        final long[] values, final int from, final int mask)
    {
        final WindowResult result = window.result();
        double total = 0;
        for (int n = from, end = from + Batches.SIZE; n < end; n++)
        {
            final int i = n & mask;
            if (window.addLong(keyIds[i], values[i]))
            {
                total += result.doubleValue(aggregation);
            }
        }
        return total;
    }

    /**
     * {@link #feed}, with {@link ElementWindows#prefetch} before each group of {@link ElementWindows#PREFETCH_GROUP}
     * elements. The batch must not wrap: {@code from & mask} to {@code + SIZE} lies within the arrays.
     */
    static double feedPrefetched(final ElementWindows window, final Aggregation aggregation, final int[] keyIds,
        final long[] values, final int from, final int mask)
    {
        final WindowResult result = window.result();
        final int start = from & mask;
        double total = 0;
        for (int group = start, end = start + Batches.SIZE; group < end; group += ElementWindows.PREFETCH_GROUP)
        {
            final int groupEnd = group + ElementWindows.PREFETCH_GROUP;
            window.prefetch(keyIds, group, groupEnd);
            for (int i = group; i < groupEnd; i++)
            {
                if (window.addLong(keyIds[i], values[i]))
                {
                    total += result.doubleValue(aggregation);
                }
            }
        }
        return total;
    }
}
