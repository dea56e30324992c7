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

    /**
     * Element numbers (1-based) in arrival order whose values are monotonic, front = the window's extreme.
     */
    static final class MonotonicDeque
    {
        private final long[] sequences;
        private final int mask;
        private int head;
        private int size;

        MonotonicDeque(final int range)
        {
            sequences = new long[Integer.highestOneBit(Math.max(1, range - 1)) << 1];
            mask = sequences.length - 1;
        }

        boolean isEmpty()
        {
            return size == 0;
        }

        long front()
        {
            return sequences[head];
        }

        long back()
        {
            return sequences[(head + size - 1) & mask];
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

        void pushBack(final long sequence)
        {
            sequences[(head + size) & mask] = sequence;
            size++;
        }

        void clear()
        {
            head = 0;
            size = 0;
        }
    }
}
