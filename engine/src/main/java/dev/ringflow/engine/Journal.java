package dev.ringflow.engine;

/**
 * An append-only record of everything that entered the engine, in ring order: inputs with their source
 * coordinates, ticks (processing time is an input too) and commit markers, written in groups. The engine's state
 * is a function of it, so it is what recovery and replay read back.
 * <p>
 * <b>Note:</b> Every method but {@link #close()} runs on the {@code ringflow-journal} thread, beside the worker;
 * the engine hands an event's outputs to the sink only after the group holding the event is flushed.
 */
public interface Journal extends AutoCloseable
{
    /**
     * Adds one input, tick or commit marker to the open group of records. Must not keep references to the slot's
     * buffers. Nothing is durable before {@link #flush()}.
     *
     * @throws RuntimeException when the record cannot be written (e.g. a full disk): the engine stops without
     *                          emitting or acknowledging anything the journal does not hold.
     */
    void append(EventSlot slot);

    /**
     * Writes the open group as one journal entry (one Chronicle document: its per-entry cost, a header and an
     * index entry, is paid once per group, not per record).
     *
     * @return the entry's journal index, shared by every record of the group; -1 when the group was empty.
     */
    long flush();

    /** No more events are ready right now. */
    default void onEndOfBatch()
    {
    }

    @Override
    void close();

    /** The index of the last group in the journal when it was opened, -1 when it was empty. */
    default long lastIndex()
    {
        return -1;
    }

    /**
     * Allows the journal to delete its files that hold only groups before {@code index} (and are older than its
     * retention): a snapshot covers them. May be called from any thread.
     */
    default void releaseBefore(final long index)
    {
    }

    /** The journal's directory, where its snapshots are kept too; null for a journal without one (tests). */
    default java.nio.file.Path dir()
    {
        return null;
    }
}
