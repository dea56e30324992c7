package dev.ringflow.engine;

/**
 * Where results go. {@link #onOutput}, {@link #onDeadLetter} and {@link #onEndOfBatch} are called on the sink
 * thread; {@link #flush()} may be called from the source thread concurrently with them.
 */
public interface Sink extends AutoCloseable
{
    /**
     * Emits the slot's output record: key {@link EventSlot#key()}, value {@link EventSlot#value()}. The slot is
     * reused after return, so copy what must outlive the call.
     */
    void onOutput(EventSlot slot);

    /**
     * Emits a bad input ({@link EventSlot#input()}) with its {@link EventSlot#errorReason()}. Called only when the
     * pipeline names a dead-letter destination.
     */
    void onDeadLetter(EventSlot slot);

    /**
     * The ring has no more events ready right now: a good moment to hand buffered output on.
     */
    void onEndOfBatch();

    /**
     * Blocks until everything emitted before the call is durable.
     *
     * @throws SinkException if anything emitted could not be written; the engine then stops without
     *                       acknowledging the input.
     */
    void flush();

    @Override
    void close();
}
