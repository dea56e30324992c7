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
    private volatile boolean rebalancing;

    /**
     * @param assignedFrom the assigned partitions and the offset each assignment started from
     *                     ({@link Long#MIN_VALUE}: any progress counts, as after a journal recovery).
     */
    void update(final Map<TopicPartition, Long> assignedFrom, final ConsumerGroupMetadata metadata)
    {
        this.assignedFrom = Map.copyOf(assignedFrom);
        this.metadata = metadata;
        rebalancing = false;
    }

    /**
     * The consumer is rejoining its group (a cooperative member keeps its partitions meanwhile): the generation in
     * {@link #metadata()} is about to end, and a transaction committed with it would be refused. Until the next
     * {@link #update}, commits wait; the open transaction just runs longer.
     */
    void markRebalancing()
    {
        rebalancing = true;
    }

    /** See {@link #markRebalancing()}. */
    boolean isRebalancing()
    {
        return rebalancing;
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
