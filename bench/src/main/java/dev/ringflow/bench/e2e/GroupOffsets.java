package dev.ringflow.bench.e2e;

import dev.ringflow.io.kafka.TopicLeaders;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads topic end offsets and consumer groups' committed offsets through one admin client: a pipeline has
 * finished a topic when its group's committed offsets reach the topic's end offsets. Offsets committed inside a
 * Kafka transaction (exactly-once Ringflow and Kafka Streams) become visible with the transaction's commit, so
 * that moment is also when every output of the input is visible to {@code read_committed} consumers. Also creates
 * and deletes the harnesses' topics.
 */
final class GroupOffsets implements AutoCloseable
{
    private static final long TIMEOUT_MS = 30_000;

    private final Admin admin;

    GroupOffsets(final String servers)
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "e2e-harness-admin");
        admin = Admin.create(props);
    }

    /** The end offset of every partition of {@code topic}. */
    Map<TopicPartition, Long> endOffsets(final String topic)
    {
        final TopicDescription description = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (final TopicPartitionInfo partition : description.partitions())
        {
            request.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
        }
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer =
            get(admin.listOffsets(request).all());
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        answer.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /**
     * Creates {@code topics} with {@code partitions} partitions each and waits until every partition has a leader
     * (before that, an idempotent producer's first records can be lost: {@link TopicLeaders}).
     */
    void createTopics(final List<String> topics, final int partitions)
    {
        get(admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, Optional.of(partitions),
            Optional.empty())).toList()).all());
        try
        {
            TopicLeaders.await(admin, topics, TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the leaders of " + topics, ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException("the partitions of " + topics + " got no leader: " + ex.getMessage(), ex);
        }
    }

    /** Deletes {@code topics} (to free the broker's disk between runs) and waits until they are gone. */
    void deleteTopics(final List<String> topics)
    {
        get(admin.deleteTopics(topics).all());
    }

    static long sum(final Map<TopicPartition, Long> offsets)
    {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * @return true when {@code groupId} has committed, for every partition in {@code targets}, at least its offset.
     */
    boolean hasCommitted(final String groupId, final Map<TopicPartition, Long> targets)
    {
        final Map<TopicPartition, OffsetAndMetadata> committed =
            get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        for (final Map.Entry<TopicPartition, Long> target : targets.entrySet())
        {
            final OffsetAndMetadata offset = committed.get(target.getKey());
            if (null == offset || offset.offset() < target.getValue())
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close()
    {
        admin.close();
    }

    private static <T> T get(final org.apache.kafka.common.KafkaFuture<T> future)
    {
        try
        {
            return future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the broker", ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException("admin request failed: " + ex.getMessage(), ex);
        }
    }
}
