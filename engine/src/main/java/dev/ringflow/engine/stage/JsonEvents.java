package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.expr.EvalContext;

/**
 * The field view of the records one worker processes: the parsed {@link JsonEvent} travelling with a record from
 * one field task to the next, taken from a pool reused for every input event, and what evaluating and writing them
 * needs.
 * <p>
 * <b>Note:</b> One per processor, worker thread only; allocation free once the pool has grown to the most records
 * one event makes (one, unless a window emits several).
 */
final class JsonEvents
{
    static final String NOT_JSON = "value is not a JSON object";

    private final FieldTable table;
    private final EvalContext context = new EvalContext();
    private final JsonEventWriter writer = new JsonEventWriter();
    private JsonEvent[] pool = new JsonEvent[0];
    private int used;

    JsonEvents(final FieldTable table)
    {
        this.table = table;
    }

    FieldTable table()
    {
        return table;
    }

    EvalContext context()
    {
        return context;
    }

    /** Frees every pooled event: a new input event begins. */
    void reset()
    {
        used = 0;
    }

    /**
     * The fields of record {@code index}: the event already travelling with it, or its value read into a pooled
     * event (which then travels with it).
     *
     * @return null when the value is not a JSON object.
     */
    JsonEvent of(final RecordBuffer records, final int index)
    {
        final JsonEvent attached = records.event(index);
        if (null != attached)
        {
            return attached;
        }
        if (used == pool.length)
        {
            pool = java.util.Arrays.copyOf(pool, Math.max(2, used << 1));
            for (int i = used; i < pool.length; i++)
            {
                pool[i] = new JsonEvent(table);
            }
        }
        final JsonEvent event = pool[used];
        final ByteSlice value = records.value(index);
        if (value.isNull() || !event.read(value.bytes(), value.length()))
        {
            return null;
        }
        used++;
        records.attach(index, event);
        return event;
    }

    /** Writes the event as the JSON text of a record's value. */
    void write(final JsonEvent event, final ByteSlice out)
    {
        writer.write(event, out);
    }

    /** Writes a computed value as a record key: strings as their text, numbers as JSON numbers. */
    void writeNumber(final double value, final ByteSlice out)
    {
        writer.writeNumber(value, out);
    }
}
