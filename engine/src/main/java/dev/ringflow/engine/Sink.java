package dev.ringflow.engine;

/**
 * Where results go. {@link #onRecord} and {@link #onEndOfBatch} are called on the sink thread; {@link #flush()}
 * may be called from the source thread concurrently with them.
 */
public interface Sink extends AutoCloseable
{
    /**
     * Emits one record an event produced. {@code kind} is {@link OutputList#OUTPUT} (a result),
     * {@link OutputList#DEAD_LETTER} (bad input as received; only when the pipeline names a dead-letter topic) or
     * {@link OutputList#LATE} (an element later than its windows; only when the pipeline names a late topic) or
     * {@link OutputList#ROUTED} (a result a route task sends to the topic {@code reason} names).
     * The slices are reused after return, so copy what must outlive the call.
     *
     * @param reason why a dead letter or late element was set aside; the topic of a routed record; null for outputs.
     * @param source the event, for its input coordinates (topic, partition, offset).
     */
    void onRecord(int kind, ByteSlice key, ByteSlice value, long timestampMs, String reason, EventSlot source);

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

    /**
     * True when the sink commits the source's progress itself, atomically with its output (Kafka transactions):
     * the engine then sends commit markers through the ring instead of acknowledging input to the source.
     */
    default boolean commitsProgress()
    {
        return false;
    }

    /**
     * For a sink that {@link #commitsProgress()}: makes everything emitted so far durable and visible together
     * with {@code progress}, atomically. Called on the worker thread at each commit marker.
     *
     * @param journalIndex the commit marker's index in the journal (-1 without one): everything journaled up to it
     *                     is committed, which recovery needs to know.
     * @throws SinkException if that cannot be done; the engine then stops.
     */
    default void commit(SourceProgress progress, long journalIndex)
    {
        flush();
    }

    /**
     * For partition-scoped state: the state of input partition {@code topic}/{@code partition} as of its input up
     * to {@code coveredOffset} (exclusive), to be committed with the next {@link #commit}, so that the partition's
     * next owner can take it over. Called on the worker thread that owns the partition, before the commit marker
     * that commits it is handed on. A sink that does not hand state over ignores it.
     *
     * @param state what {@link PartitionState} restores: opaque to the sink.
     */
    default void onPartitionState(String topic, int partition, long coveredOffset, byte[] state)
    {
    }

    @Override
    void close();
}
