package dev.ringflow.io.kafka;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.pipeline.FunctionTaskSpec;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.engine.pipeline.OutputFormat;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.WindowTaskSpec;
import dev.ringflow.io.TestSeeds;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.ringflow.io.kafka.GroupTestKit.awaitCommitted;
import static dev.ringflow.io.kafka.GroupTestKit.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart whose journal replay takes longer than the consumer's {@code max.poll.interval.ms} (a slow function
 * task, a small ring): the replay of what was committed runs before the consumer joins its group, so the group
 * does not drop the daemon, and the outputs stay exactly the oracle's. Replayed inside the rebalance callback,
 * the group would drop the member mid-replay and the exactly-once daemon would stop ("the consumer group dropped
 * this daemon").
 */
class JournalRecoveryOutsideRebalanceTest
{
    private static final String GROUP = "outside";
    private static final int PARTITIONS = 2;
    private static final int KEYS = 20;
    private static final int PHASE = 3_000;
    private static final int RANGE = 5;
    /** The input: JSON objects with the integer in {@code v}. */
    private static final String VALUE_FORMAT = "{\"v\":%s}";
    private static final int MAX_POLL_INTERVAL_MS = 1_500;
    /** Replaying {@link #PHASE} records at this cost takes 3 s, twice the poll interval. */
    private static final long SPIN_MICROS = 1_000;

    @TempDir
    Path dir;

    @AfterEach
    void fast()
    {
        SlowFunction.spin(0);
    }

    @Test
    void shouldReplayTheCommittedJournalBeforeJoiningTheGroup() throws Exception
    {
        final long seed = TestSeeds.seed("shouldReplayTheCommittedJournalBeforeJoiningTheGroup");
        final Random random = new Random(seed);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            broker.createTopic("in", PARTITIONS);
            final String servers = broker.bootstrapServers();
            final PipelineSpec spec = spec(servers, 16);
            final List<String[]> input = new ArrayList<>();
            try (KafkaProducer<String, String> producer = GroupTestKit.stringProducer(servers))
            {
                Engine engine = KafkaPipeline.start(spec, 30_000);
                try
                {
                    GroupTestKit.produceKeyedIntegers(producer, random, KEYS, VALUE_FORMAT, input, PHASE);
                    awaitCommitted(servers, GROUP, PHASE);
                }
                finally
                {
                    engine.close();
                }

                SlowFunction.spin(SPIN_MICROS);
                final KafkaSourceMetrics[] source = new KafkaSourceMetrics[1];
                final long startNs = System.nanoTime();
                engine = KafkaPipeline.start(spec, 30_000, (e, s, sink, journal) -> source[0] = s);
                try
                {
                    final Engine restarted = engine;
                    awaitUntil("the restarted engine has replayed its journal and been assigned its partitions",
                        () -> restarted.hasFailed() || source[0].isRestored(), 90);
                    final long recoveryMs = (System.nanoTime() - startNs) / 1_000_000;
                    assertThat(engine.failure()).as("failure of the restarted engine").isNull();
                    assertThat(recoveryMs).as("the replay took longer than max.poll.interval.ms")
                        .isGreaterThan(MAX_POLL_INTERVAL_MS);
                    awaitUntil("the worker has processed the replayed records",
                        () -> restarted.counters().replayed() == PHASE, 30);
                    SlowFunction.spin(0);

                    GroupTestKit.produceKeyedIntegers(producer, random, KEYS, VALUE_FORMAT, input, PHASE);
                    awaitUntil("the restarted engine commits the new input",
                        () -> restarted.hasFailed() || GroupTestKit.committedTotal(servers, GROUP) == 2L * PHASE,
                        90);
                    assertThat(engine.failure()).as("failure of the restarted engine").isNull();
                    assertThat(source[0].rebalances()).as("rebalances the restarted engine went through")
                        .isEqualTo(1);
                }
                finally
                {
                    engine.close();
                }
            }
            final Map<String, List<String>> actual = GroupTestKit.readCommitted(servers, "out", input.size());
            assertThat(actual).as("each key's sliding sums (seed %d)", seed)
                .isEqualTo(GroupTestKit.slidingSums(input, RANGE));
        }
    }

    /**
     * A crash leaves input of both partitions journaled after the last commit; the restart gets only one partition
     * at first (another member holds the other, without processing it). The other partition's uncommitted input
     * must not be replayed into this daemon's windows: when that partition comes back, it is processed from its
     * committed offset, and windows that already held that input would count it twice.
     */
    @Test
    void shouldNotReplayTheUncommittedInputOfPartitionsItDoesNotOwn() throws Exception
    {
        final long seed = TestSeeds.seed("shouldNotReplayTheUncommittedInputOfPartitionsItDoesNotOwn");
        final Random random = new Random(seed);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            broker.createTopic("in", PARTITIONS);
            final String servers = broker.bootstrapServers();
            final PipelineSpec spec = spec(servers, 4_096);
            final List<String[]> input = new ArrayList<>();
            try (KafkaProducer<String, String> producer = GroupTestKit.stringProducer(servers))
            {
                final Engine crashing = KafkaPipeline.start(spec, 30_000);
                try
                {
                    GroupTestKit.produceKeyedIntegers(producer, random, KEYS, VALUE_FORMAT, input, PHASE);
                    awaitCommitted(servers, GROUP, PHASE);
                    // A slow worker lets the source fill the ring (and the journal) with the next input of both
                    // partitions before the worker dies early in it: nothing of it commits.
                    SlowFunction.spin(200);
                    SlowFunction.failIn(200);
                    GroupTestKit.produceKeyedIntegers(producer, random, KEYS, VALUE_FORMAT, input, PHASE);
                    awaitUntil("the engine fails", crashing::hasFailed, 60);
                }
                finally
                {
                    crashing.close();
                    SlowFunction.failIn(Long.MAX_VALUE);
                    SlowFunction.spin(0);
                }
                final long committedAfterCrash = GroupTestKit.committedTotal(servers, GROUP);
                assertThat(committedAfterCrash).as("input committed before the crash").isLessThan(2L * PHASE);

                try (GroupSquatter squatter = new GroupSquatter(servers, GROUP, "in"))
                {
                    awaitUntil("the other member holds both partitions", () -> squatter.owned() == PARTITIONS, 60);
                    final KafkaSourceMetrics[] source = new KafkaSourceMetrics[1];
                    final Engine restarted =
                        KafkaPipeline.start(spec, 30_000, (e, s, sink, journal) -> source[0] = s);
                    try
                    {
                        awaitUntil("the restarted engine owns one partition",
                            () -> restarted.hasFailed() ||
                                source[0].isRestored() && source[0].partitions().size() == 1, 90);
                        assertThat(restarted.failure()).isNull();
                        squatter.close();
                        awaitUntil("the restarted engine owns both partitions",
                            () -> restarted.hasFailed() || source[0].partitions().size() == PARTITIONS, 90);
                        GroupTestKit.produceKeyedIntegers(producer, random, KEYS, VALUE_FORMAT, input, PHASE);
                        awaitUntil("the restarted engine commits every input", () -> restarted.hasFailed() ||
                            GroupTestKit.committedTotal(servers, GROUP) == 3L * PHASE, 90);
                        assertThat(restarted.failure()).isNull();
                    }
                    finally
                    {
                        restarted.close();
                    }
                }
            }
            final Map<String, List<String>> actual = GroupTestKit.readCommitted(servers, "out", input.size());
            assertThat(actual).as("each key's sliding sums (seed %d)", seed)
                .isEqualTo(GroupTestKit.slidingSums(input, RANGE));
        }
    }

    private PipelineSpec spec(final String servers, final int ringCapacity)
    {
        final PipelineSpec spec = PipelineBuilder.named("outside").source("in").groupId(GROUP).jsonInput(null, null)
            .consumerProperty("max.poll.interval.ms", Integer.toString(MAX_POLL_INTERVAL_MS))
            .task(FunctionTaskSpec.of(SlowFunction.class, Map.of(), List.of()))
            .task(new WindowTaskSpec(RANGE, 1, List.of(Aggregation.SUM), ValueKind.LONG, List.of("v"),
                OutputFormat.TEXT))
            .sink("out").ringCapacity(ringCapacity)
            .journal(dir.resolve("journal").toString(), JournalSpec.RollCycle.HOURLY)
            .kafkaProperty("bootstrap.servers", servers).build();
        // No snapshots: the restart replays the whole journal.
        return new PipelineSpec(spec.name(), spec.source(), spec.tasks(), spec.sink(), spec.kafka(), spec.engine(),
            spec.journal().withSnapshots(0, -1), spec.state());
    }
}
