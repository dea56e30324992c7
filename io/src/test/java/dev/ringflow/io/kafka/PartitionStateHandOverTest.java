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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.ringflow.io.kafka.PartitionStateTestSupport.RANGE;
import static dev.ringflow.io.kafka.PartitionStateTestSupport.assertOutputsEqualTheOracle;
import static dev.ringflow.io.kafka.GroupTestKit.awaitCommitted;
import static dev.ringflow.io.kafka.GroupTestKit.awaitUntil;
import static dev.ringflow.io.kafka.PartitionStateTestSupport.committedMetadata;
import static dev.ringflow.io.kafka.PartitionStateTestSupport.produce;
import static org.assertj.core.api.Assertions.assertThat;

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
    private static final int PHASE = 6_000;

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
            try (KafkaProducer<String, String> producer = GroupTestKit.stringProducer(servers))
            {
                a = KafkaPipeline.start(spec(servers, "a"), 30_000);
                produce(producer, random, input, PHASE);
                awaitCommitted(servers, "handover", PHASE);

                b = KafkaPipeline.start(spec(servers, "b"), 30_000,
                    (engine, source, sink, journal) -> sourceOfB[0] = source);
                // The group gives B some of A's partitions, with the windows of phase 1's keys.
                awaitUntil("B is assigned partitions", () -> !sourceOfB[0].partitions().isEmpty(), 90);
                produce(producer, random, input, PHASE);
                awaitCommitted(servers, "handover", 2L * PHASE);
                final Engine second = b;
                assertThat(second.counters().eventsIn()).as("inputs B processed").isPositive();

                a.close();
                a = null;
                produce(producer, random, input, PHASE);
                awaitCommitted(servers, "handover", 3L * PHASE);
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

            assertOutputsEqualTheOracle(servers, input, seed);
            assertThat(committedMetadata(servers, "handover").values()).allMatch(m -> m.contains(";ringflow-state="));
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
                awaitUntil("the engine fails", engine::hasFailed, 90);
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
}
