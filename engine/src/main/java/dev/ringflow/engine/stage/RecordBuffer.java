package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;

import java.util.Arrays;

/**
 * The (key, value, time) records passed from one stage to the next while one event is processed; a stage may
 * turn one record into none, one or several. A record may carry its value's fields as a {@link JsonEvent}, which
 * then holds the truth: the value bytes are written from it when the record leaves the pipeline.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free in steady state (slots are reused, arrays only grow).
 */
final class RecordBuffer
{
    private ByteSlice[] keys = new ByteSlice[0];
    private ByteSlice[] values = new ByteSlice[0];
    private long[] times = new long[0];
    private JsonEvent[] events = new JsonEvent[0];
    private int size;
    private ByteSlice borrowedKey;
    private ByteSlice borrowedValue;

    int size()
    {
        return size;
    }

    ByteSlice[] keys()
    {
        return keys;
    }

    ByteSlice[] values()
    {
        return values;
    }

    ByteSlice key(final int index)
    {
        return keys[index];
    }

    ByteSlice value(final int index)
    {
        return values[index];
    }

    long timeMs(final int index)
    {
        return times[index];
    }

    /** The fields of record {@code index}, or null when they have not been read. */
    JsonEvent event(final int index)
    {
        return events[index];
    }

    void attach(final int index, final JsonEvent event)
    {
        events[index] = event;
    }

    void clear()
    {
        if (null != borrowedKey)
        {
            keys[0] = borrowedKey;
            borrowedKey = null;
        }
        if (null != borrowedValue)
        {
            values[0] = borrowedValue;
            borrowedValue = null;
        }
        size = 0;
    }

    /** Appends a record with the given time; fill key and value through the accessors. */
    int add(final long timeMs)
    {
        if (size == times.length)
        {
            final int capacity = Math.max(4, times.length << 1);
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
            for (int i = times.length; i < capacity; i++)
            {
                keys[i] = new ByteSlice();
                values[i] = new ByteSlice();
            }
            times = Arrays.copyOf(times, capacity);
            events = Arrays.copyOf(events, capacity);
        }
        times[size] = timeMs;
        events[size] = null;
        return size++;
    }

    /**
     * Makes this buffer hold exactly one record whose key and value are {@code key} and {@code value} themselves,
     * not copies: the event's input enters the first stage without being copied. Stages only read their input
     * buffer, so the borrowed slices are never written; {@link #clear()} gives the slots their own slices back.
     */
    void borrow(final ByteSlice key, final ByteSlice value, final long timeMs)
    {
        clear();
        add(timeMs);
        borrowedKey = keys[0];
        borrowedValue = values[0];
        keys[0] = key;
        values[0] = value;
    }

    /**
     * Puts {@code theirs[index]} at {@code mine[added]}: swapped with the slice there or, when it is borrowed from
     * the slot, borrowed again (at index 0) or copied.
     *
     * @return the own slice set aside for a borrow, or null.
     */
    private static ByteSlice move(final ByteSlice[] mine, final int added, final ByteSlice[] theirs, final int index,
        final boolean borrowed)
    {
        final ByteSlice own = mine[added];
        if (borrowed && added != 0)
        {
            own.set(theirs[index]);
            return null;
        }
        mine[added] = theirs[index];
        if (borrowed)
        {
            return own;
        }
        theirs[index] = own;
        return null;
    }

    /**
     * Swaps record {@code index}'s key and value slices with the given ones: moves a result into another list
     * without copying bytes. Must not be used on a borrowed record.
     */
    void exchange(final int index, final ByteSlice[] otherKeys, final ByteSlice[] otherValues, final int otherIndex)
    {
        final ByteSlice key = keys[index];
        keys[index] = otherKeys[otherIndex];
        otherKeys[otherIndex] = key;
        final ByteSlice value = values[index];
        values[index] = otherValues[otherIndex];
        otherValues[otherIndex] = value;
    }

    boolean isBorrowed()
    {
        return null != borrowedKey || null != borrowedValue;
    }

    /** Record {@code index}'s value slice, to be written: a borrowed value is first given back. */
    ByteSlice ownValue(final int index)
    {
        if (index == 0 && null != borrowedValue)
        {
            values[0] = borrowedValue;
            borrowedValue = null;
        }
        return values[index];
    }

    /** Record {@code index}'s key slice, to be written: a borrowed key is first given back. */
    ByteSlice ownKey(final int index)
    {
        if (index == 0 && null != borrowedKey)
        {
            keys[0] = borrowedKey;
            borrowedKey = null;
        }
        return keys[index];
    }

    /**
     * Appends {@code source}'s record {@code index} as it is (with its fields), without copying bytes: the slices
     * are swapped with, or borrowed like, the source's. The source must be cleared afterwards, not read again.
     *
     * @return the new record's index.
     */
    int moveFrom(final RecordBuffer source, final int index)
    {
        final int added = add(source.times[index]);
        events[added] = source.events[index];
        final ByteSlice ownKey = move(keys, added, source.keys, index, index == 0 && null != source.borrowedKey);
        if (null != ownKey)
        {
            borrowedKey = ownKey;
        }
        final ByteSlice ownValue = move(values, added, source.values, index,
            index == 0 && null != source.borrowedValue);
        if (null != ownValue)
        {
            borrowedValue = ownValue;
        }
        return added;
    }

    /** Appends a copy of {@code source}'s record {@code index} with a new value to be filled in. */
    int addWithKeyOf(final RecordBuffer source, final int index)
    {
        final int added = add(source.timeMs(index));
        keys[added].set(source.key(index));
        return added;
    }
}
