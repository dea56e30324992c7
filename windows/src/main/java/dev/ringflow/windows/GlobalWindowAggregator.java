package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

/**
 * Per-key global windows: every element a key has ever had, emitted every {@code slide} elements of the key
 * (running totals, all-time extremes, running mean and variance). O(1) per element, whatever the number of elements.
 * <p>
 * A global window is one running aggregate per key with nothing to merge, so each key is a record of long words in
 * one array holding only what the requested aggregations need:
 * <pre>
 *   word 0      count
 *   [sum]       long sum, or the bits of the double sum       (SUM, MEAN)
 *   [min]       smallest value's bits                           (MIN)
 *   [max]       largest value's bits                            (MAX)
 *   [first]     first value's bits                              (FIRST)
 *   [mean, m2]  bits of the Welford mean and M2                 (VARIANCE, STDDEV)
 * </pre>
 * The record length is rounded up to a power of two (8 to 64 bytes per key), so a record never straddles more
 * cache lines than it must and a key costs one cache miss. LAST is the element that fires, so it needs no word.
 * <p>
 * <b>Note:</b> Allocation free in steady state (the array grows with new key ids). Not thread-safe.
 */
public final class GlobalWindowAggregator implements ElementWindows
{
    private static final int COUNT = 0;

    private final int slide;
    private final ValueKind kind;
    private final boolean isLong;
    private final boolean needsSum;
    private final boolean needsMin;
    private final boolean needsMax;
    private final boolean needsFirst;
    private final boolean needsMoments;
    private final int sumWord;
    private final int minWord;
    private final int maxWord;
    private final int firstWord;
    private final int meanWord;
    private final int recordShift;
    private final WindowResult result;
    private long[] records;
    private int capacity;

    public GlobalWindowAggregator(final int slide, final ValueKind kind, final Set<Aggregation> aggregations,
        final int expectedKeys)
    {
        if (slide < 1)
        {
            throw new IllegalArgumentException("slide must be >= 1, was " + slide);
        }
        if (null == kind || null == aggregations || aggregations.isEmpty())
        {
            throw new IllegalArgumentException("kind and at least one aggregation are required");
        }
        this.slide = slide;
        this.kind = kind;
        this.isLong = kind == ValueKind.LONG;
        needsSum = aggregations.contains(Aggregation.SUM) || aggregations.contains(Aggregation.MEAN);
        needsMin = aggregations.contains(Aggregation.MIN);
        needsMax = aggregations.contains(Aggregation.MAX);
        needsFirst = aggregations.contains(Aggregation.FIRST);
        needsMoments = PaneStore.needsMoments(aggregations);
        int words = COUNT + 1;
        sumWord = needsSum ? words++ : -1;
        minWord = needsMin ? words++ : -1;
        maxWord = needsMax ? words++ : -1;
        firstWord = needsFirst ? words++ : -1;
        meanWord = needsMoments ? words : -1;
        words += needsMoments ? 2 : 0;
        recordShift = Integer.SIZE - Integer.numberOfLeadingZeros(words - 1);
        capacity = Math.max(16, expectedKeys);
        records = new long[capacity << recordShift];
        result = new WindowResult(kind);
    }

    @Override
    public boolean addLong(final int keyId, final long value)
    {
        return add(keyId, value);
    }

    @Override
    public boolean addDouble(final int keyId, final double value)
    {
        return add(keyId, Double.doubleToRawLongBits(value));
    }

    @Override
    public WindowResult result()
    {
        return result;
    }

    @Override
    public void removeKey(final int keyId)
    {
        if (keyId < capacity)
        {
            final int base = keyId << recordShift;
            Arrays.fill(records, base, base + (1 << recordShift), 0L);
        }
    }

    private boolean add(final int keyId, final long bits)
    {
        if (keyId >= capacity)
        {
            grow(keyId + 1);
        }
        final long[] records = this.records;
        final int base = keyId << recordShift;
        final long count = ++records[base + COUNT];
        if (needsSum)
        {
            final int index = base + sumWord;
            records[index] = isLong ? records[index] + bits :
                Double.doubleToRawLongBits(Double.longBitsToDouble(records[index]) + Double.longBitsToDouble(bits));
        }
        if (needsMin && (count == 1 || less(bits, records[base + minWord])))
        {
            records[base + minWord] = bits;
        }
        if (needsMax && (count == 1 || less(records[base + maxWord], bits)))
        {
            records[base + maxWord] = bits;
        }
        if (needsFirst && count == 1)
        {
            records[base + firstWord] = bits;
        }
        if (needsMoments)
        {
            addMoments(records, base + meanWord, count, isLong ? bits : Double.longBitsToDouble(bits));
        }
        // A long division costs more than the rest of the update: skip it for the usual slide of 1.
        if (slide != 1 && count % slide != 0)
        {
            return false;
        }
        fill(records, base, keyId, count, bits);
        return true;
    }

    /** The records' layout depends on the aggregation set, so a snapshot must match it, not just the slide. */
    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeCheck(out, slide);
        WindowSnapshots.writeCheck(out, kind.ordinal());
        WindowSnapshots.writeCheck(out, aggregationFlags());
        out.writeInt(capacity);
        WindowSnapshots.writeLongs(out, records, capacity << recordShift);
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readCheck(in, slide, "global window slide");
        WindowSnapshots.readCheck(in, kind.ordinal(), "value kind (0 = long, 1 = double)");
        WindowSnapshots.readCheck(in, aggregationFlags(), "aggregation set (bit flags)");
        final int keys = in.readInt();
        if (keys < 0)
        {
            throw new java.io.StreamCorruptedException("key count " + keys);
        }
        if (keys > capacity)
        {
            grow(keys);
        }
        Arrays.fill(records, 0L);
        WindowSnapshots.readLongs(in, records);
    }

    private int aggregationFlags()
    {
        return (needsSum ? 1 : 0) | (needsMoments ? 2 : 0) | (needsMin ? 4 : 0) | (needsMax ? 8 : 0) |
            (needsFirst ? 16 : 0);
    }

    /** Sets what the window was built for; everything else in the result keeps its 0. */
    private void fill(final long[] records, final int base, final int keyId, final long count, final long bits)
    {
        final WindowResult result = this.result;
        result.keyId = keyId;
        result.count = count;
        result.lastSequence = count;
        result.last = bits;
        if (needsSum)
        {
            final long sum = records[base + sumWord];
            if (isLong)
            {
                result.sumLong = sum;
            }
            else
            {
                result.sum = Double.longBitsToDouble(sum);
            }
        }
        if (needsMin)
        {
            result.min = records[base + minWord];
        }
        if (needsMax)
        {
            result.max = records[base + maxWord];
        }
        if (needsFirst)
        {
            result.first = records[base + firstWord];
        }
        if (needsMoments)
        {
            result.variance = Math.max(0, Double.longBitsToDouble(records[base + meanWord + 1]) / count);
        }
    }

    /** Welford's update of the running mean and M2 (stored as double bits at {@code index} and after it). */
    private static void addMoments(final long[] records, final int index, final long count, final double value)
    {
        final double mean = Double.longBitsToDouble(records[index]);
        final double delta = value - mean;
        final double newMean = mean + delta / count;
        records[index] = Double.doubleToRawLongBits(newMean);
        records[index + 1] = Double.doubleToRawLongBits(
            Double.longBitsToDouble(records[index + 1]) + delta * (value - newMean));
    }

    /** Grows the key table to at least {@code keys} keys (allocates: for new key ids only). */
    private void grow(final int keys)
    {
        capacity = Math.max(keys, capacity << 1);
        records = Arrays.copyOf(records, capacity << recordShift);
    }

    private boolean less(final long a, final long b)
    {
        return isLong ? a < b : Double.compare(Double.longBitsToDouble(a), Double.longBitsToDouble(b)) < 0;
    }
}
