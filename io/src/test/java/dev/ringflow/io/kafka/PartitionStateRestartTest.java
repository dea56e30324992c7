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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.ringflow.io.kafka.GroupTestKit.awaitCommitted;
import static dev.ringflow.io.kafka.GroupTestKit.awaitUntil;
import static dev.ringflow.io.kafka.PartitionStateTestSupport.RANGE;
import static dev.ringflow.io.kafka.PartitionStateTestSupport.assertOutputsEqualTheOracle;
import static dev.ringflow.io.kafka.PartitionStateTestSupport.produce;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart of the same daemon with partition-scoped state takes its partitions over from its journal's copies of
 * the state it published ({@link LocalStateCopies}), without reading the state topic; a copy that is damaged or
 * missing is read from the topic instead. The sliding sums read committed must equal the naive oracle's over all
 * three runs either way.
 */
class PartitionStateRestartTest
{
    private static final int PARTITIONS = 6;
    private static final int PHASE = 3_000;

    @TempDir
    Path dir;

    @Test
    void shouldRestartFromTheJournalsCopiesAndReadTheTopicOnlyForDamagedOnes() throws Exception
    {
        final long seed = TestSeeds.seed("shouldRestartFromTheJournalsCopiesAndReadTheTopicOnlyForDamagedOnes");
        final Random random = new Random(seed);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            broker.createTopic("in", PARTITIONS);
            final String servers = broker.bootstrapServers();
            final List<String[]> input = new ArrayList<>();
            final Path copies = dir.resolve("journal").resolve(LocalStateCopies.FOLDER);
            try (KafkaProducer<String, String> producer = GroupTestKit.stringProducer(servers))
            {
                final KafkaSourceMetrics[] source = new KafkaSourceMetrics[1];
                Engine engine = KafkaPipeline.start(spec(servers), 30_000, (e, s, sink, journal) -> source[0] = s);
                produce(producer, random, input, PHASE);
                awaitCommitted(servers, "restart", PHASE);
                engine.close();
                assertThat(source[0].stateTakeOversFromJournal()).as("first start: nothing published yet").isZero();
                assertThat(copiesIn(copies)).as("a copy of each partition's state published at the stop")
                    .hasSize(PARTITIONS);

                // The same daemon again: every partition from its own copy, not one byte from the topic.
                engine = KafkaPipeline.start(spec(servers), 30_000, (e, s, sink, journal) -> source[0] = s);
                awaitUntil("every partition is taken over", () -> source[0].stateTakeOvers() == PARTITIONS, 90);
                produce(producer, random, input, PHASE);
                awaitCommitted(servers, "restart", 2L * PHASE);
                engine.close();
                assertThat(source[0].stateTakeOversFromJournal()).isEqualTo(PARTITIONS);
                assertThat(source[0].stateBytesFromJournal()).isPositive();
                assertThat(source[0].stateBytesTakenOver()).as("bytes read from the state topic").isZero();

                // One copy damaged in its middle, one cut short, the rest deleted: every partition reads the topic.
                final List<Path> files = copiesIn(copies);
                flipAByteInTheMiddle(files.get(0));
                try (FileChannel channel = FileChannel.open(files.get(1), StandardOpenOption.WRITE))
                {
                    channel.truncate(channel.size() / 2);
                }
                for (final Path file : files.subList(2, files.size()))
                {
                    Files.delete(file);
                }
                try (Stream<Path> previous = Files.list(copies))
                {
                    for (final Path file : previous.filter(f -> f.toString().endsWith(".previous")).toList())
                    {
                        Files.delete(file);
                    }
                }
                engine = KafkaPipeline.start(spec(servers), 30_000, (e, s, sink, journal) -> source[0] = s);
                awaitUntil("every partition is taken over", () -> source[0].stateTakeOvers() == PARTITIONS, 90);
                produce(producer, random, input, PHASE);
                awaitCommitted(servers, "restart", 3L * PHASE);
                engine.close();
                assertThat(source[0].stateTakeOversFromJournal()).as("copies that were damaged or gone").isZero();
                assertThat(source[0].stateBytesTakenOver()).as("bytes read from the state topic").isPositive();
            }
            assertOutputsEqualTheOracle(servers, input, seed);
        }
    }

    private static List<Path> copiesIn(final Path copies) throws IOException
    {
        try (Stream<Path> files = Files.list(copies))
        {
            return files.filter(f -> f.toString().endsWith(".state")).sorted().toList();
        }
    }

    private static void flipAByteInTheMiddle(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
    }

    private PipelineSpec spec(final String servers)
    {
        return PipelineBuilder.named("restart").source("in").groupId("restart")
            .window(RANGE, 1, Aggregation.SUM, ValueKind.LONG).format("{value}").sink("out")
            .journal(dir.resolve("journal").toString(), JournalSpec.RollCycle.HOURLY)
            .state(new StateSpec(StateSpec.Scope.PARTITION, null, 300))
            .kafkaProperty("bootstrap.servers", servers).build();
    }
}
