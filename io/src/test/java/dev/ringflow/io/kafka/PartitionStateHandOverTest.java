package dev.ringflow.io.kafka;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.StateSpec;
import dev.ringflow.io.TestSeeds;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two engines of one consumer group on a real broker, with partition-scoped state: engine A consumes alone, B
 * joins (the cooperative rebalance moves some partitions to B, each with the state A committed when giving it up),
 * then A stops cleanly (the rest move to B with the state of A's last commit). The output, read committed, must
 * equal the sliding sums of a naive oracle over each key's whole input: a partition whose windows restarted
 * empty on B would give other sums right after its move.
 */
class PartitionStateHandOverTest
{
    private static final int PARTITIONS = 6;
    private static final int KEYS = 60;
    private static final int PHASE = 6_000;
    private static final int RANGE = 5;

    @TempDir
    Path dir;

    @Test
    void shouldMoveEveryPartitionWithItsStateSoThatTheSumsStayExact() throws Exception
    {
        final long seed = TestSeeds.seed("shouldMoveEveryPartitionWithItsStateSoThatTheSumsStayExact");
        final Random random = new Random(seed);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            broker.createTopic("in", PARTITIONS);
            final String servers = broker.bootstrapServers();
            final List<String[]> input = new ArrayList<>();
            Engine a = null;
            Engine b = null;
            final KafkaSourceMetrics[] sourceOfB = new KafkaSourceMetrics[1];
            try (KafkaProducer<String, String> producer = producer(servers))
            {
                a = KafkaPipeline.start(spec(servers, "a"), 30_000);
                produce(producer, random, input, PHASE);
                awaitCommitted(servers, PHASE);

                b = KafkaPipeline.start(spec(servers, "b"), 30_000,
                    (engine, source, sink, journal) -> sourceOfB[0] = source);
                // The group gives B some of A's partitions, with the windows of phase 1's keys.
                awaitUntil("B is assigned partitions", () -> !sourceOfB[0].partitions().isEmpty());
                produce(producer, random, input, PHASE);
                awaitCommitted(servers, 2L * PHASE);
                final Engine second = b;
                assertThat(second.counters().eventsIn()).as("inputs B processed").isPositive();

                a.close();
                a = null;
                produce(producer, random, input, PHASE);
                awaitCommitted(servers, 3L * PHASE);
                // B ends with all 6 partitions, each taken over with the state A or B itself committed.
                assertThat(sourceOfB[0].stateTakeOvers()).isGreaterThanOrEqualTo(PARTITIONS);
                assertThat(sourceOfB[0].stateBytesTakenOver()).isPositive();
            }
            finally
            {
                if (null != a)
                {
                    a.close();
                }
                if (null != b)
                {
                    b.close();
                }
            }

            final Map<String, List<String>> expected = oracle(input);
            final Map<String, List<String>> actual = readOutputs(servers, input.size());
            for (final Map.Entry<String, List<String>> key : expected.entrySet())
            {
                assertThat(actual.get(key.getKey())).as("sums of key %s (seed %d)", key.getKey(), seed)
                    .isEqualTo(key.getValue());
            }
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            assertThat(committedMetadata(servers).values()).allMatch(m -> m.contains(";ringflow-state="));
        }
    }

    @Test
    void shouldStopWithTheReasonWhenTheCommittedStateIsGone() throws Exception
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            broker.createTopic("in", 1);
            broker.createTopic("handover-state", 1);
            final String servers = broker.bootstrapServers();
            final Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            try (Admin admin = Admin.create(props))
            {
                // A commit that points to state records the (recreated) state topic does not hold.
                admin.alterConsumerGroupOffsets("handover", Map.of(new TopicPartition("in", 0),
                    new OffsetAndMetadata(0, "ringflow-journal=j@1;ringflow-state=0@0:40:41:gone"))).all()
                    .get(30, TimeUnit.SECONDS);
            }
            final PipelineSpec spec = spec(servers, "c");
            final Engine engine = KafkaPipeline.start(new PipelineSpec(spec.name(), spec.source(), spec.tasks(),
                spec.sink(), spec.kafka(), spec.engine(), spec.journal(), new StateSpec(StateSpec.Scope.PARTITION,
                null, 300, 3_000)), 30_000);
            try
            {
                awaitUntil("the engine fails", engine::hasFailed);
                assertThat(engine.failure()).hasMessageContaining("the committed offset of in-0 points to its " +
                    "state at handover-state-0 offsets 40 to 41, beyond the end of that partition");
            }
            finally
            {
                engine.close();
            }
        }
    }

    private PipelineSpec spec(final String servers, final String daemon)
    {
        return PipelineBuilder.named("handover").source("in").groupId("handover")
            .window(RANGE, 1, Aggregation.SUM, ValueKind.LONG).format("{value}").sink("out")
            .journal(dir.resolve(daemon).toString(), JournalSpec.RollCycle.HOURLY)
            .state(new StateSpec(StateSpec.Scope.PARTITION, null, 300))
            .kafkaProperty("bootstrap.servers", servers).build();
    }

    private static void produce(final KafkaProducer<String, String> producer, final Random random,
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
    private static Map<String, List<String>> oracle(final List<String[]> input)
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

    private static Map<String, List<String>> readOutputs(final String servers, final int count)
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

    private static void awaitCommitted(final String servers, final long total)
    {
        awaitUntil("the group commits " + total + " input records", () -> committed(servers) == total);
    }

    private static long committed(final String servers)
    {
        return offsets(servers).values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static Map<TopicPartition, String> committedMetadata(final String servers)
    {
        final Map<TopicPartition, String> metadata = new LinkedHashMap<>();
        offsets(servers).forEach((tp, offset) -> metadata.put(tp, offset.metadata()));
        return metadata;
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(final String servers)
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(props))
        {
            return admin.listConsumerGroupOffsets("handover").partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** A producer of string keys and values: for the io tests that feed a pipeline. */
    static KafkaProducer<String, String> producer(final String servers)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static void awaitUntil(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting until " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
