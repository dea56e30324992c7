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
    /** What {@link #remember} kept last, of which event in which version. */
    private final ByteSlice remembered = new ByteSlice();
    private JsonEvent rememberedEvent;
    private long rememberedReads;
    private long rememberedChanges;

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

    /**
     * Writes the event as the JSON text of a record's value; as a copy of what was {@link #remember remembered} when
     * the event has not changed since.
     */
    void write(final JsonEvent event, final ByteSlice out)
    {
        if (event == rememberedEvent && event.reads() == rememberedReads && event.changes() == rememberedChanges)
        {
            out.set(remembered);
            return;
        }
        writer.write(event, out);
    }

    /**
     * Keeps a copy of what {@link #write} just wrote of the event into {@code written}, for an event that may leave
     * the pipeline again unchanged: a route that lets it go on writes it once, for the routed record and the final
     * output.
     */
    void remember(final JsonEvent event, final ByteSlice written)
    {
        remembered.set(written);
        rememberedEvent = event;
        rememberedReads = event.reads();
        rememberedChanges = event.changes();
    }

    /** Writes a computed value as a record key: strings as their text, numbers as JSON numbers. */
    void writeNumber(final double value, final ByteSlice out)
    {
        writer.writeNumber(value, out);
    }
}
