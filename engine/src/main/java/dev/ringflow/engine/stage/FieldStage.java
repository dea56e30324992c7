package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;

/**
 * A task on the fields of JSON events: sees each record as a {@link JsonEvent} and passes it on (changed or not) or
 * drops it. A record whose value is not a JSON object is bad input.
 */
abstract class FieldStage implements Stage
{
    final JsonEvents events;

    FieldStage(final JsonEvents events)
    {
        this.events = events;
    }

    @Override
    public final void onRecord(final RecordBuffer in, final int index, final RecordBuffer out,
        final OutputList outputs)
    {
        final JsonEvent event = events.of(in, index);
        if (null == event)
        {
            outputs.deadLetter(JsonEvents.NOT_JSON);
            return;
        }
        if (onEvent(event, in, index, outputs))
        {
            onPassed(out, out.moveFrom(in, index), event);
        }
    }

    /**
     * Applies the task to the event of record {@code index}.
     *
     * @return true to pass the record on, false to drop it (after dead-lettering it, if it is bad input).
     */
    abstract boolean onEvent(JsonEvent event, RecordBuffer in, int index, OutputList outputs);

    /** After the record was passed on as {@code out}'s record {@code index}. */
    void onPassed(final RecordBuffer out, final int index, final JsonEvent event)
    {
    }
}
