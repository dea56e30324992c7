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

    int size()
    {
        return size;
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

    /** Appends a copy of {@code source}'s record {@code index} with a new value to be filled in. */
    int addWithKeyOf(final RecordBuffer source, final int index)
    {
        final int added = add(source.timeMs(index));
        keys[added].set(source.key(index));
        return added;
    }
}
