package dev.ringflow.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A source fed from code: tests, replays and embedding. Records offered from any thread are published in order;
 * {@link #committedCount()} tells how many of them the engine has acknowledged.
 */
public final class InMemorySource implements Source
{
    /** One input record. */
    public record Record(String topic, int partition, long offset, long timestampMs, byte[] key, byte[] value)
    {
    }

    private static final long IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(200);

    /** Records and runtime changes, in offer order. */
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private Record pending;
    /** The ring sequences of the changes offered: the source thread's. */
    private final java.util.List<Long> changeSequences = new java.util.ArrayList<>();
    private long published;
    private volatile long committed;
    private volatile boolean closed;

    public void offer(final Record record)
    {
        queue.add(record);
    }

    /**
     * A runtime change made on the source thread after the records offered before it, as a Kafka source makes
     * {@link PartitionState} changes at a rebalance.
     */
    public void offer(final RuntimeChange change)
    {
        queue.add(change);
    }

    /** Input records acknowledged by the engine (processed and flushed), in offer order. */
    public long committedCount()
    {
        return committed;
    }

    public boolean isClosed()
    {
        return closed;
    }

    @Override
    public int poll(final EventPublisher publisher)
    {
        int count = 0;
        while (true)
        {
            final Object next = null != pending ? pending : queue.poll();
            if (null == next)
            {
                break;
            }
            if (next instanceof RuntimeChange change)
            {
                publisher.publish();
                publisher.publishChange(change);
                changeSequences.add(publisher.lastPublishedSequence());
                continue;
            }
            final Record record = (Record)next;
            final EventSlot slot = publisher.tryClaim();
            if (null == slot)
            {
                pending = record;
                break;
            }
            pending = null;
            slot.input(record.topic(), record.partition(), record.offset(), record.timestampMs(), record.key(),
                record.value());
            count++;
        }
        publisher.publish();
        published += count;
        if (count == 0)
        {
            LockSupport.parkNanos(IDLE_PARK_NS);
        }
        return count;
    }

    @Override
    public void commit(final long processedSequence)
    {
        // The ring also carried the changes offered: they are not records.
        long changes = 0;
        for (final long sequence : changeSequences)
        {
            changes += sequence <= processedSequence ? 1 : 0;
        }
        committed = processedSequence + 1 - changes;
    }

    @Override
    public void wakeup()
    {
    }

    @Override
    public void close()
    {
        closed = true;
    }
}
