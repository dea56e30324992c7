package dev.ringflow.engine;

import java.util.Arrays;

/**
 * The records an event produced, in order: outputs, dead letters, late elements. Slots of the list are reused
 * from event to event.
 * <p>
 * <b>Note:</b> Each worker owns one and refills it for every event it processes, then hands it to the sink on the
 * same thread: outputs never live in the ring, so the source never touches them and two workers processing the
 * same tick never share them. Allocation free in steady state: it grows to the most records one event has
 * produced.
 */
public final class OutputList
{
    /** A result for the output topic. */
    public static final int OUTPUT = 1;
    /** Bad input for the dead-letter topic; the value is the input as received. */
    public static final int DEAD_LETTER = 2;
    /** An element later than the allowed lateness, for the late-data topic. */
    public static final int LATE = 3;
    /** A record a route task sends to another topic; its {@link #reason} is that topic's name. */
    public static final int ROUTED = 4;

    private ByteSlice[] keys = new ByteSlice[0];
    private ByteSlice[] values = new ByteSlice[0];
    private int[] kinds = new int[0];
    private long[] timestamps = new long[0];
    private String[] reasons = new String[0];
    private int size;
    private EventSlot source;

    public int size()
    {
        return size;
    }

    public int kind(final int index)
    {
        return kinds[index];
    }

    public ByteSlice key(final int index)
    {
        return keys[index];
    }

    public ByteSlice value(final int index)
    {
        return values[index];
    }

    public long timestampMs(final int index)
    {
        return timestamps[index];
    }

    /** Why a dead letter or late element was set aside; null for outputs. */
    public String reason(final int index)
    {
        return reasons[index];
    }

    public void clear()
    {
        size = 0;
    }

    /** Empties the list for the records of {@code event}, whose input {@link #deadLetter} sets aside. */
    public void startEvent(final EventSlot event)
    {
        size = 0;
        source = event;
    }

    /**
     * Records the event as bad input: a dead letter with the input as received. {@code reason} should be a
     * constant: this runs on the hot path.
     */
    public void deadLetter(final String reason)
    {
        final EventSlot event = source;
        final int index = add(DEAD_LETTER, event.timestampMs(), reason);
        keys[index].set(event.key());
        values[index].set(event.input());
    }

    /** The first dead letter's reason, or null: for logging. */
    public String errorReason()
    {
        for (int i = 0; i < size; i++)
        {
            if (kinds[i] == DEAD_LETTER)
            {
                return reasons[i];
            }
        }
        return null;
    }

    /**
     * Appends a record; fill its key and value through {@link #key(int)} and {@link #value(int)}.
     *
     * @param reason a constant string (this runs on the hot path), or null for outputs.
     * @return the new record's index.
     */
    public int add(final int kind, final long timestampMs, final String reason)
    {
        if (size == kinds.length)
        {
            grow();
        }
        final int index = size++;
        kinds[index] = kind;
        timestamps[index] = timestampMs;
        reasons[index] = reason;
        return index;
    }

    /** The key slices, for moving results in without copying (see the stage package). */
    public ByteSlice[] keys()
    {
        return keys;
    }

    /** The value slices, for moving results in without copying. */
    public ByteSlice[] values()
    {
        return values;
    }

    /** Counts records of a kind. */
    public int count(final int kind)
    {
        int count = 0;
        for (int i = 0; i < size; i++)
        {
            if (kinds[i] == kind)
            {
                count++;
            }
        }
        return count;
    }

    private void grow()
    {
        final int capacity = Math.max(4, kinds.length << 1);
        keys = Arrays.copyOf(keys, capacity);
        values = Arrays.copyOf(values, capacity);
        for (int i = kinds.length; i < capacity; i++)
        {
            keys[i] = new ByteSlice();
            values[i] = new ByteSlice();
        }
        kinds = Arrays.copyOf(kinds, capacity);
        timestamps = Arrays.copyOf(timestamps, capacity);
        reasons = Arrays.copyOf(reasons, capacity);
    }
}
