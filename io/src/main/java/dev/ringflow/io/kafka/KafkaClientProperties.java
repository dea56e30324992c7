package dev.ringflow.io.kafka;

import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.SourceSpec;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Client properties for a pipeline: Ringflow's defaults, then the pipeline's {@code kafka} properties, then the
 * consumer- or producer-only ones; the few settings the engine's guarantees rest on are fixed.
 */
public final class KafkaClientProperties
{
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    /** Records one poll hands the source at most. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 2_000;
    /** How long the broker may hold a fetch open waiting for data. */
    public static final int DEFAULT_FETCH_MAX_WAIT_MS = 20;
    /**
     * How long the sink's producer waits to fill a batch. 1 ms rather than Kafka's 5: on the 2-core machine the
     * at-least-once seed pipeline kept its throughput and halved its median topic-to-topic latency
     * (docs/performance.md); 0 cost half the throughput there.
     */
    public static final int DEFAULT_LINGER_MS = 1;
    /** Bytes per producer batch and partition at most. */
    public static final int DEFAULT_BATCH_SIZE = 262_144;
    /**
     * How long an exactly-once sink's transaction may stay open before the broker aborts it: 10 s, as Kafka Streams
     * sets, rather than Kafka's 60. A daemon paused in the middle of a commit holds its partitions' committed
     * offsets unreadable to their next owner until its transaction ends; transactions here last one commit interval
     * (100 ms by default).
     */
    public static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClientProperties.class);
    /**
     * The {@code transaction.timeout.ms} an exactly-once sink's producer gets: {@code sink.producer}'s, else
     * {@code kafka}'s, else {@link #DEFAULT_TRANSACTION_TIMEOUT_MS}; {@link Long#MAX_VALUE} for a value that is not a
     * number, which the producer's own configuration check then names.
     */
    public static long transactionTimeoutMs(final PipelineSpec spec)
    {
        final String key = ProducerConfig.TRANSACTION_TIMEOUT_CONFIG;
        final String value = spec.sink().producer().getOrDefault(key, spec.kafka().get(key));
        try
        {
            return null == value ? DEFAULT_TRANSACTION_TIMEOUT_MS : Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            return Long.MAX_VALUE;
        }
    }

    /** Properties the admin client accepts, picked out of the shared {@code kafka} map. */
    private static final Set<String> ADMIN_PROPERTIES = AdminClientConfig.configNames();

    private KafkaClientProperties()
    {
    }

    public static Properties consumer(final PipelineSpec spec)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ringflow-" + spec.name() + "-consumer");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(DEFAULT_MAX_POLL_RECORDS));
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(DEFAULT_FETCH_MAX_WAIT_MS));
        if (spec.state().perPartition())
        {
            // Cooperative and sticky: a rebalance moves only the partitions that change owner, the others keep
            // their state and go on; commits wait while the consumer rejoins (see RebalanceAwareAssignor).
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RebalanceAwareAssignor.class.getName());
        }
        props.putAll(spec.kafka());
        props.putAll(spec.source().consumer());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, spec.source().groupId());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            spec.source().startFrom() == SourceSpec.StartFrom.LATEST ? "latest" : "earliest");
        // Offsets are committed by the engine, only for input whose output is durable.
        fix(props, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Input another transactional writer aborted must never enter the journal or produce output.
        fix(props, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    public static Properties producer(final PipelineSpec spec)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "ringflow-" + spec.name() + "-producer");
        props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(DEFAULT_LINGER_MS));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(DEFAULT_BATCH_SIZE));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        props.putAll(spec.kafka());
        props.putAll(spec.sink().producer());
        // Delivery guarantees rest on these: an output acknowledged by one replica only, or written twice on a
        // retry, is lost or duplicated whatever the journal holds.
        fix(props, ProducerConfig.ACKS_CONFIG, "all");
        fix(props, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** Sets a property the engine's guarantees rest on, whatever the pipeline said, and warns if it said otherwise. */
    private static void fix(final Properties props, final String key, final String value)
    {
        final Object given = props.put(key, value);
        if (null != given && !value.equalsIgnoreCase(given.toString().trim()) &&
            !(ProducerConfig.ACKS_CONFIG.equals(key) && "-1".equals(given.toString().trim())))
        {
            LOG.warn("ignoring the pipeline's Kafka setting {}={}: Ringflow's delivery guarantees need {}={}",
                key, given, key, value);
        }
    }

    /** Admin properties: the shared {@code kafka} properties that an admin client understands. */
    public static Properties admin(final Map<String, String> kafka)
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
        for (final Map.Entry<String, String> entry : kafka.entrySet())
        {
            final String key = entry.getKey();
            // Security settings, and the config providers that resolve their ${file:...} and ${env:...} secrets.
            final String lower = key.toLowerCase(Locale.ROOT);
            if (ADMIN_PROPERTIES.contains(key) || lower.startsWith("sasl.") || lower.startsWith("ssl.") ||
                lower.startsWith("config.providers"))
            {
                props.put(key, entry.getValue());
            }
        }
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "ringflow-admin");
        return props;
    }

    public static String bootstrapServers(final Map<String, String> kafka)
    {
        return kafka.getOrDefault("bootstrap.servers", DEFAULT_BOOTSTRAP_SERVERS);
    }
}
