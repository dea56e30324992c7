package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
/**
 * One key's count window: the last {@code range} values in a ring, running sums, and monotonic deques of element
 * numbers for min and max.
 * <p>
 * <b>Note:</b> Owned by one {@link CountWindowAggregator}; allocation free after construction.
 */
final class CountWindowState
{
    /**
     * Values of the last {@code range} elements, element n (1-based) at {@code (n - 1) % range}; null when no
     * requested aggregation needs them (min, max, count and last do not).
     */
    final long[] values;
    /** Where the next element goes in {@link #values}: the oldest element's slot once the window is full. */
    int next;
    /** Elements since the window last fired. */
    int sinceFire;
    /** Elements seen so far. */
    long seen;
    /** Elements of the current window evicted since the sums were last recomputed. */
    int evictionsSinceRecompute;
    long sumLong;
    final CompensatedSum sum;
    final SlidingVariance variance;
    /**
     * Min and max as monotonic deques: element numbers and values in arrival order whose values are monotonic,
     * front = the window's extreme. Number and value sit side by side (number at {@code 2i}, value at
     * {@code 2i + 1}), and the deque's head and size live in this object, so an update touches this object and
     * one array: two cache lines for a key in random order.
     */
    final long[] minEntries;
    int minHead;
    int minSize;
    final long[] maxEntries;
    int maxHead;
    int maxSize;
    final int dequeMask;

    CountWindowState(final int range, final boolean needsValues, final boolean needsDoubleSum,
        final boolean needsVariance, final boolean needsMin, final boolean needsMax)
    {
        values = needsValues ? new long[range] : null;
        sum = needsDoubleSum ? new CompensatedSum() : null;
        variance = needsVariance ? new SlidingVariance(range) : null;
        final int dequeCapacity = Integer.highestOneBit(Math.max(1, range - 1)) << 1;
        dequeMask = dequeCapacity - 1;
        minEntries = needsMin ? new long[dequeCapacity << 1] : null;
        maxEntries = needsMax ? new long[dequeCapacity << 1] : null;
    }

    /** Forgets every element, for reuse by another key. */
    void reset()
    {
        seen = 0;
        next = 0;
        sinceFire = 0;
        evictionsSinceRecompute = 0;
        sumLong = 0;
        if (null != sum)
        {
            sum.reset();
        }
        if (null != variance)
        {
            variance.reset();
        }
        minHead = 0;
        minSize = 0;
        maxHead = 0;
        maxSize = 0;
    }

    void writeState(final DataOutput out) throws IOException
    {
        out.writeInt(next);
        out.writeInt(sinceFire);
        out.writeLong(seen);
        out.writeInt(evictionsSinceRecompute);
        out.writeLong(sumLong);
        if (null != values)
        {
            WindowSnapshots.writeLongs(out, values, values.length);
        }
        if (null != sum)
        {
            sum.writeState(out);
        }
        if (null != variance)
        {
            variance.writeState(out);
        }
        if (null != minEntries)
        {
            WindowSnapshots.writeLongs(out, minEntries, minEntries.length);
            out.writeInt(minHead);
            out.writeInt(minSize);
        }
        if (null != maxEntries)
        {
            WindowSnapshots.writeLongs(out, maxEntries, maxEntries.length);
            out.writeInt(maxHead);
            out.writeInt(maxSize);
        }
    }

    void readState(final DataInput in) throws IOException
    {
        next = in.readInt();
        sinceFire = in.readInt();
        seen = in.readLong();
        evictionsSinceRecompute = in.readInt();
        sumLong = in.readLong();
        if (null != values)
        {
            WindowSnapshots.readLongs(in, values);
        }
        if (null != sum)
        {
            sum.readState(in);
        }
        if (null != variance)
        {
            variance.readState(in);
        }
        if (null != minEntries)
        {
            WindowSnapshots.readLongs(in, minEntries);
            minHead = in.readInt();
            minSize = in.readInt();
        }
        if (null != maxEntries)
        {
            WindowSnapshots.readLongs(in, maxEntries);
            maxHead = in.readInt();
            maxSize = in.readInt();
        }
    }
}
