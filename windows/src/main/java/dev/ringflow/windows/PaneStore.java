package dev.ringflow.windows;

import java.io.IOException;
import java.io.DataOutput;

import java.io.DataInput;

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
    private final boolean moments;
    private long[] count;
    private long[] sumLong;
    private double[] sum;
    private long[] min;
    private long[] max;
    private double[] mean;
    private double[] m2;
    private long[] first;
    private long[] firstTime;
    private long[] last;
    private long[] lastTime;

    /**
     * @param moments keep the running mean and M2 (only variance and standard deviation need them; the mean is
     *                the sum over the count): the Welford update's division is the costliest step of an add.
     */
    PaneStore(final int slots, final ValueKind kind, final boolean moments)
    {
        isLong = kind == ValueKind.LONG;
        this.moments = moments;
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

    int capacity()
    {
        return count.length;
    }

    /** Grows to at least {@code slots} slots, keeping the contents (allocates: for growth only). */
    void ensureCapacity(final int slots)
    {
        if (slots <= count.length)
        {
            return;
        }
        final int length = Math.max(slots, count.length << 1);
        count = java.util.Arrays.copyOf(count, length);
        sumLong = java.util.Arrays.copyOf(sumLong, length);
        sum = java.util.Arrays.copyOf(sum, length);
        min = java.util.Arrays.copyOf(min, length);
        max = java.util.Arrays.copyOf(max, length);
        mean = java.util.Arrays.copyOf(mean, length);
        m2 = java.util.Arrays.copyOf(m2, length);
        first = java.util.Arrays.copyOf(first, length);
        firstTime = java.util.Arrays.copyOf(firstTime, length);
        last = java.util.Arrays.copyOf(last, length);
        lastTime = java.util.Arrays.copyOf(lastTime, length);
    }

    long count(final int slot)
    {
        return count[slot];
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
        if (moments)
        {
            final double delta = value - mean[slot];
            mean[slot] += delta / n;
            m2[slot] += delta * (value - mean[slot]);
        }
    }

    /** True when variance or standard deviation is among {@code aggregations}. */
    static boolean needsMoments(final java.util.Set<Aggregation> aggregations)
    {
        return aggregations.contains(Aggregation.VARIANCE) || aggregations.contains(Aggregation.STDDEV);
    }

    /** Merges slot {@code source} into slot {@code target} (Chan's formula for mean and M2). */
    void mergeSlot(final int target, final int source)
    {
        final long n = count[source];
        if (n == 0)
        {
            return;
        }
        final long m = count[target];
        if (m == 0)
        {
            copy(target, source);
            return;
        }
        final long total = m + n;
        if (less(min[source], min[target]))
        {
            min[target] = min[source];
        }
        if (less(max[target], max[source]))
        {
            max[target] = max[source];
        }
        if (firstTime[source] < firstTime[target])
        {
            first[target] = first[source];
            firstTime[target] = firstTime[source];
        }
        if (lastTime[source] >= lastTime[target])
        {
            last[target] = last[source];
            lastTime[target] = lastTime[source];
        }
        if (moments)
        {
            final double delta = mean[source] - mean[target];
            mean[target] += delta * n / total;
            m2[target] += m2[source] + delta * delta * m * n / total;
        }
        count[target] = total;
        sumLong[target] += sumLong[source];
        sum[target] += sum[source];
    }

    void copy(final int target, final int source)
    {
        count[target] = count[source];
        sumLong[target] = sumLong[source];
        sum[target] = sum[source];
        min[target] = min[source];
        max[target] = max[source];
        mean[target] = mean[source];
        m2[target] = m2[source];
        first[target] = first[source];
        firstTime[target] = firstTime[source];
        last[target] = last[source];
        lastTime[target] = lastTime[source];
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
            if (moments)
            {
                final double delta = mean[slot] - result.mergeMean;
                result.mergeMean += delta * n / total;
                result.mergeM2 += m2[slot] + delta * delta * result.count * n / total;
            }
        }
        result.count = total;
        result.sumLong += sumLong[slot];
        result.sum += sum[slot];
    }

    /** Finishes a merge: derives the variance. */
    static void end(final WindowResult result)
    {
        // Without moments M2 stays 0: skip the division, which costs more than the rest of a firing.
        result.variance = result.count == 0 || result.mergeM2 == 0 ? 0 : Math.max(0, result.mergeM2 / result.count);
    }

    private boolean less(final long a, final long b)
    {
        return isLong ? a < b : Double.compare(Double.longBitsToDouble(a), Double.longBitsToDouble(b)) < 0;
    }

    /** Writes the first {@code slots} slots. */
    void writeState(final DataOutput out, final int slots) throws IOException
    {
        WindowSnapshots.writeCheck(out, moments ? 1 : 0);
        out.writeInt(slots);
        WindowSnapshots.writeLongs(out, count, slots);
        WindowSnapshots.writeLongs(out, sumLong, slots);
        WindowSnapshots.writeDoubles(out, sum, slots);
        WindowSnapshots.writeLongs(out, min, slots);
        WindowSnapshots.writeLongs(out, max, slots);
        WindowSnapshots.writeDoubles(out, mean, slots);
        WindowSnapshots.writeDoubles(out, m2, slots);
        WindowSnapshots.writeLongs(out, first, slots);
        WindowSnapshots.writeLongs(out, firstTime, slots);
        WindowSnapshots.writeLongs(out, last, slots);
        WindowSnapshots.writeLongs(out, lastTime, slots);
    }

    /** Reads slots written by {@link #writeState}, growing as needed; returns how many were read. */
    int readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readCheck(in, moments ? 1 : 0, "variance/stddev aggregation (1 = requested)");
        final int slots = in.readInt();
        if (slots < 0)
        {
            throw new java.io.StreamCorruptedException("pane count " + slots);
        }
        ensureCapacity(slots);
        final int read = WindowSnapshots.readLongs(in, count);
        WindowSnapshots.readLongs(in, sumLong);
        WindowSnapshots.readDoubles(in, sum);
        WindowSnapshots.readLongs(in, min);
        WindowSnapshots.readLongs(in, max);
        WindowSnapshots.readDoubles(in, mean);
        WindowSnapshots.readDoubles(in, m2);
        WindowSnapshots.readLongs(in, first);
        WindowSnapshots.readLongs(in, firstTime);
        WindowSnapshots.readLongs(in, last);
        WindowSnapshots.readLongs(in, lastTime);
        return read;
    }
}
