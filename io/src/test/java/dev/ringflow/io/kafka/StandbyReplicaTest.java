package dev.ringflow.io.kafka;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.SinkException;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.StateSpec;
import dev.ringflow.io.TestSeeds;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static dev.ringflow.io.kafka.PartitionStateTestSupport.RANGE;
import static dev.ringflow.io.kafka.PartitionStateTestSupport.assertOutputsEqualTheOracle;
import static dev.ringflow.io.kafka.GroupTestKit.awaitCommitted;
import static dev.ringflow.io.kafka.GroupTestKit.awaitUntil;
import static dev.ringflow.io.kafka.PartitionStateTestSupport.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code state.standby-replicas: 1} on a real broker: a daemon's {@link StandbyReplica} keeps the state other
 * daemons publish, a take-over uses it when it holds exactly the committed state, and reads the topic otherwise.
 */
class StandbyReplicaTest
{
    private static final int PARTITIONS = 6;
    private static final int PHASE = 4_000;
    private static final String GROUP = "standby";
    private static final TopicPartition IN_0 = new TopicPartition("in", 0);
    private static final TopicPartition IN_1 = new TopicPartition("in", 1);
    private static final TopicPartition IN_2 = new TopicPartition("in", 2);

    @TempDir
    Path dir;
    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines()
    {
        engines.forEach(Engine::close);
    }

    @Test
    void shouldTakeOverALeavingDaemonsPartitionsFromTheStandbyCopyWithExactSums() throws Exception
    {
        final long seed = TestSeeds.seed("shouldTakeOverALeavingDaemonsPartitionsFromTheStandbyCopyWithExactSums");
        final Random random = new Random(seed);
        final List<String[]> input = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
            KafkaProducer<String, String> producer = GroupTestKit.stringProducer(broker.bootstrapServers()))
        {
            broker.createTopic("in", PARTITIONS);
            final String servers = broker.bootstrapServers();
            final Map<Engine, KafkaSourceMetrics> daemons = new LinkedHashMap<>();
            started(servers, "a", daemons);
            produce(producer, random, input, PHASE);
            awaitCommitted(servers, GROUP, PHASE);

            started(servers, "b", daemons);
            produce(producer, random, input, PHASE);
            awaitCommitted(servers, GROUP, 2L * PHASE);
            // The sticky assignor may leave either daemon without partitions: the one that owns more leaves.
            final List<Engine> byPartitions = new ArrayList<>(daemons.keySet());
            byPartitions.sort(Comparator.comparingInt(engine -> daemons.get(engine).partitions().size()));
            final Engine leaving = byPartitions.get(1);
            final KafkaSourceMetrics survivor = daemons.get(byPartitions.get(0));
            final int moving = daemons.get(leaving).partitions().size();
            assertThat(moving + survivor.partitions().size()).isEqualTo(PARTITIONS);
            awaitUntil("the survivor's standby holds the state of the leaver's " + moving + " partitions",
                () -> survivor.standbyPartitions() == moving && survivor.standbyBytes() > 0, 90);
            final long fromStandbyBefore = survivor.stateTakeOversFromStandby();

            // The leaver commits its partitions' last state as it goes: the survivor takes them over from its copy.
            leaving.close();
            produce(producer, random, input, PHASE);
            awaitCommitted(servers, GROUP, 3L * PHASE);
            assertThat(survivor.partitions()).hasSize(PARTITIONS);
            assertThat(survivor.stateTakeOversFromStandby() - fromStandbyBefore)
                .as("take-overs of the leaver's partitions from the standby copy").isEqualTo(moving);
            assertThat(survivor.standbyPartitions()).as("copies of partitions the survivor owns").isZero();
            assertThat(survivor.standbyBytes()).isZero();
            daemons.keySet().forEach(Engine::close);

            assertOutputsEqualTheOracle(servers, input, seed);
            assertThat(standbyThreadAlive()).as("a ringflow-standby thread after the daemons closed").isFalse();
        }
    }

    @Test
    void shouldReadTheTopicWhenTheStandbyCopyIsNotExactlyTheCommittedState() throws Exception
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
            KafkaProducer<byte[], byte[]> producer = transactionalProducer(broker.bootstrapServers()))
        {
            broker.createTopic("standby-state", 1);
            final StateTopic state = new StateTopic("standby-state", consumerProperties(broker.bootstrapServers()),
                10_000, 1, null);
            try (state)
            {
                state.startStandby();
                final byte[] older = bytes(1_000, 1);
                final OffsetAndMetadata olderPointer = publish(state, producer, IN_0, 10, older);
                final byte[] newer = bytes(3 * StateChunks.CHUNK_BYTES / 2, 2);
                publish(state, producer, IN_0, 20, newer);
                final byte[] other = bytes(700_000, 3);
                final OffsetAndMetadata otherPointer = publish(state, producer, IN_1, 5, other);

                final StateTopic.Restored fromCopy = restore(state, IN_1, otherPointer);
                assertThat(fromCopy.from()).as("in-1 from the standby").isEqualTo(StateTopic.From.STANDBY);
                assertThat(fromCopy.state()).isEqualTo(other);
                assertThat(fromCopy.coveredOffset()).isEqualTo(5);

                // The copy holds in-0's newer state: a commit that still points to the older one reads the topic.
                final StateTopic.Restored stale = restore(state, IN_0, olderPointer);
                assertThat(stale.from()).as("in-0 from the standby").isNotEqualTo(StateTopic.From.STANDBY);
                assertThat(stale.state()).isEqualTo(older);

                // A state published while this daemon owns the partition is not kept; once released, it is again.
                final byte[] whileOwned = bytes(2_000, 4);
                final StateTopic.Restored owned = restore(state, IN_1, publish(state, producer, IN_1, 6, whileOwned));
                assertThat(owned.from()).as("in-1 published while owned, from the standby")
                    .isNotEqualTo(StateTopic.From.STANDBY);
                assertThat(owned.state()).isEqualTo(whileOwned);
                state.release(List.of(IN_1));
                final byte[] released = bytes(2_000, 5);
                final StateTopic.Restored back = restore(state, IN_1, publish(state, producer, IN_1, 7, released));
                assertThat(back.from()).as("in-1 published after its release, from the standby")
                    .isEqualTo(StateTopic.From.STANDBY);
                assertThat(back.state()).isEqualTo(released);

                // One of two chunks: the copy is incomplete, so the topic is read, and that is incomplete too.
                final long chunkOffset = publishHalfAState(producer);
                assertThatThrownBy(() -> restore(state, IN_2, new OffsetAndMetadata(9, StateTopic.PREFIX + "9@0:" +
                    chunkOffset + ":" + chunkOffset + ":half")))
                    .isInstanceOf(SinkException.class)
                    .hasMessageContaining("is incomplete (1 of 2 chunks)");
            }
            assertThat(standbyThreadAlive()).as("a ringflow-standby thread after closing").isFalse();
        }
    }

    @Test
    void shouldReportTheStandbyThreadsDeathForTheSourceToStopTheDaemon() throws Exception
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            final StateTopic state = new StateTopic("no-such-state", consumerProperties(broker.bootstrapServers()),
                10_000, 1, null);
            try (state)
            {
                state.checkStandby();
                state.startStandby();
                awaitUntil("the standby thread dies", () -> null != state.standby().failure(), 90);
                assertThatThrownBy(state::checkStandby)
                    .isInstanceOf(SinkException.class)
                    .hasMessageContaining("thread ringflow-standby died")
                    .hasMessageContaining("the state topic 'no-such-state' does not exist");
            }
            assertThat(standbyThreadAlive()).isFalse();
        }
    }

    /** Starts a daemon with a standby replica, remembering its source's figures. */
    private void started(final String servers, final String name, final Map<Engine, KafkaSourceMetrics> daemons)
    {
        final AtomicReference<KafkaSourceMetrics> source = new AtomicReference<>();
        final Engine engine = KafkaPipeline.start(spec(servers, name, 1), 30_000,
            (started, metrics, sink, journal) -> source.set(metrics));
        engines.add(engine);
        daemons.put(engine, source.get());
    }

    private PipelineSpec spec(final String servers, final String daemon, final int standbyReplicas)
    {
        return PipelineBuilder.named("standby").source("in").groupId(GROUP)
            .window(RANGE, 1, Aggregation.SUM, ValueKind.LONG).format("{value}").sink("out")
            .journal(dir.resolve(daemon).toString(), JournalSpec.RollCycle.HOURLY)
            .state(new StateSpec(StateSpec.Scope.PARTITION, null, 300, StateSpec.DEFAULT_RESTORE_TIMEOUT_MS,
                standbyReplicas))
            .kafkaProperty("bootstrap.servers", servers).build();
    }

    /** Publishes {@code state} of {@code input} as the workers do, committed: the offset that points to it. */
    private static OffsetAndMetadata publish(final StateTopic topic, final KafkaProducer<byte[], byte[]> producer,
        final TopicPartition input, final long coveredOffset, final byte[] state)
    {
        producer.beginTransaction();
        topic.send(producer, input, coveredOffset, state, (metadata, ex) ->
        {
        });
        producer.flush();
        assertThat(topic.resolvePending()).containsExactly(input);
        producer.commitTransaction();
        return new OffsetAndMetadata(coveredOffset, topic.metadataSuffix(input).substring(1));
    }

    /** The first of two chunks of a state of in-2, committed alone: its offset. */
    private static long publishHalfAState(final KafkaProducer<byte[], byte[]> producer) throws Exception
    {
        final RecordHeaders headers = new RecordHeaders();
        headers.add(StateChunks.HEADER_ID, "half".getBytes(StandardCharsets.UTF_8));
        headers.add(StateChunks.HEADER_CHUNK, "0/2".getBytes(StandardCharsets.UTF_8));
        producer.beginTransaction();
        final long offset = producer.send(new ProducerRecord<>("standby-state", 0, "in/2#0".getBytes(
            StandardCharsets.UTF_8), new byte[100], headers)).get().offset();
        producer.commitTransaction();
        return offset;
    }

    private static byte[] bytes(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Properties consumerProperties(final String servers)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(final String servers)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "standby-test");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
        producer.initTransactions();
        return producer;
    }

    private static boolean standbyThreadAlive()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch(thread -> StandbyReplica.THREAD_NAME.equals(thread.getName()) && thread.isAlive());
    }

    /** A take-over of {@code input} alone, from offset 0 when nothing was committed. */
    private static StateTopic.Restored restore(final StateTopic state, final TopicPartition input,
        final OffsetAndMetadata committed)
    {
        return state.restore(input, committed, 0, state.takeOverDeadlineNs());
    }
}
