package dev.ringflow.io.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * What the sink's transactions need to know about the source's consumer, published by the source thread (the
 * consumer's owner) and read by the worker thread: the assigned partitions, the offset each one's current
 * assignment started from, and the group metadata that fences commits from a member that has lost its partitions.
 * <p>
 * <b>Note:</b> A partition that comes back after another member owned it starts from that member's committed
 * offset; progress this engine made before, in an earlier assignment, lies behind it and must not be committed.
 */
public final class ConsumerGroupView
{
    private volatile Map<TopicPartition, Long> assignedFrom = Map.of();
    private volatile ConsumerGroupMetadata metadata;
    private volatile String lost;
    /** How long a rejoin waits for a commit under way: longer than any commit that is not stuck. */
    private static final long COMMIT_WAIT_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    private final Object commitLock = new Object();
    private boolean rebalancing;
    private boolean committing;

    /**
     * @param assignedFrom the assigned partitions and the offset each assignment started from
     *                     ({@link Long#MIN_VALUE}: any progress counts, as after a journal recovery).
     */
    void update(final Map<TopicPartition, Long> assignedFrom, final ConsumerGroupMetadata metadata)
    {
        synchronized (commitLock)
        {
            this.assignedFrom = Map.copyOf(assignedFrom);
            this.metadata = metadata;
            rebalancing = false;
        }
    }

    /**
     * The consumer is about to rejoin its group (a cooperative member keeps its partitions meanwhile): the generation
     * in {@link #metadata()} ends once the group has rejoined, and a transaction committed with it after that would
     * be refused. Waits for a commit under way to finish (it carries the generation while it is still valid, since
     * the group cannot complete the rejoin without this member), then keeps commits from starting until the next
     * {@link #update}; the open transaction just runs longer.
     * <p>
     * <b>Note:</b> On the consumer's thread, which this may hold for as long as a commit takes.
     */
    void markRebalancing()
    {
        synchronized (commitLock)
        {
            rebalancing = true;
            final long deadlineNs = System.nanoTime() + COMMIT_WAIT_NS;
            long leftNs = COMMIT_WAIT_NS;
            while (committing && leftNs > 0)
            {
                try
                {
                    commitLock.wait(Math.max(1, leftNs / 1_000_000));
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
                leftNs = deadlineNs - System.nanoTime();
            }
        }
    }

    /**
     * Called by the sink before it commits a transaction with {@link #metadata()}.
     *
     * @return false while the consumer rejoins its group: the commit must be put off (see {@link #markRebalancing}).
     */
    boolean beginCommit()
    {
        synchronized (commitLock)
        {
            if (rebalancing)
            {
                return false;
            }
            committing = true;
            return true;
        }
    }

    /** After a commit that {@link #beginCommit} let start, however it ended. */
    void endCommit()
    {
        synchronized (commitLock)
        {
            committing = false;
            commitLock.notifyAll();
        }
    }

    /**
     * True when {@code tp} is assigned and {@code nextOffset} is progress of its current assignment, i.e. not behind
     * the offset the assignment started from.
     */
    /** Where the current assignment of {@code tp} started; -1 when it is not assigned or not known. */
    long startOffset(final TopicPartition tp)
    {
        final Long from = assignedFrom.get(tp);
        return null == from || from < 0 ? -1 : from;
    }

    public boolean isCurrentProgress(final TopicPartition tp, final long nextOffset)
    {
        final Long from = assignedFrom.get(tp);
        return null != from && nextOffset >= from;
    }

    /**
     * The group dropped this member and took these partitions (a pause longer than the session timeout): the open
     * transaction holds outputs that their next owner produces again, so nothing this engine has sent may be
     * committed any more. Never undone: the engine stops, which aborts the transaction.
     */
    void markLost(final String partitions)
    {
        lost = partitions;
    }

    /** The partitions {@link #markLost} named, or null while the member has lost none. */
    public String lostPartitions()
    {
        return lost;
    }

    public ConsumerGroupMetadata metadata()
    {
        return metadata;
    }
}
