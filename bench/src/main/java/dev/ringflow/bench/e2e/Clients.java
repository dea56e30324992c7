package dev.ringflow.bench.e2e;

import dev.ringflow.io.kafka.KafkaClientProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Properties;

/**
 * Kafka clients of the harness, byte arrays in and out. Consumers fetch like Ringflow's source and producers batch
 * like its sink (idempotent, {@code acks=all}; the poll size, fetch wait, linger and batch size of
 * {@link KafkaClientProperties}), so the plain-client baselines run on the same settings as the pipeline.
 */
final class Clients
{
    /** The sink's default linger, for producers that stand in for it. */
    static final int SINK_LINGER_MS = KafkaClientProperties.DEFAULT_LINGER_MS;

    private Clients()
    {
    }

    /**
     * @param groupId null for a consumer that only uses {@code assign}.
     */
    static KafkaConsumer<byte[], byte[]> consumer(
        final String servers, final String groupId, final boolean readCommitted, final String clientId)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (null != groupId)
        {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            Integer.toString(KafkaClientProperties.DEFAULT_MAX_POLL_RECORDS));
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
            Integer.toString(KafkaClientProperties.DEFAULT_FETCH_MAX_WAIT_MS));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /**
     * An idempotent producer with {@code acks=all}, batching {@code lingerMs} and the sink's batch size.
     */
    static KafkaProducer<byte[], byte[]> producer(final String servers, final int lingerMs, final String clientId)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(KafkaClientProperties.DEFAULT_BATCH_SIZE));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
