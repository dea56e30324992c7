package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Per-key count windows: every {@code slide} elements of a key, the window fires with the aggregates of that key's
 * last {@code min(range, seen)} elements (Flink's {@code countWindow(range, slide)}). {@code slide == range} is a
 * tumbling window; {@code slide > range} leaves gaps.
 * <p>
 * Each element costs O(1): sums are updated by adding the new value and subtracting the evicted one; min and max
 * come from van Herk/Gil-Werman blocks (a prefix extreme and the suffix extremes of the last block, amortized O(1)
 * without data-dependent branches; see {@link SlidingExtremes}), and ranges up to {@value #SCAN_RANGE} scan their at
 * most {@value #SCAN_RANGE} values, which take one or two cache lines, when the window fires
 * (a bounded constant, so still O(1) per element). Double sums use Neumaier compensation and are recomputed from
 * the window every {@code range} evictions (amortized O(1) per element), so they do not drift however long the run.
 * Variance never subtracts: it merges Welford aggregates with the two-stacks method ({@link SlidingVariance}).
 * <p>
 * Every key's state is a header and a ring of long words in {@link CountWindowState}, found by key id without
 * following a pointer: a key in random order costs one cache miss for small ranges (its ring is part of its header)
 * and one memory access for large ones (dense headers stay cached), not one per object it owns. With many keys,
 * {@link #prefetch} before a group of elements overlaps those accesses.
 * <p>
 * <b>Note:</b> Keys are dense non-negative int ids chosen by the caller. A key takes {@code 8 * range} bytes of
 * values (none for COUNT and LAST alone), {@code 8 * range} more for each of min and max above range 8, and a few
 * words of counters, in pages allocated as key ids first reach them; variance adds {@code 16 * range}. After that
 * adds are allocation free.
 * <p>
 * <b>Note:</b> Not thread-safe: one owner thread.
 */
public final class CountWindowAggregator implements ElementWindows
{
    /** Ranges up to this scan their values for min and max instead of keeping block extremes. */
    public static final int SCAN_RANGE = 8;

    /**
     * Flags of the record layout, so a snapshot written with another one is refused with a clear message rather
     * than read wrongly: 128 for headers apart from rings, with the suffix extremes beside each slot's value.
     */
    private static final int LAYOUT_FLAGS = 128;
    /** Flag of the one-word slots ({@link BlockExtremes#inPlace()}): a snapshot of the two-word layout is refused. */
    private static final int IN_PLACE_FLAG = 256;

    private final int range;
    private final int slide;
    private final ValueKind kind;
    private final boolean isLong;
    private final boolean needsSum;
    private final boolean needsVariance;
    private final boolean needsMin;
    private final boolean needsMax;
    /** Min or max from a scan of the ring at each firing: see {@link #SCAN_RANGE}. */
    private final boolean scansExtremes;
    /** Min and/or max above {@link #SCAN_RANGE}; null without. */
    private final BlockExtremes blockExtremes;
    private final boolean needsRing;
    /** Only long sums (and what derives from them: count, mean, last): the common case gets a lean path. */
    private final boolean longSumOnly;
    /** Only long min and/or max (with count and last): a lean path as well. */
    private final boolean longExtremesOnly;
    private final boolean needsFirst;
    private final WindowResult result;
    private final CountWindowState state;
    /** Per key, only when variance is asked for: its suffix aggregates take {@code 16 * range} bytes. */
    private SlidingVariance[] variances;
    private int keyCount;
    /** What {@link #prefetch} loaded, kept so that its loads are not optimised away. */
    private long touched;

    /**
     * @param expectedKeys initial capacity of the key table; it grows as needed.
     */
    public CountWindowAggregator(
        final int range, final int slide, final ValueKind kind, final Set<Aggregation> aggregations,
        final int expectedKeys)
    {
        if (range < 1)
        {
            throw new IllegalArgumentException("range must be >= 1, was " + range);
        }
        if (slide < 1)
        {
            throw new IllegalArgumentException("slide must be >= 1, was " + slide);
        }
        if (null == kind)
        {
            throw new IllegalArgumentException("kind must be LONG or DOUBLE, was null");
        }
        if (null == aggregations || aggregations.isEmpty())
        {
            throw new IllegalArgumentException("aggregations must name at least one aggregation, was " + aggregations);
        }
        final EnumSet<Aggregation> wanted = EnumSet.copyOf(aggregations);
        this.range = range;
        this.slide = slide;
        this.kind = kind;
        this.isLong = kind == ValueKind.LONG;
        this.needsVariance = wanted.contains(Aggregation.VARIANCE) || wanted.contains(Aggregation.STDDEV);
        this.needsSum = wanted.contains(Aggregation.SUM) || wanted.contains(Aggregation.MEAN);
        this.needsMin = wanted.contains(Aggregation.MIN);
        this.needsMax = wanted.contains(Aggregation.MAX);
        this.needsFirst = wanted.contains(Aggregation.FIRST);
        this.scansExtremes = (needsMin || needsMax) && range <= SCAN_RANGE;
        final boolean blockMin = needsMin && !scansExtremes;
        final boolean blockMax = needsMax && !scansExtremes;
        // Sums subtract the evicted value, the variance, FIRST and the extremes read old values: only they need the
        // ring.
        this.needsRing = needsSum || needsVariance || needsFirst || needsMin || needsMax;
        this.longSumOnly = isLong && needsSum && !needsVariance && !needsFirst && !needsMin && !needsMax;
        this.longExtremesOnly = isLong && (needsMin || needsMax) && !needsSum && !needsVariance && !needsFirst;
        // One block extreme and nothing else that reads old values: suffixes replace values in the ring.
        final boolean extremesInPlace = blockMin != blockMax && !needsSum && !needsVariance && !needsFirst;
        this.result = new WindowResult(kind);
        final int keys = Math.max(16, expectedKeys);
        this.state = new CountWindowState(range, isLong, needsSum, needsRing, blockMin, blockMax, extremesInPlace,
            keys);
        this.blockExtremes = blockMin || blockMax ?
            new BlockExtremes(blockMin, blockMax, extremesInPlace, range, state) : null;
        this.variances = new SlidingVariance[needsVariance ? keys : 0];
    }

    public int range()
    {
        return range;
    }

    public int slide()
    {
        return slide;
    }

    public ValueKind kind()
    {
        return kind;
    }

    /**
     * Bytes one key's header and ring take (a variance's per-key state not included): with {@link #keyCount()}, how
     * far beyond the CPU caches the windows' state reaches, and so whether {@link #prefetch} is worth calling.
     */
    public int bytesPerKey()
    {
        return state.bytesPerKey();
    }

    /** Keys that have state. */
    public int keyCount()
    {
        return keyCount;
    }

    /** The window that fired on the last add that returned true. */
    @Override
    public WindowResult result()
    {
        return result;
    }

    /**
     * Adds the next element of a key in a {@link ValueKind#LONG} window.
     *
     * @return true when the window fired; {@link #result()} then describes it.
     */
    @Override
    public boolean addLong(final int keyId, final long value)
    {
        assert isLong : "addLong on a DOUBLE window";
        return add(keyId, value);
    }

    /**
     * Adds the next element of a key in a {@link ValueKind#DOUBLE} window.
     *
     * @return true when the window fired; {@link #result()} then describes it.
     */
    @Override
    public boolean addDouble(final int keyId, final double value)
    {
        assert !isLong : "addDouble on a LONG window";
        return add(keyId, Double.doubleToRawLongBits(value));
    }

    @Override
    public void prefetch(final int[] keyIds, final int from, final int to)
    {
        final long headers = state.touchHeaders(keyIds, from, to);
        touched = headers + state.touchSlots(keyIds, from, to);
    }

    /** Forgets every key. */
    public void clear()
    {
        state.clear();
        Arrays.fill(variances, null);
        keyCount = 0;
    }

    @Override
    public void removeKey(final int keyId)
    {
        final long[] header = state.headersIfPresent(keyId);
        if (null != header && 0 != header[state.headerBase(keyId) + CountWindowState.SEEN])
        {
            state.reset(header, state.headerBase(keyId));
            if (needsVariance)
            {
                variances[keyId].reset();
            }
            keyCount--;
        }
    }

    /**
     * Counts the key's element and reads its cursor, then updates the window on the lean path its aggregations
     * allow: long sums only, long extremes only (both false for a {@link ValueKind#DOUBLE} window), or any.
     */
    private boolean add(final int keyId, final long bits)
    {
        final CountWindowState state = this.state;
        final long[] header = state.headers(keyId);
        final int hb = state.headerBase(keyId);
        final long sequence = nextSequence(keyId, header, hb);
        final long cursor = header[hb + CountWindowState.CURSOR];
        if (longSumOnly)
        {
            return updateLongSum(keyId, header, hb, sequence, cursor, bits);
        }
        return longExtremesOnly ?
            updateLongExtremes(keyId, header, hb, sequence, cursor, bits) :
            update(keyId, header, hb, sequence, cursor, bits);
    }

    /** {@link #add} for any aggregations. */
    private boolean update(
        final int keyId, final long[] header, final int hb, final long sequence, final long cursor, final long bits)
    {
        final CountWindowState state = this.state;
        final int slot = (int)cursor;
        final boolean evicts = sequence > range;
        final long[] ring = needsRing ? state.ringPage(keyId) : null;
        final int rb = state.ringBase(keyId);

        long evicted = 0;
        if (needsRing)
        {
            final int at = rb + slot * state.stride;
            evicted = ring[at];
            if (needsVariance)
            {
                // Before the new value overwrites the evicted one: the variance may need the whole old window.
                addVariance(keyId, sequence, bits, evicts, ring, rb);
            }
            ring[at] = bits;
            if (null != blockExtremes)
            {
                blockExtremes.add(header, hb, ring, rb, slot, bits, isLong);
            }
        }
        if (needsSum)
        {
            final int sumIndex = hb + state.sumWord;
            if (isLong)
            {
                header[sumIndex] += evicts ? bits - evicted : bits;
            }
            else
            {
                CompensatedSum.slide(header, sumIndex, ring, rb, state.stride, range, bits, evicts, evicted);
            }
        }

        if (!advance(header, hb, cursor))
        {
            return false;
        }
        // With extremes in place, the word the element replaced is the suffix its window reads.
        fill(keyId, header, hb, ring, rb, sequence, slot, bits, evicted);
        return true;
    }

    /** Counts the key's new element and returns its number (1 for a key's first, which is also counted as a key). */
    private long nextSequence(final int keyId, final long[] header, final int headerBase)
    {
        final long sequence = header[headerBase + CountWindowState.SEEN] + 1;
        header[headerBase + CountWindowState.SEEN] = sequence;
        if (sequence == 1)
        {
            onNewKey(keyId);
        }
        return sequence;
    }

    /**
     * Moves the key's cursor past the element just added (the next ring slot, and the count since the window last
     * fired); true when the window fires on this element.
     */
    private boolean advance(final long[] header, final int headerBase, final long cursor)
    {
        final int slot = (int)cursor;
        final int next = slot + 1 == range ? 0 : slot + 1;
        final int sinceFire = (int)(cursor >>> 32) + 1;
        if (sinceFire < slide)
        {
            header[headerBase + CountWindowState.CURSOR] = (long)sinceFire << 32 | next;
            return false;
        }
        header[headerBase + CountWindowState.CURSOR] = next;
        return true;
    }

    /**
     * {@link #add} for a window of long sums only, with no other aggregate to look after: a third of the
     * instructions, which is what a single hot key (every element depending on the last) pays for.
     */
    private boolean updateLongSum(
        final int keyId, final long[] header, final int hb, final long sequence, final long cursor, final long bits)
    {
        final CountWindowState state = this.state;
        final long[] ring = state.ringPage(keyId);
        final int at = state.ringBase(keyId) + (int)cursor;
        final long evicted = ring[at];
        ring[at] = bits;
        final int sumIndex = hb + state.sumWord;
        final long sum = header[sumIndex] + (sequence > range ? bits - evicted : bits);
        header[sumIndex] = sum;
        if (!advance(header, hb, cursor))
        {
            return false;
        }
        fillBounds(keyId, sequence, bits);
        result.sumLong = sum;
        return true;
    }

    /** {@link #add} for a window of long min and/or max only (scanned or from blocks). */
    private boolean updateLongExtremes(
        final int keyId, final long[] header, final int hb, final long sequence, final long cursor, final long bits)
    {
        final CountWindowState state = this.state;
        final int slot = (int)cursor;
        final long[] ring = state.ringPage(keyId);
        final int rb = state.ringBase(keyId);
        final int at = rb + slot * state.stride;
        final long replaced = ring[at];
        ring[at] = bits;
        if (!scansExtremes)
        {
            blockExtremes.add(header, hb, ring, rb, slot, bits, true);
        }
        if (!advance(header, hb, cursor))
        {
            return false;
        }
        final long count = fillBounds(keyId, sequence, bits);
        if (scansExtremes)
        {
            SlidingExtremes.scan(ring, rb, (int)count, true, result);
        }
        else
        {
            blockExtremes.fill(header, hb, ring, rb, slot, sequence, true, replaced, result);
        }
        return true;
    }

    /** Sets the fired window's key, element count, bounds and last value; returns the count. */
    private long fillBounds(final int keyId, final long sequence, final long bits)
    {
        final WindowResult result = this.result;
        final long count = sequence < range ? sequence : range;
        result.keyId = keyId;
        result.count = count;
        result.lastSequence = sequence;
        result.last = bits;
        return count;
    }

    /**
     * The rarer parts of an element live in methods of their own, so that {@link #update} stays small enough for the
     * JIT to inline into its caller (HotSpot inlines hot methods up to 325 bytecodes).
     */
    private void addVariance(final int keyId, final long sequence, final long bits, final boolean evicts,
        final long[] ring, final int ringBase)
    {
        variances[keyId].add(sequence, toDouble(bits), evicts, ring, ringBase, state.stride, isLong);
    }

    /**
     * Fills {@link #result} for the window that fired on element {@code sequence}.
     *
     * @param replaced the ring word the element replaced: with extremes in place, the suffix its window reads.
     */
    private void fill(final int keyId, final long[] header, final int headerBase, final long[] ring,
        final int ringBase, final long sequence, final int slot, final long bits, final long replaced)
    {
        final WindowResult result = this.result;
        final CountWindowState state = this.state;
        final long count = fillBounds(keyId, sequence, bits);
        if (needsFirst)
        {
            result.first = ring[ringBase + (sequence < range || slot + 1 == range ? 0 : slot + 1) * state.stride];
        }
        if (needsSum)
        {
            final int sumIndex = headerBase + state.sumWord;
            if (isLong)
            {
                result.sumLong = header[sumIndex];
            }
            else
            {
                result.sum = CompensatedSum.value(header, sumIndex);
            }
        }
        if (scansExtremes)
        {
            SlidingExtremes.scan(ring, ringBase, (int)count, isLong, result);
        }
        else if (null != blockExtremes)
        {
            blockExtremes.fill(header, headerBase, ring, ringBase, slot, sequence, isLong, replaced, result);
        }
        if (needsVariance)
        {
            result.variance = variances[keyId].variance(count);
        }
    }

    /** Counts a key that has just had its first element and gives it a variance aggregate if it needs one. */
    private void onNewKey(final int keyId)
    {
        keyCount++;
        if (needsVariance)
        {
            if (keyId >= variances.length)
            {
                variances = Arrays.copyOf(variances, Math.max(keyId + 1, variances.length << 1));
            }
            if (null == variances[keyId])
            {
                variances[keyId] = new SlidingVariance(range);
            }
        }
    }

    private double toDouble(final long bits)
    {
        return isLong ? bits : Double.longBitsToDouble(bits);
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeCheck(out, range);
        WindowSnapshots.writeCheck(out, slide);
        WindowSnapshots.writeCheck(out, kind.ordinal());
        WindowSnapshots.writeCheck(out, aggregationFlags());
        out.writeInt(keyCount);
        state.writeLiveRecords(out, needsVariance ? (keyId, to) -> variances[keyId].writeState(to) : null);
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readCheck(in, range, "count window range");
        WindowSnapshots.readCheck(in, slide, "count window slide");
        WindowSnapshots.readCheck(in, kind.ordinal(), "value kind (0 = long, 1 = double)");
        WindowSnapshots.readCheck(in, aggregationFlags(), "aggregation set and record layout (bit flags)");
        clear();
        final int keys = in.readInt();
        for (int k = 0; k < keys; k++)
        {
            final int keyId = state.readRecord(in);
            onNewKey(keyId);
            if (needsVariance)
            {
                variances[keyId].readState(in);
            }
        }
    }

    private int aggregationFlags()
    {
        return (needsSum ? 1 : 0) | (needsVariance ? 2 : 0) | (needsMin ? 4 : 0) | (needsMax ? 8 : 0) |
            (needsFirst ? 16 : 0) | (scansExtremes ? 32 : 0) | (null != blockExtremes ? 64 : 0) | LAYOUT_FLAGS |
            (null != blockExtremes && blockExtremes.inPlace() ? IN_PLACE_FLAG : 0);
    }
}
