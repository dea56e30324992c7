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
 * Each element costs O(1): sums are updated by adding the new value and subtracting the evicted one, min and max
 * come from amortized O(1) monotonic deques. Double sums use Neumaier compensation and are recomputed from the
 * window every {@code range} evictions (amortized O(1) per element), so they do not drift however long the run.
 * Variance never subtracts: it merges Welford aggregates with the two-stacks method ({@link SlidingVariance}).
 * <p>
 * <b>Note:</b> Keys are dense non-negative int ids chosen by the caller. State for a key is allocated when the key
 * first appears (about {@code 8 * range} bytes, plus {@code 16 * range} per min/max deque); after that adds are
 * allocation free.
 * <p>
 * <b>Note:</b> Not thread-safe: one owner thread.
 */
public final class CountWindowAggregator implements ElementWindows
{
    private final int range;
    private final int slide;
    private final ValueKind kind;
    private final boolean isLong;
    private final boolean needsSum;
    private final boolean needsVariance;
    private final boolean needsMin;
    private final boolean needsMax;
    private final boolean needsValues;
    private final boolean needsFirst;
    private final WindowResult result;
    private final java.util.ArrayDeque<CountWindowState> pool = new java.util.ArrayDeque<>();
    private CountWindowState[] states;
    private int keyCount;

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
        // Sums subtract the evicted value, the variance and FIRST read old values: only they need the ring.
        this.needsValues = needsSum || needsVariance || needsFirst;
        this.result = new WindowResult(kind);
        this.states = new CountWindowState[Math.max(16, expectedKeys)];
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

    /** Forgets every key. */
    public void clear()
    {
        Arrays.fill(states, null);
        keyCount = 0;
    }

    @Override
    public void removeKey(final int keyId)
    {
        if (keyId < states.length && null != states[keyId])
        {
            final CountWindowState state = states[keyId];
            states[keyId] = null;
            state.reset();
            pool.push(state);
            keyCount--;
        }
    }

    private boolean add(final int keyId, final long bits)
    {
        final CountWindowState state = state(keyId);
        final long sequence = ++state.seen;
        final boolean evicts = sequence > range;
        long evicted = 0;
        if (needsValues)
        {
            final long[] values = state.values;
            final int index = state.next;
            evicted = values[index];
            if (needsVariance)
            {
                // Before the new value overwrites the evicted one: the variance may need the whole old window.
                state.variance.add(sequence, toDouble(bits), evicts, values, isLong);
            }
            values[index] = bits;
            state.next = index + 1 == range ? 0 : index + 1;
        }

        if (needsSum)
        {
            if (isLong)
            {
                state.sumLong += evicts ? bits - evicted : bits;
            }
            else
            {
                state.sum.add(Double.longBitsToDouble(bits));
                if (evicts)
                {
                    state.sum.add(-Double.longBitsToDouble(evicted));
                }
                if (evicts && ++state.evictionsSinceRecompute >= range)
                {
                    recompute(state);
                }
            }
        }
        if (needsMin)
        {
            pushMin(state, sequence, bits);
        }
        if (needsMax)
        {
            pushMax(state, sequence, bits);
        }

        if (++state.sinceFire < slide)
        {
            return false;
        }
        state.sinceFire = 0;
        fill(keyId, state, sequence, bits);
        return true;
    }

    private void pushMin(final CountWindowState state, final long sequence, final long bits)
    {
        final long[] entries = state.minEntries;
        final int mask = state.dequeMask;
        int head = state.minHead;
        int size = state.minSize;
        final long oldest = sequence - range;
        while (size > 0 && entries[head << 1] <= oldest)
        {
            head = (head + 1) & mask;
            size--;
        }
        // An older element no smaller than the new one can never be the minimum again.
        while (size > 0 && !less(entries[(((head + size - 1) & mask) << 1) + 1], bits))
        {
            size--;
        }
        final int index = ((head + size) & mask) << 1;
        entries[index] = sequence;
        entries[index + 1] = bits;
        state.minHead = head;
        state.minSize = size + 1;
    }

    private void pushMax(final CountWindowState state, final long sequence, final long bits)
    {
        final long[] entries = state.maxEntries;
        final int mask = state.dequeMask;
        int head = state.maxHead;
        int size = state.maxSize;
        final long oldest = sequence - range;
        while (size > 0 && entries[head << 1] <= oldest)
        {
            head = (head + 1) & mask;
            size--;
        }
        // An older element no larger than the new one can never be the maximum again.
        while (size > 0 && !less(bits, entries[(((head + size - 1) & mask) << 1) + 1]))
        {
            size--;
        }
        final int index = ((head + size) & mask) << 1;
        entries[index] = sequence;
        entries[index + 1] = bits;
        state.maxHead = head;
        state.maxSize = size + 1;
    }

    private void fill(final int keyId, final CountWindowState state, final long sequence, final long bits)
    {
        final WindowResult result = this.result;
        final long count = sequence < range ? sequence : range;
        result.keyId = keyId;
        result.count = count;
        result.lastSequence = sequence;
        result.firstSequence = sequence - count + 1;
        if (needsFirst)
        {
            result.first = sequence < range ? state.values[0] : state.values[state.next];
        }
        result.last = bits;
        if (needsSum)
        {
            result.sumLong = state.sumLong;
            result.sum = isLong ? state.sumLong : state.sum.value();
        }
        if (needsMin)
        {
            result.min = state.minEntries[(state.minHead << 1) + 1];
        }
        if (needsMax)
        {
            result.max = state.maxEntries[(state.maxHead << 1) + 1];
        }
        if (needsVariance)
        {
            result.variance = state.variance.variance(count);
        }
    }

    /** Recomputes the double sum from the window's values: rounding errors cannot build up past one window. */
    private static void recompute(final CountWindowState state)
    {
        state.evictionsSinceRecompute = 0;
        state.sum.reset();
        for (final long bits : state.values)
        {
            state.sum.add(Double.longBitsToDouble(bits));
        }
    }

    private CountWindowState state(final int keyId)
    {
        if (keyId >= states.length)
        {
            states = Arrays.copyOf(states, Math.max(keyId + 1, states.length << 1));
        }
        CountWindowState state = states[keyId];
        if (null == state)
        {
            state = pool.isEmpty() ? new CountWindowState(range, needsValues, needsSum && !isLong, needsVariance,
                needsMin, needsMax) : pool.pop();
            states[keyId] = state;
            keyCount++;
        }
        return state;
    }

    private double toDouble(final long bits)
    {
        return isLong ? bits : Double.longBitsToDouble(bits);
    }

    private boolean less(final long a, final long b)
    {
        return isLong ? a < b : Double.compare(Double.longBitsToDouble(a), Double.longBitsToDouble(b)) < 0;
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeCheck(out, range);
        WindowSnapshots.writeCheck(out, slide);
        WindowSnapshots.writeCheck(out, kind.ordinal());
        WindowSnapshots.writeCheck(out, aggregationFlags());
        out.writeInt(keyCount);
        for (int keyId = 0; keyId < states.length; keyId++)
        {
            final CountWindowState state = states[keyId];
            if (null != state)
            {
                out.writeInt(keyId);
                state.writeState(out);
            }
        }
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readCheck(in, range, "count window range");
        WindowSnapshots.readCheck(in, slide, "count window slide");
        WindowSnapshots.readCheck(in, kind.ordinal(), "value kind (0 = long, 1 = double)");
        WindowSnapshots.readCheck(in, aggregationFlags(), "aggregation set (bit flags)");
        for (int keyId = 0; keyId < states.length; keyId++)
        {
            removeKey(keyId);
        }
        final int keys = in.readInt();
        for (int i = 0; i < keys; i++)
        {
            final int keyId = in.readInt();
            if (keyId < 0)
            {
                throw new java.io.StreamCorruptedException("key id " + keyId);
            }
            state(keyId).readState(in);
        }
    }

    private int aggregationFlags()
    {
        return (needsSum ? 1 : 0) | (needsVariance ? 2 : 0) | (needsMin ? 4 : 0) | (needsMax ? 8 : 0) |
            (needsFirst ? 16 : 0);
    }
}
