package dev.ringflow.windows;

/**
 * One key's count window: the last {@code range} values in a ring, running sums, and monotonic deques of element
 * numbers for min and max.
 * <p>
 * <b>Note:</b> Owned by one {@link CountWindowAggregator}; allocation free after construction.
 */
final class CountWindowState
{
    /** Values of the last {@code range} elements; element n (1-based) lives at {@code (n - 1) % range}. */
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
    final MonotonicDeque minDeque;
    final MonotonicDeque maxDeque;

    CountWindowState(final int range, final boolean needsDoubleSum, final boolean needsVariance,
        final boolean needsMin, final boolean needsMax)
    {
        values = new long[range];
        sum = needsDoubleSum ? new CompensatedSum() : null;
        variance = needsVariance ? new SlidingVariance(range) : null;
        minDeque = needsMin ? new MonotonicDeque(range) : null;
        maxDeque = needsMax ? new MonotonicDeque(range) : null;
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
        if (null != minDeque)
        {
            minDeque.clear();
        }
        if (null != maxDeque)
        {
            maxDeque.clear();
        }
    }

    /**
     * Element numbers (1-based) and values in arrival order whose values are monotonic, front = the window's
     * extreme. Values are kept beside their numbers so that no ring lookup (and no division) is needed.
     */
    static final class MonotonicDeque
    {
        private final long[] sequences;
        private final long[] values;
        private final int mask;
        private int head;
        private int size;

        MonotonicDeque(final int range)
        {
            final int capacity = Integer.highestOneBit(Math.max(1, range - 1)) << 1;
            sequences = new long[capacity];
            values = new long[capacity];
            mask = capacity - 1;
        }

        boolean isEmpty()
        {
            return size == 0;
        }

        long frontSequence()
        {
            return sequences[head];
        }

        long frontValue()
        {
            return values[head];
        }

        long backValue()
        {
            return values[(head + size - 1) & mask];
        }

        void popFront()
        {
            head = (head + 1) & mask;
            size--;
        }

        void popBack()
        {
            size--;
        }

        void pushBack(final long sequence, final long value)
        {
            final int index = (head + size) & mask;
            sequences[index] = sequence;
            values[index] = value;
            size++;
        }

        void clear()
        {
            head = 0;
            size = 0;
        }
    }
}
