package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real daemon, as a child JVM on the sliding-sum pipeline, killed again and again while a 200,000-record
 * stream arrives: after the last restart the output topic, read as committed, must equal the oracle exactly (no
 * gap, no duplicate), and a replay of the journal must reproduce it.
 */
class CrashRecoveryTest extends DaemonTest
{
    private static final String INPUT = "my-topic";
    private static final String OUTPUT = "aggregated-topic";
    private static final String DEAD_LETTERS = "seed-sliding-sum-dead-letters";
    private static final Path SEED_PIPELINE = SeedPipelinesTest.EXAMPLES.resolve("seed-sliding-sum.yaml");
    /** The seed pipeline with frequent snapshots, so that restarts load one and replay only the journal after it. */
    private Path pipeline;
    private static final int RECORDS = 200_000;
    private static final int KEYS = 100;
    private static final int KILLS = 5;
    private static final Pattern JSON_LINE =
        Pattern.compile("\\{\"topic\":\"([^\"]*)\",\"key\":\"([^\"]*)\",\"value\":\"([^\"]*)\",.*");

    private int runs;
    private int workers = 1;
    private boolean atLeastOnce;

    @Test
    void shouldEmitEveryOutputExactlyOnceAcrossSigkills() throws Exception
    {
        runWithCrashes(true, 1);
    }

    /** Graceful stops, with keys sharded over two workers that line up at every transaction commit. */
    @Test
    void shouldEmitEveryOutputExactlyOnceAcrossSigtermsWithTwoWorkers() throws Exception
    {
        runWithCrashes(false, 2);
    }

    /**
     * Without transactions outputs may repeat, but never with wrong window state: every key's output is its
     * expected sequence, in order, with stretches emitted again after each crash.
     */
    @Test
    void shouldEmitEveryOutputAtLeastOnceInOrderAcrossSigkillsWithoutTransactions() throws Exception
    {
        atLeastOnce = true;
        runWithCrashes(true, 1);
    }

    private void runWithCrashes(final boolean kill, final int workers) throws Exception
    {
        this.workers = workers;
        final long seed = TestSeeds.seed("CrashRecoveryTest " + (kill ? "SIGKILL" : "SIGTERM") + " workers=" +
            workers + (atLeastOnce ? " at-least-once" : " exactly-once"));
        final Random schedule = new Random(seed);
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
        broker.createTopic(INPUT, 3);
        final KafkaTestSupport kafka = new KafkaTestSupport(broker.bootstrapServers());
        final Path journal = dir.resolve("journal");
        pipeline = dir.resolve("pipeline.yaml");
        String text = Files.readString(SEED_PIPELINE, StandardCharsets.UTF_8) +
            "\njournal:\n  snapshot-interval-ms: 500\n";
        if (atLeastOnce)
        {
            text = text.replace("  dead-letter-topic: seed-sliding-sum-dead-letters",
                "  dead-letter-topic: seed-sliding-sum-dead-letters\n  delivery: at-least-once");
            assertThat(text).contains("delivery: at-least-once");
        }
        Files.writeString(pipeline, text, StandardCharsets.UTF_8);

        final AtomicLong produced = new AtomicLong();
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        final Thread producer = new Thread(() -> produce(kafka, new Random(seed), produced, producerFailure),
            "test-producer");
        producer.start();

        // The kill schedule: random points of the stream, so daemons die anywhere from start-up and recovery to
        // steady processing.
        final long[] killAt = new long[KILLS];
        for (int i = 0; i < KILLS; i++)
        {
            killAt[i] = RECORDS / 50 + schedule.nextInt(RECORDS * 9 / 10);
        }
        java.util.Arrays.sort(killAt);
        for (int i = 0; i < KILLS; i++)
        {
            daemon = start(journal);
            final long at = killAt[i];
            KafkaTestSupport.awaitUntil("the stream reaches record " + at, () -> produced.get() >= at, 120_000);
            if (i == KILLS / 2)
            {
                // On a slow machine the stream can outrun the daemons, which then die in start-up every time; one
                // run at least lives until it has written a snapshot, so the next restarts can start from one.
                try
                {
                    KafkaTestSupport.awaitUntil("run " + runs + " writes a snapshot",
                        () -> currentRunLog().contains("snapshot of worker"), 60_000);
                }
                catch (final AssertionError ex)
                {
                    throw new AssertionError(ex.getMessage() + "; its log:\n" + head(currentRunLog()) + "\n...\n" +
                        tail(log()), ex);
                }
            }
            assertThat(daemon.isAlive()).as("daemon died early: " + tail(log())).isTrue();
            if (!kill)
            {
                // A SIGTERM before the JVM has its handlers is a kill; graceful stops are tested from there on.
                KafkaTestSupport.awaitUntil("run " + runs + " handles signals",
                    () -> currentRunLog().contains("starting pipeline"), 60_000);
            }
            if (kill)
            {
                daemon.destroyForcibly();
            }
            else
            {
                daemon.destroy();
            }
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
            if (!kill)
            {
                assertThat(daemon.exitValue()).as(tail(log())).isZero();
            }
            System.out.println("run " + runs + " stopped at record " + produced.get());
        }
        producer.join();
        assertThat(producerFailure.get()).isNull();
        assertThat(produced.get()).isEqualTo(RECORDS + malformedCount());

        daemon = start(journal);
        final List<KafkaTestSupport.Read> inputs = kafka.readAll(INPUT);
        final Map<String, List<String>> expected = KafkaTestSupport.slidingSums(inputs, 5);
        if (atLeastOnce)
        {
            final AtomicReference<String> problem = new AtomicReference<>();
            try
            {
                // Done when every key's output has reached its last expected value (checked in full below).
                kafka.readUntil(OUTPUT, read ->
                {
                    problem.set(AtLeastOnceOrder.unfinishedKey(expected, KafkaTestSupport.valuesByKey(read)));
                    return null == problem.get();
                }, 120_000);
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError(ex.getMessage() + "; last problem: " + problem.get() + "\n" + tail(log()), ex);
            }
        }
        else
        {
            kafka.readUntil(OUTPUT, read -> read.size() >= RECORDS, 120_000);
        }
        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).as(tail(log())).isZero();
        if (atLeastOnce)
        {
            final List<KafkaTestSupport.Read> outputs = kafka.readAll(OUTPUT);
            assertThat(AtLeastOnceOrder.firstProblem(expected, KafkaTestSupport.valuesByKey(outputs))).isNull();
            assertThat(outputs.size()).isGreaterThanOrEqualTo(RECORDS);
            System.out.println("at-least-once: " + outputs.size() + " outputs for " + RECORDS + " inputs");
            assertThat(log()).as("some restart started from a snapshot").contains("from the snapshot at index");
            return;
        }

        final List<KafkaTestSupport.Read> outputs = kafka.readAll(OUTPUT);
        assertThat(outputs).hasSize(RECORDS);
        assertThat(KafkaTestSupport.valuesByKey(outputs)).isEqualTo(expected);
        assertThat(kafka.readAll(DEAD_LETTERS)).hasSize(malformedCount());

        final Path replayed = dir.resolve("replay.jsonl");
        assertThat(RingflowCommand.execute("replay", "--journal", journal.toString(), "--pipeline",
            pipeline.toString(), "--out", replayed.toString(), "--no-progress")).isZero();
        final Map<String, List<String>> replayedByKey = new LinkedHashMap<>();
        int replayedDeadLetters = 0;
        for (final String line : Files.readAllLines(replayed, StandardCharsets.UTF_8))
        {
            final Matcher m = JSON_LINE.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            if (m.group(1).equals(OUTPUT))
            {
                replayedByKey.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(m.group(3));
            }
            else
            {
                replayedDeadLetters++;
            }
        }
        assertThat(replayedByKey).isEqualTo(KafkaTestSupport.valuesByKey(outputs));
        assertThat(replayedDeadLetters).isEqualTo(malformedCount());
        log().lines().filter(line -> line.contains("recovered from journal")).forEach(System.out::println);
        assertThat(log()).as("some restart started from a snapshot").contains("from the snapshot at index");
    }

    /** 200,000 integers over 100 keys plus a malformed value every 40,000, at about 10,000 records/s. */
    private static void produce(final KafkaTestSupport kafka, final Random random, final AtomicLong produced,
        final AtomicReference<Throwable> failure)
    {
        try (KafkaProducer<String, String> producer = kafka.producer())
        {
            for (int i = 1; i <= RECORDS; i++)
            {
                final String key = "key-" + random.nextInt(KEYS);
                producer.send(new ProducerRecord<>(INPUT, key, Integer.toString(random.nextInt(2001) - 1000)));
                if (i % 40_000 == 0)
                {
                    producer.send(new ProducerRecord<>(INPUT, key, "not-a-number-" + i));
                }
                produced.set(i + i / 40_000);
                if (i % 1_000 == 0)
                {
                    producer.flush();
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
        }
    }

    private static int malformedCount()
    {
        return RECORDS / 40_000;
    }

    private Process start(final Path journal) throws IOException
    {
        runs++;
        // Every daemon appends to one log; a run's part starts at its marker (a daemon killed early logs nothing).
        Files.writeString(dir.resolve("daemon.log"), runMarker(runs) + System.lineSeparator(), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        final List<String> command = DaemonProcessTest.ringflowCommand(List.of("run", "--pipeline",
            pipeline.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--journal-dir",
            journal.toString(), "--status-interval", "1", "--workers", Integer.toString(workers)));
        return new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile()))
            .start();
    }

    private static String head(final String text)
    {
        return text.substring(0, Math.min(text.length(), 6_000));
    }

    private static String tail(final String text)
    {
        return text.substring(Math.max(0, text.length() - 4_000));
    }

    private static String runMarker(final int run)
    {
        return "=== CrashRecoveryTest: daemon run " + run + " ===";
    }

    /** The log of the daemon started last. */
    private String currentRunLog()
    {
        final String log = log();
        final int start = log.lastIndexOf(runMarker(runs));
        return start < 0 ? "" : log.substring(start);
    }

    private String log()
    {
        try
        {
            final String text = Files.readString(dir.resolve("daemon.log"), StandardCharsets.UTF_8);
            return text;
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}
