package dev.ringflow.windows;

/**
 * Mergeable partial aggregates in parallel primitive arrays, one slot per pane: count, exact long or double sum,
 * min, max, Welford mean and M2, and the values with the earliest and latest event time. Windows are answered by
 * merging their panes, so every aggregation is exact or numerically stable without ever subtracting.
 * <p>
 * <b>Note:</b> Not thread-safe; allocation free once constructed.
 */
final class PaneStore
{
    private final boolean isLong;
    final long[] count;
    final long[] sumLong;
    final double[] sum;
    final long[] min;
    final long[] max;
    final double[] mean;
    final double[] m2;
    final long[] first;
    final long[] firstTime;
    final long[] last;
    final long[] lastTime;

    PaneStore(final int slots, final ValueKind kind)
    {
        isLong = kind == ValueKind.LONG;
        count = new long[slots];
        sumLong = new long[slots];
        sum = new double[slots];
        min = new long[slots];
        max = new long[slots];
        mean = new double[slots];
        m2 = new double[slots];
        first = new long[slots];
        firstTime = new long[slots];
        last = new long[slots];
        lastTime = new long[slots];
    }

    void clear(final int slot)
    {
        count[slot] = 0;
        sumLong[slot] = 0;
        sum[slot] = 0;
        mean[slot] = 0;
        m2[slot] = 0;
    }

    /**
     * Adds a value (raw long bits for doubles) with its event time. Ties on time keep arrival order: first is the
     * earliest-arrived of the earliest time, last the latest-arrived of the latest time.
     */
    void add(final int slot, final long bits, final long timeMs)
    {
        final double value = isLong ? bits : Double.longBitsToDouble(bits);
        final long n = ++count[slot];
        if (n == 1)
        {
            min[slot] = bits;
            max[slot] = bits;
            first[slot] = bits;
            firstTime[slot] = timeMs;
            last[slot] = bits;
            lastTime[slot] = timeMs;
        }
        else
        {
            if (less(bits, min[slot]))
            {
                min[slot] = bits;
            }
            if (less(max[slot], bits))
            {
                max[slot] = bits;
            }
            if (timeMs < firstTime[slot])
            {
                first[slot] = bits;
                firstTime[slot] = timeMs;
            }
            if (timeMs >= lastTime[slot])
            {
                last[slot] = bits;
                lastTime[slot] = timeMs;
            }
        }
        sumLong[slot] += bits;
        sum[slot] += value;
        final double delta = value - mean[slot];
        mean[slot] += delta / n;
        m2[slot] += delta * (value - mean[slot]);
    }

    /** Starts a merge into {@code result}. */
    static void begin(final WindowResult result)
    {
        result.count = 0;
        result.sumLong = 0;
        result.sum = 0;
        result.mergeMean = 0;
        result.mergeM2 = 0;
    }

    /** Merges a pane into {@code result} (Chan's formula for mean and M2). */
    void mergeInto(final WindowResult result, final int slot)
    {
        final long n = count[slot];
        if (n == 0)
        {
            return;
        }
        final long total = result.count + n;
        if (result.count == 0)
        {
            result.min = min[slot];
            result.max = max[slot];
            result.first = first[slot];
            result.firstTimeMs = firstTime[slot];
            result.last = last[slot];
            result.lastTimeMs = lastTime[slot];
            result.mergeMean = mean[slot];
            result.mergeM2 = m2[slot];
        }
        else
        {
            if (less(min[slot], result.min))
            {
                result.min = min[slot];
            }
            if (less(result.max, max[slot]))
            {
                result.max = max[slot];
            }
            if (firstTime[slot] < result.firstTimeMs)
            {
                result.first = first[slot];
                result.firstTimeMs = firstTime[slot];
            }
            if (lastTime[slot] >= result.lastTimeMs)
            {
                result.last = last[slot];
                result.lastTimeMs = lastTime[slot];
            }
            final double delta = mean[slot] - result.mergeMean;
            result.mergeMean += delta * n / total;
            result.mergeM2 += m2[slot] + delta * delta * result.count * n / total;
        }
        result.count = total;
        result.sumLong += sumLong[slot];
        result.sum += sum[slot];
    }

    /** Finishes a merge: derives the variance. */
    static void end(final WindowResult result)
    {
        result.variance = result.count == 0 ? 0 : Math.max(0, result.mergeM2 / result.count);
    }

    private boolean less(final long a, final long b)
    {
        return isLong ? a < b : Double.compare(Double.longBitsToDouble(a), Double.longBitsToDouble(b)) < 0;
    }
}
