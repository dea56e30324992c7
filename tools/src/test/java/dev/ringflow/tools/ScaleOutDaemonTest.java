package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real daemons (child JVMs) of one consumer group running the seed sliding-sum pipeline with partition-scoped state
 * ({@code state: {scope: partition}}) over 6 partitions while a keyed stream arrives: daemon A alone, then B and C
 * join (1 to 3 daemons), B is SIGKILLed (its partitions move once its session expires, with the state it last
 * committed; the input after it is processed again silently), D joins, and C leaves with SIGTERM (3 to 2). The
 * output topic, read committed, must equal the naive per-key sliding sums of the input topic: every value, nothing
 * lost, nothing twice. With {@code state.scope: key} the same run gives wrong sums right after each move, since a
 * partition then resumes with its new owner's empty windows.
 */
class ScaleOutDaemonTest
{
    // The seed pipeline with partition state over 6 partitions and 60 keys: PartitionStateRestartDaemonTest's too.
    static final String INPUT = "my-topic";
    static final String OUTPUT = "aggregated-topic";
    static final String GROUP = "ringflow-seed-sliding-sum";
    static final Path SEED_PIPELINE = SeedPipelinesTest.EXAMPLES.resolve("seed-sliding-sum.yaml");
    static final int PARTITIONS = 6;
    static final int KEYS = 60;
    static final int RANGE = 5;
    private static final String WINDOW_GROUP = "ringflow-scale-out-windows";
    private static final String WINDOW_OUTPUT = "windowed-topic";
    private static final long WINDOW_MS = 1_000;
    private static final Pattern WINDOW_JSON = Pattern.compile(
        "\\{\"key\":\"([^\"]+)\",\"start\":(\\d+),\"end\":\\d+,\"count\":(\\d+),\"sum\":(-?\\d+)}");
    /**
     * Event time of the first record, each next record 1 ms later: now, since the broker deletes records older than
     * its retention (7 days) by their timestamps, which took most of the input away from the oracle in a first
     * version of this test that started in 2023.
     */
    private static final long FIRST_TIME_MS = System.currentTimeMillis() / 1_000 * 1_000;
    /** The broker's smallest allowed session timeout ({@code group.min.session.timeout.ms}). */
    private static final int SESSION_TIMEOUT_MS = 6_000;
    private static final long DEADLINE_MS = 90_000;
    /**
     * The daemons' transaction timeout: 30 s rather than Ringflow's 10. Commits are put off while a member rejoins
     * the group, so a transaction stays open as long as a rebalance lasts, and the broker aborts it when the
     * rebalance outlasts the timeout. With four daemons, the broker and this JVM on two cores, a rebalance once took
     * about 13 s: A and C met "InvalidProducerEpochException: Producer attempted to produce with an old epoch" and
     * stopped with exit code 1. They now start their pipelines again from their journals instead (docs/recovery.md;
     * ZombieDaemonTest tests that), but this test is about partitions moving between daemons that stay up. The
     * price: B, SIGKILLed with a transaction open, holds its partitions' committed state unreadable to their next
     * owner for up to 30 s.
     */
    private static final int TRANSACTION_TIMEOUT_MS = 30_000;

    @TempDir
    Path dir;

    private EmbeddedKafkaBroker broker;
    private final Map<String, Process> daemons = new LinkedHashMap<>();

    @AfterEach
    void cleanUp()
    {
        daemons.values().forEach(Process::destroyForcibly);
        if (null != broker)
        {
            broker.close();
        }
    }

    @Test
    void shouldKeepEverySlidingSumExactWhileDaemonsJoinDieAndLeave() throws Exception
    {
        final String seedText = Files.readString(SEED_PIPELINE, StandardCharsets.UTF_8);
        final String text = seedText.replace("source:\n", "source:\n  consumer:\n    session.timeout.ms: " +
            SESSION_TIMEOUT_MS + "\n    heartbeat.interval.ms: 1000\n") +
            "\nstate:\n  scope: partition\n  publish-interval-ms: 1000\n";
        assertThat(text).as("the pipeline sets the session timeout")
            .contains("session.timeout.ms: " + SESSION_TIMEOUT_MS);

        final Run run = runWithDaemonsJoiningDyingAndLeaving(withTransactionTimeout(text), "ScaleOutDaemonTest",
            GROUP, OUTPUT);

        final Map<String, List<String>> expected = KafkaTestSupport.slidingSums(run.inputs(), RANGE);
        final Map<String, List<String>> actual = KafkaTestSupport.valuesByKey(run.outputs());
        run.check(() ->
        {
            assertThat(wrongKeys(expected, actual)).as("keys whose sums differ from the oracle").isEmpty();
            assertThat(run.outputs()).hasSize(run.inputs().size());
        });
    }

    /**
     * Tumbling event-time windows of 1 s (count and sum per key) over record timestamps that rise 1 ms per record:
     * each partition's watermark is its own, so a window fires once a later record of its partition arrives, on
     * whichever daemon owns the partition then. Every window that closed must be there once with the oracle's
     * count and sum; none may be there twice.
     */
    @Test
    void shouldKeepEveryTimeWindowExactWhileDaemonsJoinDieAndLeave() throws Exception
    {
        final String text = """
            name: scale-out-windows
            source:
              topics: [%s]
              group-id: %s
              consumer:
                session.timeout.ms: %d
                heartbeat.interval.ms: 1000
            tasks:
              - type: time-window
                size-ms: %d
                aggregations: [count, sum]
                value-type: long
            sink:
              topic: %s
            state:
              scope: partition
              publish-interval-ms: 1000
            """.formatted(INPUT, WINDOW_GROUP, SESSION_TIMEOUT_MS, WINDOW_MS, WINDOW_OUTPUT);

        final Run run = runWithDaemonsJoiningDyingAndLeaving(withTransactionTimeout(text),
            "ScaleOutDaemonTest windows", WINDOW_GROUP, WINDOW_OUTPUT);

        run.check(() ->
        {
            final Map<String, String> windows = new java.util.TreeMap<>();
            final List<String> twice = new ArrayList<>();
            for (final KafkaTestSupport.Read output : run.outputs())
            {
                final Matcher m = WINDOW_JSON.matcher(output.value());
                assertThat(m.matches()).as("window output %s", output.value()).isTrue();
                final String before = windows.put(m.group(1) + "@" + m.group(2), m.group(3) + "/" + m.group(4));
                if (null != before)
                {
                    twice.add(output.value() + " at " + output.topic() + "-" + output.partition() + "@" +
                        output.offset() + " (first: " + before + ")");
                }
            }
            assertThat(twice).as("windows emitted twice").isEmpty();
            final Map<String, String> expected = closedWindows(run.inputs());
            final List<String> wrong = new ArrayList<>();
            expected.forEach((window, value) ->
            {
                if (!value.equals(windows.get(window)))
                {
                    wrong.add(window + ": expected count/sum " + value + ", read " + windows.get(window));
                }
            });
            assertThat(wrong).as("closed windows that are missing or wrong (of %d)", expected.size()).isEmpty();
            System.out.println(expected.size() + " closed windows checked, " + windows.size() + " emitted");
            assertThat(expected.size()).isGreaterThan(1_000);
        });
    }

    /**
     * The count and sum of each key's windows that surely closed, by "key@start": those whose end is at least a
     * window before the last timestamp of the key's partition (whose watermark then passed it).
     */
    private static Map<String, String> closedWindows(final List<KafkaTestSupport.Read> inputs)
    {
        final Map<Integer, Long> lastTime = new java.util.HashMap<>();
        final Map<String, long[]> windows = new java.util.TreeMap<>();
        final Map<String, Integer> partitionOf = new java.util.HashMap<>();
        for (final KafkaTestSupport.Read input : inputs)
        {
            lastTime.merge(input.partition(), input.timestamp(), Math::max);
            partitionOf.put(input.key(), input.partition());
            final long start = Math.floorDiv(input.timestamp(), WINDOW_MS) * WINDOW_MS;
            final long[] window = windows.computeIfAbsent(input.key() + "@" + start, k -> new long[2]);
            window[0]++;
            window[1] += Long.parseLong(input.value());
        }
        final Map<String, String> closed = new java.util.TreeMap<>();
        windows.forEach((window, value) ->
        {
            final String key = window.substring(0, window.indexOf('@'));
            final long start = Long.parseLong(window.substring(window.indexOf('@') + 1));
            if (start + 2 * WINDOW_MS <= lastTime.get(partitionOf.get(key)))
            {
                closed.put(window, value[0] + "/" + value[1]);
            }
        });
        return closed;
    }

    /** What one run produced, and its daemons' logs for a failed check. */
    private record Run(long seed, List<KafkaTestSupport.Read> inputs, List<KafkaTestSupport.Read> outputs,
        String logs)
    {
        void check(final Runnable checks)
        {
            try
            {
                checks.run();
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError(ex.getMessage() + "\nseed=" + seed + logs, ex);
            }
        }
    }

    /**
     * A steady keyed stream into {@link #INPUT} while daemon A runs alone, B and C join, B is SIGKILLed, D joins and
     * C stops (SIGTERM); then every input is committed and A and D stop.
     */
    private Run runWithDaemonsJoiningDyingAndLeaving(final String pipelineText, final String test,
        final String group, final String output) throws Exception
    {
        final long seed = TestSeeds.seed(test);
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
        broker.createTopic(INPUT, PARTITIONS);
        final KafkaTestSupport kafka = new KafkaTestSupport(broker.bootstrapServers());
        final Path pipeline = dir.resolve("pipeline.yaml");
        Files.writeString(pipeline, pipelineText, StandardCharsets.UTF_8);

        final AtomicBoolean producing = new AtomicBoolean(true);
        final AtomicLong produced = new AtomicLong();
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        final Thread producer = new Thread(() -> produce(kafka, new Random(seed), producing, produced, producerFailure),
            "test-producer");
        producer.start();
        try
        {
            start(pipeline, "a");
            await("A processes input", () -> totalIn("a") > 2_000);
            start(pipeline, "b");
            start(pipeline, "c");
            await("A, B and C each own partitions", () -> assignments(kafka, group).size() == 3);
            await("B and C process input", () -> totalIn("b") > 500 && totalIn("c") > 500);

            daemons.get("b").destroyForcibly();
            assertThat(daemons.get("b").waitFor(30, TimeUnit.SECONDS)).isTrue();
            final long killedAtMs = System.currentTimeMillis();
            await("B's partitions move to A and C", () -> ownedByAtMostTwo(kafka, group));
            System.out.println("B's partitions moved " + (System.currentTimeMillis() - killedAtMs) + " ms after " +
                "its SIGKILL (session timeout " + SESSION_TIMEOUT_MS + " ms)");

            start(pipeline, "d");
            // The sticky assignor may hand D all of one member's partitions: D's own input is the sign it joined.
            await("D processes input", () -> totalIn("d") > 500);
            stop("c");
            await("A and D own every partition", () -> ownedByAtMostTwo(kafka, group));
            final long afterLeave = produced.get();
            await("more input after C left", () -> produced.get() > afterLeave + 3_000);
            producing.set(false);
            producer.join();
            assertThat(producerFailure.get()).isNull();

            final Map<Integer, Long> end = kafka.endOffsets(INPUT);
            await("A and D commit every input", () -> kafka.committedOffsets(group, INPUT).equals(end));
            stop("a");
            stop("d");

            final List<KafkaTestSupport.Read> inputs = kafka.readAll(INPUT);
            final List<KafkaTestSupport.Read> outputs = kafka.readAll(output);
            System.out.println(inputs.size() + " inputs, " + outputs.size() + " outputs; take-overs: " +
                takeOvers());
            return new Run(seed, inputs, outputs, logs());
        }
        catch (final AssertionError | RuntimeException ex)
        {
            throw new AssertionError(ex.getMessage() + "\nseed=" + seed + logs(), ex);
        }
        finally
        {
            producing.set(false);
            producer.join();
        }
    }

    private static String withTransactionTimeout(final String pipelineText)
    {
        return KafkaTestSupport.withSinkProducer(pipelineText, "transaction.timeout.ms: " + TRANSACTION_TIMEOUT_MS);
    }

    private String logs()
    {
        final StringBuilder logs = new StringBuilder();
        for (final String name : daemons.keySet())
        {
            logs.append("\n--- daemon ").append(name).append(" ---\n").append(DaemonLogs.events(log(name)));
        }
        return logs.toString();
    }

    /** For each key whose outputs differ: the first position where they do, and both values there. */
    private static List<String> wrongKeys(final Map<String, List<String>> expected,
        final Map<String, List<String>> actual)
    {
        final List<String> wrong = new ArrayList<>();
        for (final Map.Entry<String, List<String>> key : expected.entrySet())
        {
            final List<String> got = actual.getOrDefault(key.getKey(), List.of());
            if (got.equals(key.getValue()))
            {
                continue;
            }
            int i = 0;
            while (i < got.size() && i < key.getValue().size() && got.get(i).equals(key.getValue().get(i)))
            {
                i++;
            }
            wrong.add(key.getKey() + ": " + key.getValue().size() + " expected, " + got.size() + " read; first " +
                "difference at #" + i + ": expected " + (i < key.getValue().size() ? key.getValue().get(i) : "none") +
                ", read " + (i < got.size() ? got.get(i) : "none"));
        }
        actual.keySet().stream().filter(key -> !expected.containsKey(key)).forEach(key -> wrong.add(key +
            ": outputs of a key with no input"));
        return wrong;
    }

    /** Random integers over {@link #KEYS} keys, at about 4,000 records/s: the pause only paces the stream. */
    private static void produce(final KafkaTestSupport kafka, final Random random, final AtomicBoolean producing,
        final AtomicLong produced, final AtomicReference<Throwable> failure)
    {
        kafka.produceSteadily(i -> new ProducerRecord<>(INPUT, null, FIRST_TIME_MS + i, "key-" + random.nextInt(KEYS),
            Integer.toString(random.nextInt(2001) - 1000)), producing, produced, failure);
    }

    private void start(final Path pipeline, final String name) throws IOException
    {
        final List<String> command = DaemonProcessTest.ringflowCommand(List.of("run", "--pipeline",
            pipeline.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--journal-dir",
            dir.resolve("journal-" + name).toString(), "--status-interval", "1", "--metrics-bind", "off",
            "--admin-bind", "off"));
        daemons.put(name, new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon-" + name + ".log").toFile()))
            .start());
    }

    private void stop(final String name) throws InterruptedException
    {
        final Process daemon = daemons.get(name);
        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("daemon " + name + " exits after SIGTERM").isTrue();
        assertThat(daemon.exitValue()).as("daemon " + name + "'s exit code").isZero();
    }

    /** The input count of the last status line of a daemon's log (0 before the first). */
    private long totalIn(final String name)
    {
        return DaemonLogs.totalIn(log(name));
    }

    private String takeOvers()
    {
        final StringBuilder text = new StringBuilder();
        for (final String name : daemons.keySet())
        {
            text.append(name).append('=').append(log(name).lines().filter(l -> l.contains("took over")).count())
                .append(' ');
        }
        return text.toString().trim();
    }

    private String log(final String name)
    {
        return DaemonTest.readLog(dir.resolve("daemon-" + name + ".log"));
    }

    /**
     * Every partition owned, by at most two members: the sticky assignor may leave one of two daemons without any,
     * and a dead member keeps its partitions until its session expires.
     */
    private static boolean ownedByAtMostTwo(final KafkaTestSupport kafka, final String group)
    {
        final Map<String, Set<Integer>> owners = assignments(kafka, group);
        return owners.size() <= 2 && owners.values().stream().mapToInt(Set::size).sum() == PARTITIONS;
    }

    /** The group's partitions by member, empty before the group exists. */
    private static Map<String, Set<Integer>> assignments(final KafkaTestSupport kafka, final String group)
    {
        return kafka.assignmentsOrNone(group, INPUT);
    }

    private static void await(final String what, final BooleanSupplier condition)
    {
        KafkaTestSupport.awaitUntil(what, condition, DEADLINE_MS);
    }

}
