package dev.ringflow.engine;

/**
 * An append-only record of everything that entered the engine, in ring order: inputs with their source
 * coordinates, and ticks (processing time is an input too). The engine's state is a function of it, so it is
 * what recovery and replay read back.
 * <p>
 * <b>Note:</b> {@link #append} and {@link #onEndOfBatch()} run on the {@code ringflow-journal} thread, beside the
 * worker; the engine hands an event's outputs to the sink only after the event is appended.
 */
public interface Journal extends AutoCloseable
{
    /**
     * Appends one input, tick or commit marker. Must not keep references to the slot's buffers.
     *
     * @return the record's index in the journal.
     * @throws RuntimeException when the record cannot be written (e.g. a full disk): the engine stops without
     *                          emitting or acknowledging anything the journal does not hold.
     */
    long append(EventSlot slot);

    /** No more events are ready right now. */
    default void onEndOfBatch()
    {
    }

    @Override
    void close();
}
