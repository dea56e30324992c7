package dev.ringflow.tools;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.io.kafka.KafkaPipeline;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped seed pipelines, unchanged, against a real (embedded) Kafka broker, checked with an independent
 * oracle.
 */
class SeedPipelinesTest
{
    static final Path EXAMPLES = Path.of(System.getProperty("ringflow.examples.dir", "../examples"));
    private static final String INPUT = "my-topic";
    private static final int RECORDS = 20_000;
    private static final int KEYS = 10;
    private static final String[] MALFORMED = { "oops", "12.5", "", "7 8", "NaN" };

    private EmbeddedKafkaBroker broker;
    private KafkaTestSupport kafka;
    private int journals;

    @TempDir
    Path tmp;

    @BeforeEach
    void startBroker()
    {
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
        broker.createTopic(INPUT, 3);
        kafka = new KafkaTestSupport(broker.bootstrapServers());
    }

    @AfterEach
    void stopBroker()
    {
        broker.close();
    }

    @Test
    void shouldEmitEveryKeysSlidingSumLikeTheOracleAndCommitEverythingOnStop() throws Exception
    {
        final long seed = TestSeeds.seed("shouldEmitEveryKeysSlidingSumLikeTheOracleAndCommitEverythingOnStop");
        kafka.produce(INPUT, input(new Random(seed)));
        final PipelineSpec spec = loadFor("seed-sliding-sum.yaml");

        final Engine engine = KafkaPipeline.start(spec, 15_000);
        final List<KafkaTestSupport.Read> outputs = kafka.readUntil(
            spec.sink().topic(), read -> read.size() >= RECORDS, 60_000);
        final List<KafkaTestSupport.Read> deadLetters = kafka.readUntil(
            spec.sink().deadLetterTopic(), read -> read.size() >= MALFORMED.length, 30_000);
        engine.close();

        final List<KafkaTestSupport.Read> inputs = kafka.readAll(INPUT);
        assertThat(KafkaTestSupport.valuesByKey(outputs)).isEqualTo(KafkaTestSupport.slidingSums(inputs, 5));
        assertThat(deadLetters).extracting(KafkaTestSupport.Read::value).containsExactlyInAnyOrder(MALFORMED);
        assertThat(kafka.readAll(spec.sink().topic())).hasSize(RECORDS);
        assertThat(kafka.committedOffsets(spec.source().groupId(), INPUT)).isEqualTo(kafka.endOffsets(INPUT));
        assertThat(engine.failure()).isNull();
    }

    @Test
    void shouldPrefixEveryMessageInTheTransformPipeline()
    {
        final long seed = TestSeeds.seed("shouldPrefixEveryMessageInTheTransformPipeline");
        final List<String[]> produced = input(new Random(seed));
        kafka.produce(INPUT, produced);
        final PipelineSpec spec = loadFor("seed-transform.yaml");

        final Engine engine = KafkaPipeline.start(spec, 15_000);
        final List<KafkaTestSupport.Read> outputs = kafka.readUntil(
            spec.sink().topic(), read -> read.size() >= produced.size(), 60_000);
        engine.close();

        final Map<String, List<String>> expected = KafkaTestSupport.valuesByKey(kafka.readAll(INPUT));
        expected.replaceAll((key, values) -> values.stream().map(v -> "Processed: " + v).toList());
        assertThat(KafkaTestSupport.valuesByKey(outputs)).isEqualTo(expected);
        assertThat(kafka.committedOffsets(spec.source().groupId(), INPUT)).isEqualTo(kafka.endOffsets(INPUT));
    }

    @Test
    void shouldLoseNothingConsumedWhenStoppedWhileInputKeepsArriving() throws Exception
    {
        final long seed = TestSeeds.seed("shouldLoseNothingConsumedWhenStoppedWhileInputKeepsArriving");
        final PipelineSpec spec = loadFor("seed-sliding-sum.yaml");
        final AtomicBoolean producing = new AtomicBoolean(true);
        final AtomicLong produced = new AtomicLong();
        final Thread producer = new Thread(() ->
        {
            final Random random = new Random(seed);
            try (KafkaProducer<String, String> p = kafka.producer())
            {
                while (producing.get() && produced.get() < 2_000_000)
                {
                    p.send(new ProducerRecord<>(INPUT, "key-" + random.nextInt(KEYS),
                        Integer.toString(random.nextInt(1000))));
                    produced.incrementAndGet();
                }
            }
        }, "test-producer");
        producer.start();

        final Engine engine = KafkaPipeline.start(spec, 15_000);
        KafkaTestSupport.awaitUntil("some input processed", () -> engine.counters().eventsOut() > 5_000, 60_000);
        engine.close();
        producing.set(false);
        producer.join();

        final Map<Integer, Long> committed = kafka.committedOffsets(spec.source().groupId(), INPUT);
        final List<KafkaTestSupport.Read> consumed = kafka.readAll(INPUT).stream()
            .filter(r -> r.offset() < committed.getOrDefault(r.partition(), 0L)).toList();
        final List<KafkaTestSupport.Read> outputs = kafka.readAll(spec.sink().topic());
        assertThat(consumed.size()).isEqualTo(engine.counters().eventsIn());
        assertThat(consumed.size()).isLessThan((int)produced.get());
        assertThat(KafkaTestSupport.valuesByKey(outputs)).isEqualTo(KafkaTestSupport.slidingSums(consumed, 5));
    }

    @Test
    void shouldSharePartitionsBetweenTwoDaemonsOfOneGroupWithoutLossOrDuplicates() throws Exception
    {
        final long seed = TestSeeds.seed("shouldSharePartitionsBetweenTwoDaemonsOfOneGroupWithoutLossOrDuplicates");
        final PipelineSpec spec = loadFor("seed-transform.yaml");
        final AtomicBoolean producing = new AtomicBoolean(true);
        final Thread producer = new Thread(() ->
        {
            final Random random = new Random(seed);
            try (KafkaProducer<String, String> p = kafka.producer())
            {
                for (int i = 0; producing.get(); i++)
                {
                    p.send(new ProducerRecord<>(INPUT, "key-" + random.nextInt(KEYS), Integer.toString(i)));
                    if (i % 100 == 0)
                    {
                        p.flush();
                    }
                }
            }
        }, "test-producer");
        producer.start();

        final Engine first = KafkaPipeline.start(spec, 15_000);
        KafkaTestSupport.awaitUntil("first daemon busy", () -> first.counters().eventsOut() > 2_000, 60_000);
        final Engine second = KafkaPipeline.start(loadFor("seed-transform.yaml"), 15_000);
        final long secondStart = second.counters().eventsIn();
        KafkaTestSupport.awaitUntil("second daemon took partitions",
            () -> second.counters().eventsIn() > secondStart + 2_000, 60_000);
        producing.set(false);
        producer.join();
        final List<KafkaTestSupport.Read> inputs = kafka.readAll(INPUT);
        final List<KafkaTestSupport.Read> outputs = kafka.readUntil(
            spec.sink().topic(), read -> read.size() >= inputs.size(), 60_000);
        first.close();
        second.close();

        final Map<String, List<String>> expected = KafkaTestSupport.valuesByKey(inputs);
        expected.replaceAll((key, values) -> values.stream().map(v -> "Processed: " + v).toList());
        assertThat(KafkaTestSupport.valuesByKey(kafka.readAll(spec.sink().topic()))).isEqualTo(expected);
        assertThat(first.counters().eventsIn() + second.counters().eventsIn()).isEqualTo(inputs.size());
        assertThat(kafka.committedOffsets(spec.source().groupId(), INPUT)).isEqualTo(kafka.endOffsets(INPUT));
    }

    /**
     * A daemon that loses a partition to another daemon of its group and later gets it back must not commit the
     * offset it had reached before (which the other daemon has since moved past) when it commits for its other
     * partitions: that would rewind the group, and the partition's next owner would emit those outputs again.
     */
    @Test
    void shouldNotRewindAPartitionThatComesBackBeforeItsNextInput() throws Exception
    {
        final PipelineSpec spec = loadFor("seed-transform.yaml");
        final String group = spec.source().groupId();
        for (int partition = 0; partition < 3; partition++)
        {
            kafka.produceTo(INPUT, partition, 200, "a");
        }
        final Engine first = KafkaPipeline.start(spec, 15_000);
        KafkaTestSupport.awaitUntil("first daemon committed its input",
            () -> kafka.committedOffsets(group, INPUT).equals(kafka.endOffsets(INPUT)), 60_000);
        KafkaTestSupport.awaitUntil("first daemon is the group's member",
            () -> kafka.assignments(group, INPUT).size() == 1, 60_000);
        final String firstMember = kafka.assignments(group, INPUT).keySet().iterator().next();

        final Engine second = KafkaPipeline.start(loadFor("seed-transform.yaml"), 15_000);
        KafkaTestSupport.awaitUntil("both daemons own partitions",
            () -> kafka.assignments(group, INPUT).size() == 2, 60_000);
        final Map<String, java.util.Set<Integer>> shared = kafka.assignments(group, INPUT);
        final java.util.Set<Integer> taken = shared.entrySet().stream().filter(e -> !e.getKey().equals(firstMember))
            .findFirst().orElseThrow().getValue();
        final int kept = shared.get(firstMember).iterator().next();
        for (int partition = 0; partition < 3; partition++)
        {
            kafka.produceTo(INPUT, partition, 200, "b");
        }
        KafkaTestSupport.awaitUntil("both daemons committed their input",
            () -> kafka.committedOffsets(group, INPUT).equals(kafka.endOffsets(INPUT)), 60_000);
        second.close();
        KafkaTestSupport.awaitUntil("first daemon owns every partition again",
            () -> kafka.assignments(group, INPUT).getOrDefault(firstMember, java.util.Set.of()).size() == 3, 60_000);

        final Map<Integer, Long> beforeNewInput = kafka.endOffsets(INPUT);
        kafka.produceTo(INPUT, kept, 50, "c");
        final long keptEnd = kafka.endOffsets(INPUT).get(kept);
        KafkaTestSupport.awaitUntil("first daemon committed its new input",
            () -> kafka.committedOffsets(group, INPUT).getOrDefault(kept, -1L) == keptEnd, 60_000);
        final Map<Integer, Long> committed = kafka.committedOffsets(group, INPUT);
        first.close();

        for (final int partition : taken)
        {
            assertThat(committed.get(partition)).as("committed offset of partition %d, which came back", partition)
                .isEqualTo(beforeNewInput.get(partition));
        }
        final List<KafkaTestSupport.Read> inputs = kafka.readAll(INPUT);
        final Map<String, List<String>> expected = KafkaTestSupport.valuesByKey(inputs);
        expected.replaceAll((key, values) -> values.stream().map(v -> "Processed: " + v).toList());
        assertThat(KafkaTestSupport.valuesByKey(kafka.readAll(spec.sink().topic()))).isEqualTo(expected);
    }

    static PipelineSpec load(final String example)
    {
        return PipelineFile.load(EXAMPLES.resolve(example));
    }

    private PipelineSpec loadFor(final String example)
    {
        // Each daemon its own journal, as two daemons of one group on two machines would have.
        return load(example).withBootstrapServers(broker.bootstrapServers())
            .withJournalDir(tmp.resolve("journal-" + journals++).toString());
    }

    private static List<String[]> input(final Random random)
    {
        final List<String[]> input = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++)
        {
            input.add(new String[] { "key-" + random.nextInt(KEYS), Integer.toString(random.nextInt(2001) - 1000) });
        }
        for (final String bad : MALFORMED)
        {
            input.add(random.nextInt(input.size()), new String[] { "key-" + random.nextInt(KEYS), bad });
        }
        return input;
    }
}
