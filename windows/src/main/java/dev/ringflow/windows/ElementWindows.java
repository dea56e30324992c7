package dev.ringflow.windows;

/**
 * Per-key windows that fire on element counts, with no notion of time: what {@link CountWindowAggregator}
 * (sliding and tumbling) and {@link GlobalWindowAggregator} (unbounded) have in common.
 * <p>
 * <b>Note:</b> Implementations are single-threaded and allocation free in steady state.
 */
public interface ElementWindows extends WindowState
{
    /** Adds the next element of a key; true when the window fired and {@link #result()} describes it. */
    boolean addLong(int keyId, long value);

    /** Adds the next element of a key; true when the window fired and {@link #result()} describes it. */
    boolean addDouble(int keyId, double value);

    /** Forgets a key's elements; its id may then be reused for another key. */
    void removeKey(int keyId);

    /** The window that fired on the last add that returned true; valid until the next add. */
    WindowResult result();
}
