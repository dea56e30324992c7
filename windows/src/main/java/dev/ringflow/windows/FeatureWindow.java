package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One window of a {@link FeatureWindows} for all its keys: takes an event's value and answers with the window's
 * aggregates for that event at once.
 * <p>
 * <b>Note:</b> Single-threaded; allocation free in steady state.
 */
interface FeatureWindow
{
    /**
     * Takes a key's event and writes the window's answer to it from {@code answers[answerBase]} on (see
     * {@link FeatureAnswer}).
     *
     * @param hasValue false when the event lacks the window's value: it is not added, and the answer is the window
     *                 of the event without it.
     */
    void onEvent(int keyId, long timeMs, double value, boolean hasValue, double[] answers, int answerBase);

    /** Drops a key's state; its id may then be given to another key. */
    void forget(int keyId);

    void writeState(DataOutput out) throws IOException;

    /** Replaces every key's state by what {@link #writeState} wrote. */
    void readState(DataInput in) throws IOException;
}
