package dev.ringflow.windows;

/**
 * A running double sum with Neumaier compensation, kept in two words of a long array (the sum's bits, then the
 * compensation's): the rounding error of each add is carried separately, so adding and subtracting many values keeps
 * the error near one rounding of the true sum. Words rather than an object, so a key's sum lives in its record.
 * <p>
 * <b>Note:</b> Not thread-safe; allocation free.
 */
final class CompensatedSum
{
    private CompensatedSum()
    {
    }

    /** Adds {@code value} to the sum in {@code words[index]} and {@code words[index + 1]}. */
    static void add(final long[] words, final int index, final double value)
    {
        final double sum = Double.longBitsToDouble(words[index]);
        final double t = sum + value;
        // Knuth's TwoSum: the exact rounding error of sum + value, the same as Neumaier's branch on the larger
        // magnitude gives, without the branch (which the CPU mispredicts on mixed values).
        final double valuePart = t - sum;
        final double error = (sum - (t - valuePart)) + (value - valuePart);
        words[index] = Double.doubleToRawLongBits(t);
        words[index + 1] = Double.doubleToRawLongBits(Double.longBitsToDouble(words[index + 1]) + error);
    }

    /**
     * The sum of a sliding window whose values are the bits in {@code ring[ringBase + i * stride]} for slots i in
     * {@code 0 .. range - 1}: adds the new value and, when one is evicted, subtracts it; every {@code range}
     * evictions (counted in {@code words[index + 2]}) the sum is recomputed from the window, so it cannot drift
     * however long the run.
     */
    static void slide(final long[] words, final int index, final long[] ring, final int ringBase, final int stride,
        final int range, final long bits, final boolean evicts, final long evicted)
    {
        add(words, index, Double.longBitsToDouble(bits));
        if (evicts)
        {
            add(words, index, -Double.longBitsToDouble(evicted));
            if (++words[index + 2] >= range)
            {
                words[index + 2] = 0;
                reset(words, index);
                for (int i = ringBase, end = ringBase + range * stride; i < end; i += stride)
                {
                    add(words, index, Double.longBitsToDouble(ring[i]));
                }
            }
        }
    }

    static double value(final long[] words, final int index)
    {
        return Double.longBitsToDouble(words[index]) + Double.longBitsToDouble(words[index + 1]);
    }

    static void reset(final long[] words, final int index)
    {
        words[index] = 0;
        words[index + 1] = 0;
    }
}
