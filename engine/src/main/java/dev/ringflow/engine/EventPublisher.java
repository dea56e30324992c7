package dev.ringflow.engine;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;

import java.util.concurrent.locks.LockSupport;

/**
 * The source's handle on the ring: claims slots one at a time, publishes them as one batch.
 * <p>
 * <b>Note:</b> Used only by the source thread (the ring has a single producer).
 * <p>
 * <b>Note:</b> Allocation free: a full ring answers {@code null}, not an exception.
 */
public final class EventPublisher
{
    private static final long FULL_RING_PARK_NS = 20_000;

    private final RingBuffer<EventSlot> ring;
    private final Engine engine;
    /** See {@link #hasRoomToResume()}. */
    private final int resumeSlots;
    private long firstClaimed = -1;
    private long lastClaimed = -1;
    private long lastPublished = -1;
    private long lastMarker = -1;
    private boolean snapshotDue;
    private boolean stateDue;
    /**
     * A commit marker found the ring full: it takes the next free slot, before any more input, so that a source
     * that keeps the ring full (a backlog) still commits every interval instead of whenever a slot happens to be
     * free when the timer fires.
     */
    private boolean markerDue;
    /** When the source's last fetch returned (see {@link #polled(long)}); 0 until a source says. */
    private long polledNs;
    /** The poll time stamped on the slots of the batch being claimed. */
    private long claimedNs;

    EventPublisher(final RingBuffer<EventSlot> ring, final Engine engine)
    {
        this.ring = ring;
        this.engine = engine;
        resumeSlots = Math.max(1, ring.getBufferSize() / 4);
    }

    /**
     * @return a slot to fill, or null when the ring is full (publish what was claimed and try again later). A
     *         commit marker that is due goes first, into the slot before it.
     */
    public EventSlot tryClaim()
    {
        if (markerDue)
        {
            final EventSlot marker = claimSlot();
            if (null == marker)
            {
                return null;
            }
            fillMarker(marker);
        }
        return claimSlot();
    }

    private EventSlot claimSlot()
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
            // A source that does not say when it fetched its input gets the time its batch was started.
            claimedNs = 0 != polledNs ? polledNs : System.nanoTime();
        }
        lastClaimed = sequence;
        final EventSlot slot = ring.get(sequence);
        slot.polledNs(claimedNs);
        slot.sequence(sequence);
        return slot;
    }

    /**
     * Whether a quarter of the ring is free (claiming none). A source that found the ring full waits for this before
     * it goes on, rather than refilling each slot the worker frees: fewer, larger batches for the journal and the
     * worker, and fewer wake-ups on a machine with few cores, while three quarters of the ring are still queued for
     * the worker.
     */
    public boolean hasRoomToResume()
    {
        return ring.hasAvailableCapacity(resumeSlots);
    }

    /**
     * Tells the engine when the input about to be claimed was fetched ({@link System#nanoTime()} just after the
     * fetch returned): end-to-end latency counts from there, including any wait for ring space.
     */
    public void polled(final long nowNs)
    {
        polledNs = nowNs;
    }

    /**
     * Claims a slot, waiting for one while the ring is full (publishing what is claimed first).
     *
     * @throws SinkException when the engine fails while waiting.
     */
    public EventSlot claim()
    {
        EventSlot slot = tryClaim();
        while (null == slot)
        {
            publish();
            if (engine.hasFailed())
            {
                throw new SinkException("the engine failed", engine.failure());
            }
            LockSupport.parkNanos(FULL_RING_PARK_NS);
            slot = tryClaim();
        }
        return slot;
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
     * Asks for a snapshot of the workers' state at the next commit marker that is published.
     */
    void requestSnapshot()
    {
        snapshotDue = true;
    }

    boolean isSnapshotDue()
    {
        return snapshotDue;
    }

    /**
     * Asks the workers to publish the state of every input partition changed since they last did, at the next
     * commit marker that is published (partition-scoped state).
     */
    void requestStatePublish()
    {
        stateDue = true;
    }

    /**
     * Publishes a runtime change made on the source thread, after the events published so far, waiting for a
     * slot while the ring is full: a partition's state taken over or given up, at a rebalance.
     *
     * @throws SinkException when the engine fails while waiting.
     */
    public void publishChange(final RuntimeChange change)
    {
        claim().change(change);
        publish();
    }

    /**
     * Publishes a commit marker after the events published so far, unless the last published slot already is one.
     * With {@code mustWait} it waits for a free slot; otherwise, on a full ring, the marker takes the next slot
     * the source claims, ahead of its next input.
     */
    void publishCommitMarker(final boolean mustWait)
    {
        if (!markerDue && (lastPublished < 0 || (lastMarker == lastPublished && !snapshotDue && !stateDue)))
        {
            return;
        }
        EventSlot slot = claimSlot();
        while (null == slot && mustWait)
        {
            if (engine.hasFailed())
            {
                throw new SinkException("the engine failed while draining", engine.failure());
            }
            LockSupport.parkNanos(FULL_RING_PARK_NS);
            slot = claimSlot();
        }
        if (null == slot)
        {
            markerDue = true;
            return;
        }
        fillMarker(slot);
        publish();
    }

    /** Makes a claimed slot the commit marker, with the snapshot and state requests that wait for one. */
    private void fillMarker(final EventSlot slot)
    {
        if (snapshotDue)
        {
            slot.commitMarkerWithSnapshot();
            snapshotDue = false;
        }
        else
        {
            slot.commitMarker();
        }
        if (stateDue)
        {
            slot.requestStatePublish();
            stateDue = false;
        }
        markerDue = false;
        lastMarker = lastClaimed;
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
        if (engine.sinkCommitsProgress() || snapshotDue || stateDue)
        {
            publishCommitMarker(true);
        }
        engine.awaitProcessed(lastPublished);
        engine.flushSink();
        return lastPublished;
    }
}
