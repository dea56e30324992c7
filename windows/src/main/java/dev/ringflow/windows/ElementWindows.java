package dev.ringflow.windows;

/**
 * Per-key windows that fire on element counts, with no notion of time: what {@link CountWindowAggregator}
 * (sliding and tumbling) and {@link GlobalWindowAggregator} (unbounded) have in common.
 * <p>
 * <b>Note:</b> Implementations are single-threaded and allocation free in steady state.
 */
public interface ElementWindows extends WindowState
{
    /**
     * Elements per {@link #prefetch} call that suit this machine class: enough misses in flight to use the memory
     * system's parallelism, few enough that what they load stays in the first-level cache until it is used.
     */
    int PREFETCH_GROUP = 32;

    /** Adds the next element of a key; true when the window fired and {@link #result()} describes it. */
    boolean addLong(int keyId, long value);

    /** Adds the next element of a key; true when the window fired and {@link #result()} describes it. */
    boolean addDouble(int keyId, double value);

    /**
     * A hint before adding the elements of keys {@code keyIds[from .. to - 1]}: loads the state their adds will read
     * first, in passes whose cache misses overlap, where the adds one after another would wait for each miss in
     * turn. Results never change. Worth it when keys are many (their state beyond the CPU caches) and a run of
     * elements is known before it is added, as a batch is: call it for a group of about {@value #PREFETCH_GROUP}
     * elements, then add them. Does nothing by default.
     */
    default void prefetch(int[] keyIds, int from, int to)
    {
    }

    /** Forgets a key's elements; its id may then be reused for another key. */
    void removeKey(int keyId);

    /** The window that fired on the last add that returned true; valid until the next add. */
    WindowResult result();
}
