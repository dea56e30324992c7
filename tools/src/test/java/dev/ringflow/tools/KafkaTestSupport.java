package dev.ringflow.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Kafka helpers for the integration tests, written with plain Kafka clients (not Ringflow's own code), plus the
 * naive oracle the pipelines' outputs are compared with.
 */
final class KafkaTestSupport
{
    /** A record read back from a topic. */
    record Read(String topic, int partition, long offset, String key, String value, long timestamp)
    {
    }

    private final Map<String, String> clientProperties;

    KafkaTestSupport(final String servers)
    {
        this(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
    }

    /** Clients with these properties (bootstrap servers, security settings) under the ones each client needs. */
    KafkaTestSupport(final Map<String, String> clientProperties)
    {
        this.clientProperties = Map.copyOf(clientProperties);
    }

    KafkaProducer<String, String> producer()
    {
        final Properties props = clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props);
    }

    void produce(final String topic, final List<String[]> keyValues)
    {
        try (KafkaProducer<String, String> producer = producer())
        {
            for (final String[] kv : keyValues)
            {
                producer.send(new ProducerRecord<>(topic, kv[0], kv[1]));
            }
            producer.flush();
        }
    }

    /**
     * Reads every partition of {@code topic} from the beginning until {@code done} holds for what was read, as a
     * {@code read_committed} consumer (records of aborted or open transactions are not seen).
     */
    List<Read> readUntil(final String topic, final Predicate<List<Read>> done, final long timeoutMs)
    {
        return readUntil(topic, (read, consumer) -> done.test(read), timeoutMs);
    }

    private List<Read> readUntil(final String topic,
        final java.util.function.BiPredicate<List<Read>, KafkaConsumer<String, String>> done, final long timeoutMs)
    {
        final Properties props = clientProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<Read> read = new ArrayList<>();
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props))
        {
            final List<TopicPartition> partitions = new ArrayList<>();
            awaitUntil("topic " + topic + " exists", () -> !consumer.partitionsFor(topic, Duration.ofSeconds(10)).isEmpty(),
                timeoutMs);
            for (final PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10)))
            {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(read, consumer))
            {
                if (System.currentTimeMillis() > deadlineMs)
                {
                    fail("reading " + topic + ": condition not met within " + timeoutMs + " ms; read " + read.size() +
                        " records");
                }
                for (final ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100)))
                {
                    read.add(new Read(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.timestamp()));
                }
            }
        }
        return read;
    }

    /**
     * Reads a topic to its current end, as a {@code read_committed} consumer: until every partition's position has
     * reached its end offset (transaction markers take offsets too, so counting records would not do).
     */
    List<Read> readAll(final String topic)
    {
        final Map<Integer, Long> ends = endOffsets(topic);
        return readUntil(topic, (read, consumer) -> consumer.assignment().stream()
            .allMatch(tp -> consumer.position(tp) >= ends.getOrDefault(tp.partition(), 0L)), 60_000);
    }

    Map<Integer, Long> endOffsets(final String topic)
    {
        try (Admin admin = admin())
        {
            final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (final var info : admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions())
            {
                request.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest());
            }
            final Map<Integer, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    /** Committed offsets of a group on a topic, by partition (absent: nothing committed). */
    Map<Integer, Long> committedOffsets(final String group, final String topic)
    {
        final Map<Integer, Long> byPartition = new HashMap<>();
        committed(group, topic).forEach((partition, om) -> byPartition.put(partition, om.offset()));
        return byPartition;
    }

    /** The metadata committed with a group's offsets on a topic, by partition (absent: nothing committed). */
    Map<Integer, String> committedMetadata(final String group, final String topic)
    {
        final Map<Integer, String> byPartition = new HashMap<>();
        committed(group, topic).forEach((partition, om) -> byPartition.put(partition, om.metadata()));
        return byPartition;
    }

    private Map<Integer, OffsetAndMetadata> committed(final String group, final String topic)
    {
        try (Admin admin = admin())
        {
            final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            final Map<Integer, OffsetAndMetadata> byPartition = new HashMap<>();
            offsets.forEach((tp, om) ->
            {
                if (tp.topic().equals(topic) && null != om)
                {
                    byPartition.put(tp.partition(), om);
                }
            });
            return byPartition;
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    /**
     * Sends {@code record.apply(i)} for i = 0, 1, ... while {@code producing} holds, about 4,000 records/s: a flush
     * and a 25 ms pause every 100 records, after which {@code produced} says how many are written. The pause only
     * paces the stream; a failure ends up in {@code failure}.
     */
    void produceSteadily(final java.util.function.LongFunction<ProducerRecord<String, String>> record,
        final java.util.concurrent.atomic.AtomicBoolean producing, final java.util.concurrent.atomic.AtomicLong produced,
        final java.util.concurrent.atomic.AtomicReference<Throwable> failure)
    {
        try (KafkaProducer<String, String> producer = producer())
        {
            for (long i = 0; producing.get(); i++)
            {
                producer.send(record.apply(i));
                if (i % 100 == 99)
                {
                    producer.flush();
                    produced.set(i + 1);
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
                }
            }
            producer.flush();
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
        }
    }

    /** As {@link #assignments}, but empty before the group exists. */
    Map<String, java.util.Set<Integer>> assignmentsOrNone(final String group, final String topic)
    {
        try
        {
            return assignments(group, topic);
        }
        catch (final AssertionError ex)
        {
            if (ex.getCause() instanceof java.util.concurrent.ExecutionException cause &&
                cause.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException)
            {
                return Map.of();
            }
            throw ex;
        }
    }

    /** The partitions of {@code topic} each member of a group owns now, by member id (only members that own some). */
    Map<String, java.util.Set<Integer>> assignments(final String group, final String topic)
    {
        try (Admin admin = admin())
        {
            final Map<String, java.util.Set<Integer>> byMember = new HashMap<>();
            admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members()
                .forEach(member -> member.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(topic))
                    .forEach(tp -> byMember.computeIfAbsent(member.consumerId(), id -> new java.util.TreeSet<>())
                        .add(tp.partition())));
            return byMember;
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    /**
     * Sends {@code count} records to one partition of {@code topic} (7 keys of its own) and waits until they are
     * written.
     */
    void produceTo(final String topic, final int partition, final int count, final String prefix)
    {
        try (KafkaProducer<String, String> producer = producer())
        {
            for (int i = 0; i < count; i++)
            {
                producer.send(new ProducerRecord<>(topic, partition, "key-" + partition + "-" + i % 7, prefix + i));
            }
            producer.flush();
        }
    }

    private Admin admin()
    {
        return Admin.create(clientProperties());
    }

    private Properties clientProperties()
    {
        final Properties props = new Properties();
        props.putAll(clientProperties);
        return props;
    }

    /**
     * The sliding sum of the seed pipeline, the slow obvious way: per key, in partition-offset order, the sum of
     * the last {@code range} integer values, one output per integer input.
     */
    static Map<String, List<String>> slidingSums(final List<Read> input, final int range)
    {
        final List<Read> ordered = new ArrayList<>(input);
        ordered.sort(Comparator.comparingInt(Read::partition).thenComparingLong(Read::offset));
        final Map<String, List<Long>> seen = new LinkedHashMap<>();
        final Map<String, List<String>> out = new LinkedHashMap<>();
        for (final Read r : ordered)
        {
            final long value;
            try
            {
                value = Long.parseLong(r.value());
            }
            catch (final NumberFormatException ex)
            {
                continue;
            }
            final List<Long> values = seen.computeIfAbsent(r.key(), k -> new ArrayList<>());
            values.add(value);
            long sum = 0;
            for (int i = Math.max(0, values.size() - range); i < values.size(); i++)
            {
                sum += values.get(i);
            }
            out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Long.toString(sum));
        }
        return out;
    }

    /** Values by key, in the order they were read (per-partition order). */
    static Map<String, List<String>> valuesByKey(final List<Read> records)
    {
        final List<Read> ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparingInt(Read::partition).thenComparingLong(Read::offset));
        final Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (final Read r : ordered)
        {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        return byKey;
    }

    static void awaitUntil(final String what, final BooleanSupplier condition, final long timeoutMs)
    {
        if (!within(timeoutMs, condition))
        {
            fail(what + ": not within " + timeoutMs + " ms");
        }
    }

    /** Waits up to {@code timeoutMs} for {@code condition}, checking it every 20 ms; false if it did not come true. */
    static boolean within(final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadlineMs)
            {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return true;
    }

    /** A pipeline file's text with {@code property} ({@code "key: value"}) added to its sink's producer settings. */
    static String withSinkProducer(final String pipeline, final String property)
    {
        final String text = pipeline.replace("sink:\n", "sink:\n  producer:\n    " + property + "\n");
        assertThat(text).as("the pipeline has a sink to set %s in", property).isNotEqualTo(pipeline);
        return text;
    }
}
