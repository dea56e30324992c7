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

/** What the tests of engines in a consumer group on a real broker share: waits, offsets, producing and reading. */
final class GroupTestKit
{
    private GroupTestKit()
    {
    }

    /** Waits until {@code condition} holds, failing after {@code timeoutSeconds}. */
    static void awaitUntil(final String what, final BooleanSupplier condition, final long timeoutSeconds)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("timed out after " + timeoutSeconds + " s waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** The group's committed offsets, with their metadata. */
    static Map<TopicPartition, OffsetAndMetadata> committedOffsets(final String servers, final String group)
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(props))
        {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot read the committed offsets of group " + group, ex);
        }
    }

    /** The sum of the group's committed offsets: on topics written from offset 0, the records it committed. */
    static long committedTotal(final String servers, final String group)
    {
        return committedOffsets(servers, group).values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    static void awaitCommitted(final String servers, final String group, final long total)
    {
        awaitUntil("group " + group + " commits " + total + " input records",
            () -> committedTotal(servers, group) == total, 90);
    }

    static KafkaProducer<String, String> stringProducer(final String servers)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /**
     * Reads {@code count} records of {@code topic} read committed, then polls on until three polls in a row
     * return nothing, so that a duplicate would be read too; asserts that exactly {@code count} were read.
     *
     * @return each key's values, in the order read.
     */
    static Map<String, List<String>> readCommitted(final String servers, final String topic, final int count)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        final Map<String, List<String>> out = new TreeMap<>();
        int read = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props))
        {
            consumer.subscribe(List.of(topic));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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
        assertThat(read).as("records read from " + topic).isEqualTo(count);
        return out;
    }

    /**
     * The naive oracle of a keyed sliding sum: each input's output is the sum of its key's last {@code range}
     * values, recomputed from the list of the key's values.
     *
     * @param input key and value (an integer as text) of every input, in the order of its partition.
     */
    static Map<String, List<String>> slidingSums(final List<String[]> input, final int range)
    {
        final Map<String, List<Long>> seen = new LinkedHashMap<>();
        final Map<String, List<String>> out = new TreeMap<>();
        for (final String[] record : input)
        {
            final List<Long> values = seen.computeIfAbsent(record[0], k -> new ArrayList<>());
            values.add(Long.parseLong(record[1]));
            long sum = 0;
            for (int i = Math.max(0, values.size() - range); i < values.size(); i++)
            {
                sum += values.get(i);
            }
            out.computeIfAbsent(record[0], k -> new ArrayList<>()).add(Long.toString(sum));
        }
        return out;
    }

    /**
     * Sends {@code count} records to topic {@code in}: a key of {@code keys} and an integer in [-1000, 1000], written
     * into the value by {@code valueFormat} (e.g. {@code "%s"}, or {@code "{\"v\":%s}"} for JSON), and adds key and
     * integer to {@code input}, then flushes.
     */
    static void produceKeyedIntegers(final KafkaProducer<String, String> producer, final Random random,
        final int keys, final String valueFormat, final List<String[]> input, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final String key = "key-" + random.nextInt(keys);
            final String value = Integer.toString(random.nextInt(2001) - 1000);
            input.add(new String[] { key, value });
            producer.send(new ProducerRecord<>("in", key, String.format(valueFormat, value)));
        }
        producer.flush();
    }
}
