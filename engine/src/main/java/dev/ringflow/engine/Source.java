package dev.ringflow.engine;

/**
 * Where events come from. The engine calls every method but {@link #wakeup()} from its one source thread.
 */
public interface Source extends AutoCloseable
{
    /**
     * Fetches available input and hands it to the ring: claim a slot with {@link EventPublisher#tryClaim()}, fill
     * it with {@link EventSlot#input}, and call {@link EventPublisher#publish()} before returning. When the ring is
     * full, keep what did not fit for the next call (and pause fetching). May block briefly when there is no input.
     *
     * @return how many events were published.
     */
    int poll(EventPublisher publisher);

    /**
     * Everything published up to and including ring sequence {@code processedSequence} has been processed and
     * its outputs are durable: the source may now acknowledge that input (e.g. commit Kafka offsets).
     */
    void commit(long processedSequence);

    /**
     * False while the source still has history to replay (a journal recovery on its first assignment): runtime
     * changes wait until it has published that replay, so that they reach the workers after the history they
     * follow in the journal.
     */
    default boolean acceptsChanges()
    {
        return true;
    }

    /**
     * Makes a blocked {@link #poll} return soon. Callable from any thread.
     */
    void wakeup();

    @Override
    void close();
}
