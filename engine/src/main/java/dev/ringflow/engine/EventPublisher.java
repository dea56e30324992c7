package dev.ringflow.engine;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;

/**
 * The source's handle on the ring: claims slots one at a time, publishes them as one batch.
 * <p>
 * <b>Note:</b> Used only by the source thread (the ring has a single producer).
 * <p>
 * <b>Note:</b> Allocation free: a full ring answers {@code null}, not an exception.
 */
public final class EventPublisher
{
    private final RingBuffer<EventSlot> ring;
    private final Engine engine;
    private long firstClaimed = -1;
    private long lastClaimed = -1;
    private long lastPublished = -1;

    EventPublisher(final RingBuffer<EventSlot> ring, final Engine engine)
    {
        this.ring = ring;
        this.engine = engine;
    }

    /**
     * @return a slot to fill, or null when the ring is full (publish what was claimed and try again later).
     */
    public EventSlot tryClaim()
    {
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return null;
        }
        if (firstClaimed < 0)
        {
            firstClaimed = sequence;
        }
        lastClaimed = sequence;
        return ring.get(sequence);
    }

    /**
     * Makes every slot claimed since the last call visible to the worker, in one batch.
     */
    public void publish()
    {
        if (firstClaimed >= 0)
        {
            ring.publish(firstClaimed, lastClaimed);
            lastPublished = lastClaimed;
            firstClaimed = -1;
        }
    }

    /**
     * @return true if at least {@code slots} more slots can be claimed now.
     */
    public boolean hasCapacity(final int slots)
    {
        return ring.hasAvailableCapacity(slots);
    }

    /**
     * The sequence of the last published event, -1 before the first.
     */
    public long lastPublishedSequence()
    {
        return lastPublished;
    }

    /**
     * Publishes what is claimed, waits until every published event is processed, flushes the sink, and returns the
     * last published sequence: all input up to it is then safe to acknowledge. For rebalances and shutdown.
     *
     * @throws SinkException if the sink cannot write, or the engine failed while draining.
     */
    public long drainAndFlush()
    {
        publish();
        engine.awaitProcessed(lastPublished);
        engine.flushSink();
        return lastPublished;
    }
}
