package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One compiled pipeline task, run by the worker on every record of every event.
 * <p>
 * <b>Note:</b> Called on the worker thread only; implementations allocate nothing in steady state.
 */
interface Stage
{
    /**
     * Processes record {@code index} of {@code in}, appending what it becomes (nothing, one or several records)
     * to {@code out}. Bad input and late elements go to the event's {@code outputs} instead.
     */
    void onRecord(RecordBuffer in, int index, RecordBuffer out, OutputList outputs);

    /**
     * Input has been idle for {@code idleMs} of wall-clock time: a stage may emit what it was holding back.
     */
    default void onIdle(long idleMs, RecordBuffer out, OutputList outputs)
    {
    }

    /** Writes the stage's state for a snapshot; stateless stages write nothing. */
    default void writeState(DataOutput out) throws IOException
    {
    }

    /** Replaces the stage's state by one {@link #writeState} wrote. */
    default void readState(DataInput in) throws IOException
    {
    }
}
