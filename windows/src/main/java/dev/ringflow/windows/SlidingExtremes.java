package dev.ringflow.windows;

/**
 * The min and max of a count window, kept in a key's record of long words (see {@link CountWindowState}): either
 * monotonic deques of (element number, value) entries, amortized O(1) per element, or, for ranges up to
 * {@link CountWindowAggregator#SCAN_RANGE}, a scan of the window's values when it fires. Values are long values
 * or the raw bits of doubles, which compare in {@link Double#compare} order.
 * <p>
 * <b>Note:</b> Stateless; allocation free.
 */
final class SlidingExtremes
{
    private SlidingExtremes()
    {
    }

    /**
     * Pushes element {@code sequence} onto a monotonic deque of (element number, value) entries whose values only
     * rise (min, {@code isMax} false) or fall (max) from the head: the head is the window's extreme. Word
     * {@code dequeIndex} holds the head index (low 32 bits) and the size (high 32 bits); entry i is at
     * {@code entries + 2i}.
     */
    static void push(final long[] page, final int dequeIndex, final int entries, final long sequence,
        final long bits, final int range, final boolean isMax, final boolean isLong)
    {
        final long headAndSize = page[dequeIndex];
        int head = (int)headAndSize;
        int size = (int)(headAndSize >>> 32);
        // Entries are younger than the previous window's start, so only element sequence - range can leave.
        if (size > 0 && page[entries + (head << 1)] <= sequence - range)
        {
            head = head + 1 == range ? 0 : head + 1;
            size--;
        }
        // An older element no better than the new one can never be the extreme again.
        while (size > 0)
        {
            final int back = head + size - 1 < range ? head + size - 1 : head + size - 1 - range;
            final long older = page[entries + (back << 1) + 1];
            if (isMax ? less(bits, older, isLong) : less(older, bits, isLong))
            {
                break;
            }
            size--;
        }
        final int tail = entries + ((head + size < range ? head + size : head + size - range) << 1);
        page[tail] = sequence;
        page[tail + 1] = bits;
        page[dequeIndex] = (long)(size + 1) << 32 | head;
    }

    /** The extreme a deque holds: its head entry's value. */
    static long head(final long[] page, final int dequeIndex, final int entries)
    {
        final int head = (int)page[dequeIndex];
        return page[entries + (head << 1) + 1];
    }

    /**
     * Sets {@code result}'s min and max to those of the window's {@code count} values, which sit in ring slots
     * {@code 0 .. count - 1} (element n is in slot {@code (n - 1) % range}). Long values compare without branches;
     * doubles in {@link Double#compare} order, as the deques compare them.
     */
    static void scan(final long[] page, final int ring, final int count, final boolean isLong,
        final WindowResult result)
    {
        long min = page[ring];
        long max = min;
        if (isLong)
        {
            for (int i = ring + 1, end = ring + count; i < end; i++)
            {
                final long value = page[i];
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        else
        {
            for (int i = ring + 1, end = ring + count; i < end; i++)
            {
                final long value = page[i];
                min = less(value, min, false) ? value : min;
                max = less(max, value, false) ? value : max;
            }
        }
        result.min = min;
        result.max = max;
    }

    static boolean less(final long a, final long b, final boolean isLong)
    {
        return isLong ? a < b : Double.compare(Double.longBitsToDouble(a), Double.longBitsToDouble(b)) < 0;
    }
}
