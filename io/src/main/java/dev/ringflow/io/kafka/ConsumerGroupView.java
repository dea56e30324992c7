package dev.ringflow.io.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Set;

/**
 * What the sink's transactions need to know about the source's consumer, published by the source thread (the
 * consumer's owner) and read by the worker thread: the assigned partitions and the group metadata that fences
 * commits from a member that has lost its partitions.
 */
public final class ConsumerGroupView
{
    private volatile Set<TopicPartition> assigned = Set.of();
    private volatile ConsumerGroupMetadata metadata;

    void update(final Set<TopicPartition> assigned, final ConsumerGroupMetadata metadata)
    {
        this.assigned = Set.copyOf(assigned);
        this.metadata = metadata;
    }

    public Set<TopicPartition> assigned()
    {
        return assigned;
    }

    public ConsumerGroupMetadata metadata()
    {
        return metadata;
    }
}
