package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.expr.FieldValues;
import dev.ringflow.engine.pipeline.SourceSpec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The key id and event time of a JSON event for a task with per-key state: the key is {@code source.key-field}
 * when set, else the record key (as {@code key-by} left it); the time is {@code source.timestamp-field} when set,
 * else the record timestamp. Keys get dense ids from a {@link KeyInterner}, which is part of the task's state.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free in steady state.
 */
final class EventKeyAndTime
{
    private static final String BAD_TIME = "the event time field is missing or not an integer";
    private static final String BAD_KEY = "the key field is missing or not a string or number";

    private final KeyInterner keys = new KeyInterner();
    private final ByteSlice key = new ByteSlice();
    private final int keyField;
    private final int timeField;
    private int keyId;
    private long timeMs;

    EventKeyAndTime(final SourceSpec source, final FieldTable table)
    {
        keyField = null == source.keyField() ? -1 : table.fieldId(source.keyField());
        timeField = null == source.timestampField() ? -1 : table.fieldId(source.timestampField());
    }

    /**
     * Reads the event's key and time, readable through {@link #keyId()} and {@link #timeMs()}.
     *
     * @return false, with the event set aside as bad input, when the key or time field is missing or malformed.
     */
    boolean read(final JsonEvent event, final RecordBuffer in, final int index, final JsonEvents events,
        final OutputList outputs)
    {
        timeMs = in.timeMs(index);
        if (timeField >= 0)
        {
            timeMs = event.kind(timeField) == FieldValues.NUMBER ? event.longValue(timeField) : 0;
            if (event.kind(timeField) != FieldValues.NUMBER || event.lastLongFailed())
            {
                outputs.deadLetter(BAD_TIME);
                return false;
            }
        }
        if (keyField >= 0)
        {
            if (!event.copyKey(keyField, key, events))
            {
                outputs.deadLetter(BAD_KEY);
                return false;
            }
            keyId = keys.intern(key);
        }
        else
        {
            keyId = keys.intern(in.key(index));
        }
        return true;
    }

    /** The id of a key seen before, or {@link KeyInterner#MISSING}; off the hot path. */
    int find(final ByteSlice key)
    {
        return keys.find(key);
    }

    int keyId()
    {
        return keyId;
    }

    long timeMs()
    {
        return timeMs;
    }

    void writeState(final DataOutput out) throws IOException
    {
        keys.writeState(out);
    }

    void readState(final DataInput in) throws IOException
    {
        keys.readState(in);
    }
}
