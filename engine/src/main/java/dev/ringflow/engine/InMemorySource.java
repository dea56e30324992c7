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

    private final ConcurrentLinkedQueue<Record> queue = new ConcurrentLinkedQueue<>();
    private Record pending;
    private long published;
    private volatile long committed;
    private volatile boolean closed;

    public void offer(final Record record)
    {
        queue.add(record);
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
            final Record record = null != pending ? pending : queue.poll();
            if (null == record)
            {
                break;
            }
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
        committed = processedSequence + 1;
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
