package dev.ringflow.api;

/**
 * A function of one record and of its key's state: a fixed number of {@code double} and {@code long} slots per
 * key, which Ringflow keeps in flat arrays, snapshots with the rest of the pipeline's state and restores on
 * recovery. The key is the record's key as {@code key-by} left it, or {@code source.key-field}.
 * <p>
 * Fixed-size primitive state instead of user objects: nothing to serialise in user code, nothing allocated per
 * key or per record, a snapshot that is exactly the state, and a restored function that continues exactly where
 * the saved one was. State of variable size (a list of recent values) fits in slots used as a ring of fixed length.
 * <p>
 * <b>Note:</b> One instance per worker thread, never called concurrently. State changes made by an {@link #apply}
 * that throws are discarded: the key's state stays as it was before that record, which is dead-lettered.
 */
public interface KeyedFunction
{
    /**
     * As {@link RecordFunction#open}: called once before the first record, and at load time on an instance that is
     * then discarded.
     */
    default void open(final FunctionContext context)
    {
    }

    /** How many {@code double} slots each key's state has; asked once, after {@link #open}. */
    default int stateDoubles()
    {
        return 0;
    }

    /** How many {@code long} slots each key's state has; asked once, after {@link #open}. */
    default int stateLongs()
    {
        return 0;
    }

    /**
     * Processes one record with its key's state (all slots 0 for a key not seen before).
     *
     * @param record the record; valid only during this call.
     * @param state  the state of the record's key; valid only during this call.
     * @param out    where the record goes; valid only during this call.
     */
    void apply(Record record, KeyState state, Emitter out);
}
