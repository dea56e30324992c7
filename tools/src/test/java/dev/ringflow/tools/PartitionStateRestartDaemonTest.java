package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static dev.ringflow.tools.ScaleOutDaemonTest.GROUP;
import static dev.ringflow.tools.ScaleOutDaemonTest.INPUT;
import static dev.ringflow.tools.ScaleOutDaemonTest.KEYS;
import static dev.ringflow.tools.ScaleOutDaemonTest.OUTPUT;
import static dev.ringflow.tools.ScaleOutDaemonTest.PARTITIONS;
import static dev.ringflow.tools.ScaleOutDaemonTest.RANGE;
import static dev.ringflow.tools.ScaleOutDaemonTest.SEED_PIPELINE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real daemon (a child JVM) on the seed sliding-sum pipeline with partition-scoped state, SIGKILLed twice while
 * a keyed stream arrives and restarted each time with its own journal: every restart takes all 6 partitions over
 * from the journal's copies of the state it last committed, reads none from the state topic, processes the input
 * after that state again silently, and goes on. The output, read committed, must equal the naive per-key sliding
 * sums of the input: every value, nothing lost, nothing twice.
 */
class PartitionStateRestartDaemonTest extends DaemonTest
{
    private static final int KILLS = 2;
    private static final long DEADLINE_MS = 90_000;
    private static final String FROM_COPY = "from the journal's copy of";

    @Test
    void shouldTakeEveryPartitionOverFromTheJournalAfterASigkillAndStayExact() throws Exception
    {
        final long seed = TestSeeds.seed("PartitionStateRestartDaemonTest");
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
        broker.createTopic(INPUT, PARTITIONS);
        final KafkaTestSupport kafka = new KafkaTestSupport(broker.bootstrapServers());
        final Path pipeline = dir.resolve("pipeline.yaml");
        Files.writeString(pipeline, Files.readString(SEED_PIPELINE, StandardCharsets.UTF_8) +
            "\nstate:\n  scope: partition\n  publish-interval-ms: 500\n", StandardCharsets.UTF_8);

        final Random random = new Random(seed);
        final AtomicBoolean producing = new AtomicBoolean(true);
        final AtomicLong produced = new AtomicLong();
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        final Thread producer = new Thread(() -> kafka.produceSteadily(i -> new ProducerRecord<>(INPUT,
            "key-" + random.nextInt(KEYS), Integer.toString(random.nextInt(2001) - 1000)), producing, produced,
            producerFailure), "test-producer");
        producer.start();
        try
        {
            start(pipeline, 0);
            for (int run = 1; run <= KILLS; run++)
            {
                final int current = run - 1;
                // Published and committed state of every partition, and more input after it: the kill lands
                // between two publishes, with input the restart must process again silently.
                await("run " + current + " commits state of every partition",
                    () -> DaemonLogs.totalIn(log(current)) > 3_000 && everyPartitionCarriesState(kafka));
                final long before = produced.get();
                await("more input", () -> produced.get() > before + 500);
                daemon.destroyForcibly();
                assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
                start(pipeline, run);
                final int restarted = run;
                await("run " + run + " takes every partition over",
                    () -> log(restarted).lines().filter(l -> l.contains("took over")).count() >= PARTITIONS);
                final String log = log(run);
                assertThat(log.lines().filter(l -> l.contains(FROM_COPY)).count())
                    .as("partitions taken over from the journal's copies in run %d:%n%s", run, log)
                    .isEqualTo(PARTITIONS);
                assertThat(log).as("run %d reads no state from the topic", run)
                    .doesNotContain("reading the state topic instead").doesNotContain("did not hold it");
                System.out.println("run " + run + ": " + log.lines().filter(l -> l.contains("again for their " +
                    "state")).count() + " partitions process input after their state again, silently");
            }
            final long afterLast = produced.get();
            await("more input after the last restart", () -> produced.get() > afterLast + 2_000);
            producing.set(false);
            producer.join();
            assertThat(producerFailure.get()).isNull();
            final Map<Integer, Long> end = kafka.endOffsets(INPUT);
            await("every input committed", () -> kafka.committedOffsets(GROUP, INPUT).equals(end));
            daemon.destroy();
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isZero();

            final List<KafkaTestSupport.Read> inputs = kafka.readAll(INPUT);
            final List<KafkaTestSupport.Read> outputs = kafka.readAll(OUTPUT);
            System.out.println(inputs.size() + " inputs, " + outputs.size() + " outputs (seed " + seed + ")");
            assertThat(KafkaTestSupport.valuesByKey(outputs)).as("sums by key (seed %d)", seed)
                .isEqualTo(KafkaTestSupport.slidingSums(inputs, RANGE));
            assertThat(outputs).hasSize(inputs.size());
        }
        finally
        {
            producing.set(false);
            producer.join();
        }
    }

    /** Every input partition's committed metadata points to published state. */
    private static boolean everyPartitionCarriesState(final KafkaTestSupport kafka)
    {
        final Map<Integer, String> metadata = kafka.committedMetadata(GROUP, INPUT);
        return metadata.size() == PARTITIONS && metadata.values().stream()
            .allMatch(m -> null != m && m.matches(".*ringflow-state=\\d+@\\d+:\\d+:\\d+:.*"));
    }

    private void start(final Path pipeline, final int run) throws IOException
    {
        final List<String> command = DaemonProcessTest.ringflowCommand(List.of("run", "--pipeline",
            pipeline.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--journal-dir",
            dir.resolve("journal").toString(), "--status-interval", "1", "--metrics-bind", "off",
            "--admin-bind", "off"));
        daemon = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("daemon-" + run + ".log").toFile())
            .start();
    }

    private String log(final int run)
    {
        return readLog(dir.resolve("daemon-" + run + ".log"));
    }

    private static void await(final String what, final BooleanSupplier condition)
    {
        KafkaTestSupport.awaitUntil(what, condition, DEADLINE_MS);
    }
}
