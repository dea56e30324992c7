package dev.ringflow.io.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the partition-state tests on a real broker share: keyed input to topic {@code in}, the naive oracle of a
 * per-key sliding sum, the outputs of topic {@code out} read committed, and the group's committed offsets.
 */
final class PartitionStateTestSupport
{
    static final int KEYS = 60;
    static final int RANGE = 5;

    private PartitionStateTestSupport()
    {
    }

    /** Sends {@code count} random values of random keys to {@code in}, remembering them in {@code input}. */
    static void produce(final KafkaProducer<String, String> producer, final Random random,
        final List<String[]> input, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final String key = "key-" + random.nextInt(KEYS);
            final String value = Integer.toString(random.nextInt(2001) - 1000);
            input.add(new String[] { key, value });
            producer.send(new ProducerRecord<>("in", key, value));
        }
        producer.flush();
    }

    /** Each key's sliding sums, recomputed from the list of its values: a key's records are in one partition. */
    static Map<String, List<String>> oracle(final List<String[]> input)
    {
        final Map<String, List<Long>> seen = new LinkedHashMap<>();
        final Map<String, List<String>> out = new TreeMap<>();
        for (final String[] record : input)
        {
            final List<Long> values = seen.computeIfAbsent(record[0], k -> new ArrayList<>());
            values.add(Long.parseLong(record[1]));
            long sum = 0;
            for (int i = Math.max(0, values.size() - RANGE); i < values.size(); i++)
            {
                sum += values.get(i);
            }
            out.computeIfAbsent(record[0], k -> new ArrayList<>()).add(Long.toString(sum));
        }
        return out;
    }

    /** Asserts that the committed outputs of every key are exactly the oracle's sums of {@code input}. */
    static void assertOutputsEqualTheOracle(final String servers, final List<String[]> input, final long seed)
    {
        final Map<String, List<String>> expected = oracle(input);
        final Map<String, List<String>> actual = readOutputs(servers, input.size());
        for (final Map.Entry<String, List<String>> key : expected.entrySet())
        {
            assertThat(actual.get(key.getKey())).as("sums of key %s (seed %d)", key.getKey(), seed)
                .isEqualTo(key.getValue());
        }
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
    }

    static Map<String, List<String>> readOutputs(final String servers, final int count)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        final Map<String, List<String>> out = new TreeMap<>();
        int read = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props))
        {
            consumer.subscribe(List.of("out"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // Then a little more, so that a duplicate would be read too.
            int emptyPolls = 0;
            while ((read < count || emptyPolls < 3) && System.nanoTime() < deadline)
            {
                final var records = consumer.poll(Duration.ofMillis(300));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                for (final ConsumerRecord<String, String> record : records)
                {
                    out.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                    read++;
                }
            }
        }
        assertThat(read).as("outputs read").isEqualTo(count);
        return out;
    }

    static void awaitCommitted(final String servers, final String group, final long total)
    {
        awaitUntil("the group commits " + total + " input records", () -> committed(servers, group) == total);
    }

    private static long committed(final String servers, final String group)
    {
        return offsets(servers, group).values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    static Map<TopicPartition, String> committedMetadata(final String servers, final String group)
    {
        final Map<TopicPartition, String> metadata = new LinkedHashMap<>();
        offsets(servers, group).forEach((tp, offset) -> metadata.put(tp, offset.metadata()));
        return metadata;
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(final String servers, final String group)
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(props))
        {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static KafkaProducer<String, String> producer(final String servers)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** Waits until {@code condition} holds, parking between checks; fails after 90 s. */
    static void awaitUntil(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
