package dev.ringflow.windows;

/**
 * The min or the max of a count window, kept in a key's header and ring (see {@link CountWindowState}). Values are
 * long values or the raw bits of doubles, which compare in {@link Double#compare} order.
 * <p>
 * Above {@link CountWindowAggregator#SCAN_RANGE}, van Herk and Gil-Werman's blocks: a key's elements fall into
 * blocks of {@code range} consecutive elements, exactly the ring's slots 0 to {@code range - 1}. The header keeps
 * the extreme of the current block so far (the prefix) and the ring, beside each slot's value, the extreme of the
 * last complete block's suffix from the next slot on. The window ending at slot j is the previous block's slots
 * j + 1 .. range - 1 and the current block's 0 .. j, so its extreme is that of one suffix and the prefix: two words,
 * no branch that depends on the data. When a block completes, its suffixes are computed in one backward pass over
 * the ring, {@code range} comparisons once every {@code range} elements: O(1) amortized per element (the pass is the
 * worst case, once per block), where monotonic deques pay unpredictable pops on every element. Up to that range,
 * the window's few values are scanned when it fires ({@link #scan}).
 * <p>
 * <b>Note:</b> Stateless; allocation free.
 */
final class SlidingExtremes
{
    private SlidingExtremes()
    {
    }

    /**
     * Takes the element just written to ring slot {@code slot} into the prefix at {@code header[prefix]} and, when it
     * completes a block, the suffix extremes: that of slots i + 1 .. range - 1 at
     * {@code ring[ringBase + i * stride + suffixOffset]}, beside slot i's value, which is where the window ending at
     * slot i reads it.
     * {@code isMax} is a constant at each call site, so the comparisons compile without a branch on it.
     */
    static void add(final long[] header, final int prefix, final long[] ring, final int ringBase, final int stride,
        final int suffixOffset, final int slot, final long bits, final int range, final boolean isMax,
        final boolean isLong)
    {
        header[prefix] = 0 == slot ? bits : better(header[prefix], bits, isMax, isLong);
        if (slot == range - 1)
        {
            long extreme = bits;
            ring[ringBase + (slot - 1) * stride + suffixOffset] = extreme;
            for (int i = ringBase + (slot - 1) * stride; i > ringBase; i -= stride)
            {
                extreme = better(ring[i], extreme, isMax, isLong);
                ring[i - stride + suffixOffset] = extreme;
            }
        }
    }

    /**
     * {@link #add} for a ring of one word per slot (see {@link CountWindowState}): when the element just written to
     * slot {@code slot} completes a block, the pass replaces each slot's value with the extreme of the slots after
     * it, where the window ending at that slot reads it ({@link #extremeOf}) before the next block's element there
     * overwrites it.
     */
    static void addInPlace(final long[] header, final int prefix, final long[] ring, final int ringBase,
        final int slot, final long bits, final int range, final boolean isMax, final boolean isLong)
    {
        header[prefix] = 0 == slot ? bits : better(header[prefix], bits, isMax, isLong);
        if (slot == range - 1)
        {
            long extreme = bits;
            for (int i = ringBase + slot - 1; i >= ringBase; i--)
            {
                final long value = ring[i];
                ring[i] = extreme;
                extreme = better(value, extreme, isMax, isLong);
            }
        }
    }

    /**
     * The extreme of the window whose last element, number {@code sequence}, is in ring slot {@code slot}, given the
     * suffix that slot held before the element (a ring of one word per slot: see {@link #addInPlace}).
     */
    static long extremeOf(final long[] header, final int prefix, final long suffix, final int slot,
        final long sequence, final int range, final boolean isMax, final boolean isLong)
    {
        final long extreme = header[prefix];
        if (sequence <= range || slot == range - 1)
        {
            return extreme;
        }
        return better(suffix, extreme, isMax, isLong);
    }

    /** The extreme of the window whose last element, number {@code sequence}, is in ring slot {@code slot}. */
    static long extreme(final long[] header, final int prefix, final long[] ring, final int ringBase,
        final int stride, final int suffixOffset, final int slot, final long sequence, final int range,
        final boolean isMax, final boolean isLong)
    {
        final long extreme = header[prefix];
        // In the first block, and at a block's end, the window is the current block alone.
        if (sequence <= range || slot == range - 1)
        {
            return extreme;
        }
        return better(ring[ringBase + slot * stride + suffixOffset], extreme, isMax, isLong);
    }

    /** The greater of two values for a max ({@code isMax}), the smaller for a min. */
    static long better(final long a, final long b, final boolean isMax, final boolean isLong)
    {
        if (isLong)
        {
            return isMax ? Math.max(a, b) : Math.min(a, b);
        }
        return isMax == less(a, b, false) ? b : a;
    }

    /**
     * Sets {@code result}'s min and max to those of the window's {@code count} values, which sit in ring slots
     * {@code 0 .. count - 1} from {@code ring} on, one word each (element n is in slot {@code (n - 1) % range}). Long
     * values compare without branches; doubles in {@link Double#compare} order, as the blocks compare them.
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
            // In the order of their keys, which is Double.compare's: no branch per value.
            min = orderKey(min);
            max = min;
            for (int i = ring + 1, end = ring + count; i < end; i++)
            {
                final long key = orderKey(page[i]);
                min = Math.min(min, key);
                max = Math.max(max, key);
            }
            min = fromOrderKey(min);
            max = fromOrderKey(max);
        }
        result.min = min;
        result.max = max;
    }

    /**
     * A long that orders as {@link Double#compare} orders the double of {@code bits}: -0.0 below 0.0, every NaN
     * (made the canonical NaN) above infinity. Positive doubles' bits already order so; negative ones' order is
     * reversed by flipping all but the sign bit.
     */
    static long orderKey(final long bits)
    {
        final long canonical = Double.doubleToLongBits(Double.longBitsToDouble(bits));
        return canonical ^ ((canonical >> 63) & Long.MAX_VALUE);
    }

    /** The double bits of an {@link #orderKey} (a NaN comes back as the canonical NaN). */
    static long fromOrderKey(final long key)
    {
        return key ^ ((key >> 63) & Long.MAX_VALUE);
    }

    static boolean less(final long a, final long b, final boolean isLong)
    {
        return isLong ? a < b : Double.compare(Double.longBitsToDouble(a), Double.longBitsToDouble(b)) < 0;
    }
}
