package dev.ringflow.windows;

/**
 * The min and/or max of one {@link CountWindowAggregator} above {@link CountWindowAggregator#SCAN_RANGE}: which
 * block extremes its keys keep and where ({@link CountWindowState}), and the calls into {@link SlidingExtremes}
 * that keep them and read them.
 * <p>
 * <b>Note:</b> Immutable; allocation free.
 */
final class BlockExtremes
{
    private final boolean min;
    private final boolean max;
    /** One extreme and nothing else reading old values: one word per slot, suffixes replacing values. */
    private final boolean inPlace;
    private final int range;
    private final int minPrefixWord;
    private final int maxPrefixWord;
    private final int stride;
    private final int minSuffixOffset;
    private final int maxSuffixOffset;

    BlockExtremes(final boolean min, final boolean max, final boolean inPlace, final int range,
        final CountWindowState state)
    {
        this.min = min;
        this.max = max;
        this.inPlace = inPlace;
        this.range = range;
        this.minPrefixWord = state.minPrefixWord;
        this.maxPrefixWord = state.maxPrefixWord;
        this.stride = state.stride;
        this.minSuffixOffset = state.minSuffixOffset;
        this.maxSuffixOffset = state.maxSuffixOffset;
    }

    /** One extreme and nothing else reading old values: one word per slot, suffixes replacing values. */
    boolean inPlace()
    {
        return inPlace;
    }

    /**
     * Takes the element just written to ring slot {@code slot} into the key's extremes. {@code isLong} is a constant
     * in the lean long path, so the comparisons compile without a branch on it.
     */
    void add(final long[] header, final int headerBase, final long[] ring, final int ringBase, final int slot,
        final long bits, final boolean isLong)
    {
        if (inPlace)
        {
            if (min)
            {
                SlidingExtremes.addInPlace(header, headerBase + minPrefixWord, ring, ringBase, slot, bits, range,
                    false, isLong);
            }
            else
            {
                SlidingExtremes.addInPlace(header, headerBase + maxPrefixWord, ring, ringBase, slot, bits, range,
                    true, isLong);
            }
            return;
        }
        if (min)
        {
            SlidingExtremes.add(header, headerBase + minPrefixWord, ring, ringBase, stride, minSuffixOffset, slot,
                bits, range, false, isLong);
        }
        if (max)
        {
            SlidingExtremes.add(header, headerBase + maxPrefixWord, ring, ringBase, stride, maxSuffixOffset, slot,
                bits, range, true, isLong);
        }
    }

    /**
     * Sets {@code result}'s min and/or max for the window that fired on element {@code sequence} in slot
     * {@code slot}.
     *
     * @param replaced the ring word the element replaced: in place, the suffix its window reads.
     */
    void fill(final long[] header, final int headerBase, final long[] ring, final int ringBase, final int slot,
        final long sequence, final boolean isLong, final long replaced, final WindowResult result)
    {
        if (inPlace)
        {
            if (min)
            {
                result.min = SlidingExtremes.extremeOf(header, headerBase + minPrefixWord, replaced, slot, sequence,
                    range, false, isLong);
            }
            else
            {
                result.max = SlidingExtremes.extremeOf(header, headerBase + maxPrefixWord, replaced, slot, sequence,
                    range, true, isLong);
            }
            return;
        }
        if (min)
        {
            result.min = SlidingExtremes.extreme(header, headerBase + minPrefixWord, ring, ringBase, stride,
                minSuffixOffset, slot, sequence, range, false, isLong);
        }
        if (max)
        {
            result.max = SlidingExtremes.extreme(header, headerBase + maxPrefixWord, ring, ringBase, stride,
                maxSuffixOffset, slot, sequence, range, true, isLong);
        }
    }
}
