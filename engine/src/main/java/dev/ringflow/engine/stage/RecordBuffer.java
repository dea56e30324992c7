package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;

import java.util.Arrays;

/**
 * The (key, value, time) records passed from one stage to the next while one event is processed; a stage may
 * turn one record into none, one or several.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free in steady state (slots are reused, arrays only grow).
 */
final class RecordBuffer
{
    private ByteSlice[] keys = new ByteSlice[0];
    private ByteSlice[] values = new ByteSlice[0];
    private long[] times = new long[0];
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

    void clear()
    {
        if (null != borrowedKey)
        {
            keys[0] = borrowedKey;
            values[0] = borrowedValue;
            borrowedKey = null;
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
        }
        times[size] = timeMs;
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
        return null != borrowedKey;
    }

    /** Appends a copy of {@code source}'s record {@code index} with a new value to be filled in. */
    int addWithKeyOf(final RecordBuffer source, final int index)
    {
        final int added = add(source.timeMs(index));
        keys[added].set(source.key(index));
        return added;
    }
}
