package dev.ringflow.tools;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The demos' way of reading their output topics: every partition from the beginning, without a consumer group.
 */
final class DemoConsumers
{
    private DemoConsumers()
    {
    }

    /**
     * @param readCommitted true to see only committed transactions ({@code read_committed}).
     * @return a consumer assigned to every partition of {@code topics}, at the beginning; the caller closes it.
     */
    static KafkaConsumer<String, String> fromBeginning(final String servers, final List<String> topics,
        final boolean readCommitted)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        if (readCommitted)
        {
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        final KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        try
        {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final String topic : topics)
            {
                for (final PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10)))
                {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return consumer;
        }
        catch (final RuntimeException ex)
        {
            consumer.close();
            throw ex;
        }
    }
}
