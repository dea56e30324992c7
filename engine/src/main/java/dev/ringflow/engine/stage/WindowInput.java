package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.pipeline.InputFormat;
import dev.ringflow.engine.expr.FieldValues;
import dev.ringflow.engine.pipeline.SourceSpec;
import dev.ringflow.windows.ValueKind;
import dev.ringflow.windows.WindowSnapshots;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * Turns a record into what a window consumes: the key (the record key, or a JSON field), the event time (the
 * record timestamp, or a JSON field) and one number per value field (the whole text value, or JSON fields). A
 * record that does not yield all of them is dead-lettered with a reason naming what was wrong.
 * <p>
 * Windows over several value fields use one window key per (key, field): {@code keyId * fieldCount + field}.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free.
 */
final class WindowInput
{
    private final boolean isLong;
    private final AsciiNumbers numbers;
    private final KeyInterner keys;
    /** The fields of JSON records; null for text input. */
    private final JsonEvents json;
    private final int keyField;
    private final int timestampField;
    private final int[] valueFields;
    private final int fieldCount;
    private final String[] badValueReasons;
    private final String badKeyReason;
    private final String badTimestampReason;
    private final ByteSlice key = new ByteSlice();
    private final long idleKeyTimeoutMs;
    private long[] lastSeenMs = new long[64];
    private long latestMs = Long.MIN_VALUE;
    private int eventsSinceSweep;

    final long[] longValues;
    final double[] doubleValues;
    int keyId;
    long timeMs;

    /**
     * @param idleKeyTimeoutMs forget keys idle this long in record time ({@link #sweepIdleKeys}); 0 for never.
     */
    WindowInput(final SourceSpec source, final List<String> valueFields, final ValueKind kind,
        final AsciiNumbers numbers, final KeyInterner keys, final long idleKeyTimeoutMs, final JsonEvents events)
    {
        this.idleKeyTimeoutMs = idleKeyTimeoutMs;
        this.isLong = kind == ValueKind.LONG;
        this.numbers = numbers;
        this.keys = keys;
        final String numberKind = isLong ? "an integer" : "a finite number";
        if (source.format() == InputFormat.JSON)
        {
            final FieldTable table = events.table();
            keyField = null == source.keyField() ? -1 : table.fieldId(source.keyField());
            timestampField = null == source.timestampField() ? -1 : table.fieldId(source.timestampField());
            json = events;
            fieldCount = valueFields.size();
            this.valueFields = new int[fieldCount];
            for (int i = 0; i < fieldCount; i++)
            {
                this.valueFields[i] = table.fieldId(valueFields.get(i));
            }
            badValueReasons = new String[fieldCount];
            for (int i = 0; i < fieldCount; i++)
            {
                badValueReasons[i] = "field '" + valueFields.get(i) + "' is missing or not " + numberKind;
            }
        }
        else
        {
            json = null;
            keyField = -1;
            timestampField = -1;
            this.valueFields = new int[0];
            fieldCount = 1;
            badValueReasons = new String[] { isLong ? "value is not an integer" : "value is not a finite number" };
        }
        badKeyReason = "field '" + source.keyField() + "' is missing or not a string or number";
        badTimestampReason = "field '" + source.timestampField() + "' is missing or not an integer";
        longValues = new long[fieldCount];
        doubleValues = new double[fieldCount];
    }

    int fieldCount()
    {
        return fieldCount;
    }

    /**
     * Reads record {@code index} of {@code in}.
     *
     * @return true when key, time and every value were read; false after dead-lettering the event.
     */
    boolean read(final RecordBuffer in, final int index, final OutputList outputs)
    {
        final ByteSlice value = in.value(index);
        final int length = value.isNull() ? 0 : value.length();
        if (null == json)
        {
            timeMs = in.timeMs(index);
            return parse(value.bytes(), 0, length, 0, outputs) && intern(in.key(index));
        }
        final JsonEvent event = json.of(in, index);
        if (null == event)
        {
            outputs.deadLetter(JsonEvents.NOT_JSON);
            return false;
        }
        timeMs = in.timeMs(index);
        if (timestampField >= 0)
        {
            final long time = event.kind(timestampField) == FieldValues.NUMBER ? event.longValue(timestampField) : 0;
            if (event.kind(timestampField) != FieldValues.NUMBER || event.lastLongFailed())
            {
                outputs.deadLetter(badTimestampReason);
                return false;
            }
            timeMs = time;
        }
        for (int i = 0; i < fieldCount; i++)
        {
            final int field = valueFields[i];
            if (event.kind(field) != FieldValues.NUMBER)
            {
                outputs.deadLetter(badValueReasons[i]);
                return false;
            }
            if (isLong)
            {
                longValues[i] = event.longValue(field);
                if (event.lastLongFailed())
                {
                    outputs.deadLetter(badValueReasons[i]);
                    return false;
                }
            }
            else
            {
                doubleValues[i] = event.number(field);
                if (!Double.isFinite(doubleValues[i]))
                {
                    outputs.deadLetter(badValueReasons[i]);
                    return false;
                }
            }
        }
        if (keyField >= 0)
        {
            if (!event.copyKey(keyField, key, json))
            {
                outputs.deadLetter(badKeyReason);
                return false;
            }
            return intern(key);
        }
        return intern(in.key(index));
    }

    /**
     * True if a record's window key is its record key, so that it can be looked up before the record is read; false
     * when the key is a JSON field.
     */
    boolean keysAreRecordKeys()
    {
        return keyField < 0;
    }

    /** Keys with an id. */
    int keyCount()
    {
        return keys.size();
    }

    /**
     * The ids of {@code count} record keys, without adding them ({@link KeyInterner#MISSING} for a key with none
     * yet), their cache misses overlapping.
     */
    void findKeyIds(final ByteSlice[] recordKeys, final int count, final int[] ids)
    {
        keys.findAll(recordKeys, count, ids);
    }

    /** The window key of value field {@code field} for the record just read. */
    int windowKey(final int field)
    {
        return keyId * fieldCount + field;
    }

    /** The window key of value field {@code field} of key {@code keyId}. */
    int windowKey(final int keyId, final int field)
    {
        return keyId * fieldCount + field;
    }

    /** The key id of a window key. */
    int keyIdOf(final int windowKey)
    {
        return windowKey / fieldCount;
    }

    /** The field of a window key. */
    int fieldOf(final int windowKey)
    {
        return windowKey % fieldCount;
    }

    /** The key of the record just read: the record key or the JSON key field. */
    ByteSlice key(final RecordBuffer in, final int index)
    {
        return keyField >= 0 ? key : in.key(index);
    }

    private boolean parse(final byte[] bytes, final int start, final int end, final int field, final OutputList outputs)
    {
        if (isLong)
        {
            longValues[field] = numbers.parseLong(bytes, start, end);
        }
        else
        {
            doubleValues[field] = numbers.parseDouble(bytes, start, end);
        }
        if (numbers.lastParseFailed())
        {
            outputs.deadLetter(badValueReasons[field]);
            return false;
        }
        return true;
    }

    private boolean intern(final ByteSlice key)
    {
        keyId = keys.intern(key);
        if (idleKeyTimeoutMs > 0)
        {
            if (keyId >= lastSeenMs.length)
            {
                lastSeenMs = java.util.Arrays.copyOf(lastSeenMs, Math.max(keyId + 1, lastSeenMs.length << 1));
            }
            lastSeenMs[keyId] = Math.max(lastSeenMs[keyId], timeMs);
            latestMs = Math.max(latestMs, timeMs);
        }
        return true;
    }

    /** What a window stage does with keys that have gone idle. */
    interface IdleKeyHandler
    {
        /** True if the key's window state may be dropped now (no window still waiting to fire). */
        boolean canForget(int keyId);

        /** Drops the key's window state, for every value field. */
        void forget(int keyId);
    }

    /**
     * Every so many records (as many as there are keys, so the scan is O(1) per record amortized), forgets the
     * keys whose latest element is more than the idle timeout older than the latest element of any key.
     */
    void sweepIdleKeys(final IdleKeyHandler handler)
    {
        if (idleKeyTimeoutMs <= 0 || ++eventsSinceSweep < Math.max(1024, keys.idLimit()))
        {
            return;
        }
        eventsSinceSweep = 0;
        final long cutoffMs = latestMs - idleKeyTimeoutMs;
        for (int id = 0, limit = keys.idLimit(); id < limit; id++)
        {
            if (keys.isLive(id) && lastSeenMs[id] < cutoffMs && lastSeenMs[id] != Long.MIN_VALUE &&
                handler.canForget(id))
            {
                handler.forget(id);
                keys.release(id);
                lastSeenMs[id] = Long.MIN_VALUE;
            }
        }
    }

    /** Writes the stage's keys and their idle-timeout bookkeeping. */
    void writeState(final DataOutput out) throws IOException
    {
        keys.writeState(out);
        WindowSnapshots.writeLongs(out, lastSeenMs, lastSeenMs.length);
        out.writeLong(latestMs);
        out.writeInt(eventsSinceSweep);
    }

    void readState(final DataInput in) throws IOException
    {
        keys.readState(in);
        lastSeenMs = WindowSnapshots.readLongs(in, 64);
        latestMs = in.readLong();
        eventsSinceSweep = in.readInt();
    }
}
