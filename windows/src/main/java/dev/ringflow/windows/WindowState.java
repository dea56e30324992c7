package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Window state that can be saved to a snapshot and loaded back: loading a snapshot into a fresh window built with
 * the same parameters gives a window that answers every later element exactly as the original would have.
 * <p>
 * <b>Note:</b> Called by the window's owner thread, between elements.
 */
public interface WindowState
{
    /** Writes the parameters (for checking) and every piece of state that affects later results. */
    void writeState(DataOutput out) throws IOException;

    /**
     * Replaces this window's state by one written by {@link #writeState}.
     *
     * @throws SnapshotMismatchException when the snapshot's window had other parameters.
     */
    void readState(DataInput in) throws IOException;
}
