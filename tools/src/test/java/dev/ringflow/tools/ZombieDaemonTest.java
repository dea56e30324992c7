package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real daemons (child JVMs) of one group on the transform pipeline, exactly once (the default delivery), while
 * a keyed stream arrives: daemon A is frozen with SIGSTOP until the group coordinator expires its session and gives
 * every partition to daemon B, then thawed with SIGCONT, so that it wakes as a zombie: an old group generation and
 * an open transaction holding outputs of input that B has processed again since. After the stream stops and both
 * daemons have stopped with SIGTERM, the output topic, read as committed, must equal the oracle computed from the
 * input topic ("Processed: " + value, per key in order: nothing lost, nothing repeated) and the group's committed
 * offsets must be the input's end offsets.
 * <p>
 * What a zombie does depends on what it meets first when it wakes. The first two cases end as designed: the commit
 * carries the group's metadata "so a member that has lost its partitions is fenced" (docs/recovery.md), a sink
 * that cannot commit stops the engine ({@code Sink.commit}), and A exits with
 * code 1 with its transaction aborted (or, when Kafka aborted the transaction on its timeout, starts its pipeline
 * again by itself). A supervisor restarts it, which the test does on the same journal: the restarted daemon
 * recovers from it, rejoins the group and shares the partitions with B again.
 * <ul>
 * <li>With the default {@code engine.commit-interval-ms} (100 ms) a commit is overdue when A wakes, and its worker
 * commits before the consumer has heard that it left the group. The transaction's offsets go with the old group
 * metadata ({@code sendOffsetsToTransaction}) and the coordinator refuses them: "Transaction offset Commit failed
 * due to consumer group metadata mismatch: The coordinator is not aware of this member".</li>
 * <li>Frozen in the middle of a commit (after its offsets reached the coordinator, before the transaction ended), A
 * holds up B: a {@code read_committed} consumer cannot read a partition's committed offset while a transaction
 * that commits it is open, so B waits until A's transaction times out ({@link #TRANSACTION_TIMEOUT_MS}) and the
 * coordinator aborts it and bumps the producer's epoch. A wakes with a fenced producer:
 * "InvalidProducerEpochException: Producer attempted to produce with an old epoch", or, when it wakes inside the
 * commit call, "InvalidTxnStateException". Its transaction is then older than its timeout, so A starts its pipeline
 * again by itself from its journal, as a supervisor's restart would (docs/recovery.md).</li>
 * <li>When A's consumer hears that it left the group before A's worker commits again, the consumer reports the
 * partitions lost ({@code onPartitionsLost}) and rejoins the group. This happens when no commit is due yet when A
 * wakes (a commit interval longer than the freeze), and also with the default interval when A was frozen while its
 * worker waited for the answer to a commit: the consumer meanwhile hands over the backlog of the lost partitions,
 * fetched with the old assignment. Nothing of what A's transaction held then may become visible, since B has
 * produced those outputs again: the sink refuses to commit from then on, and A stops with exit code 1, which aborts
 * the transaction. (Before this was handled, A rejoined and its next commit made B's reprocessed outputs appear
 * twice: 3,267 + 5,353 repeated inputs in one run.)</li>
 * </ul>
 * Each run prints its seed (the stream's keys); {@code -Dringflow.seed=N} runs a seed again, though the timing of
 * the freeze is the machine's.
 */
class ZombieDaemonTest
{
    private static final String INPUT = "my-topic";
    private static final String OUTPUT = "processed-topic";
    private static final String GROUP = "ringflow-seed-transform";
    private static final Path SEED_PIPELINE = SeedPipelinesTest.EXAMPLES.resolve("seed-transform.yaml");
    private static final int PARTITIONS = 4;
    private static final int KEYS = 40;
    /** The broker's smallest allowed session timeout ({@code group.min.session.timeout.ms}). */
    private static final int SESSION_TIMEOUT_MS = 6_000;
    /** Longer than the whole run: a daemon with it commits only at rebalances that revoke and at its stop. */
    private static final int LONG_COMMIT_INTERVAL_MS = 120_000;
    /** Longer than the whole run, so that A's never-committed transaction is still open when A wakes. */
    private static final int LONG_RUN_TRANSACTION_TIMEOUT_MS = 300_000;
    /**
     * Daemon A's transaction timeout where it may be frozen in the middle of a commit: its partitions' offsets stay
     * unreadable to B ({@code read_committed} consumers wait for stable offsets) until the transaction ends, and a
     * frozen daemon's ends when it times out (Kafka's default: 60 s; Kafka Streams uses 10 s).
     */
    private static final int TRANSACTION_TIMEOUT_MS = 10_000;
    private static final long DEADLINE_MS = 60_000;
    private static final String FENCED = "Transaction offset Commit failed due to consumer group metadata mismatch";
    /** How a producer whose transaction the coordinator aborted on timeout finds out. */
    private static final String TIMED_OUT =
        "InvalidProducerEpochException: Producer attempted to produce with an old epoch";
    /** The same, when the coordinator aborted the transaction while A was frozen inside its commit. */
    private static final String TIMED_OUT_MID_COMMIT = "InvalidTxnStateException";
    private static final String LOST = "the consumer group dropped this daemon and took partitions";
    /** What a daemon logs when Kafka aborted its transaction on its timeout and it starts its pipeline again. */
    private static final String RESTARTED = "stopped because Kafka aborted its open transaction";
    /** The reason a daemon gives for it. */
    private static final String TIMED_OUT_BY_KAFKA = "Kafka aborted the open transaction: it had been open";
    /** A transaction timeout that a freeze of a few seconds outlives. */
    private static final int SHORT_TRANSACTION_TIMEOUT_MS = 3_000;
    /**
     * A commit interval that keeps A's transaction open most of the time (a commit takes 10-200 ms here), so that a
     * freeze mostly catches one open, yet well under the transaction timeout.
     */
    private static final int OPEN_COMMIT_INTERVAL_MS = 1_000;
    /** A session that the same freeze does not outlive: the group keeps the frozen daemon's partitions. */
    private static final int LONG_SESSION_TIMEOUT_MS = 45_000;

    @TempDir
    Path dir;

    private EmbeddedKafkaBroker broker;
    private Process daemonA;
    private Process daemonB;

    @AfterEach
    void cleanUp()
    {
        // SIGKILL ends a stopped process too.
        for (final Process daemon : new Process[] { daemonA, daemonB })
        {
            if (null != daemon)
            {
                daemon.destroyForcibly();
            }
        }
        if (null != broker)
        {
            broker.close();
        }
    }

    /** What daemon A did when it woke up: stopped, having found its partitions lost (or else fenced). */
    private record Wake(boolean reportedLost)
    {
    }

    /**
     * The default commit interval: mostly A's first commit after waking is refused, and A stops with exit code 1 and,
     * restarted on its journal, takes its share again; frozen in the middle of a commit, A finds its transaction
     * timed out and starts its pipeline again by itself. When its consumer reports the partitions lost first, A stops
     * too, as in the other test.
     */
    @Test
    void shouldFenceAZombieDaemonAndEmitEveryOutputExactlyOnce() throws Exception
    {
        final Wake wake = runWithZombie(text -> KafkaTestSupport.withSinkProducer(text, "transaction.timeout.ms: " +
            TRANSACTION_TIMEOUT_MS));
        if (!wake.reportedLost())
        {
            // Refused in one of the forms the class comment lists (or another: any refused commit is the design).
            assertThat(log("a")).contains("cannot commit a Kafka transaction to topic '" + OUTPUT + "'");
            System.out.println("A's commit was refused: " + Stream.of(FENCED, TIMED_OUT, TIMED_OUT_MID_COMMIT,
                "ProducerFencedException").filter(log("a")::contains).toList());
        }
    }

    /**
     * A commit interval longer than the run: when A wakes no commit is due, so its consumer reports the partitions
     * lost before the worker commits again, with outputs of the lost partitions' input, which B has processed again
     * since, still in the open transaction: A must not commit them, and stops.
     */
    @Test
    void shouldNotCommitTheOutputsOfPartitionsLostWhileFrozen() throws Exception
    {
        // A never commits here, so its first transaction stays open all run: with the default 10 s timeout the
        // coordinator aborted it, and A stopped, whenever B took longer than that to join (seen on loaded machines).
        final Wake wake = runWithZombie(text -> KafkaTestSupport.withSinkProducer(text, "transaction.timeout.ms: " +
            LONG_RUN_TRANSACTION_TIMEOUT_MS) + "engine:\n  commit-interval-ms: " + LONG_COMMIT_INTERVAL_MS + "\n");
        assertThat(wake.reportedLost()).as("A's consumer reported its partitions lost").isTrue();
        assertThat(log("a")).doesNotContain(FENCED);
    }

    /**
     * As the default case, with partition-scoped state ({@code state.scope: partition}): the daemons hand partitions
     * over through the state topic, rebalance cooperatively and put commits off while they rejoin, and a restarted
     * daemon takes its partitions over from Kafka rather than from its journal. The zombie must be stopped all the
     * same, and every output be there exactly once.
     */
    @Test
    void shouldFenceAZombieDaemonWithPartitionState() throws Exception
    {
        final Wake wake = runWithZombie(text -> text + "\nstate:\n  scope: partition\n  publish-interval-ms: 1000\n",
            text -> KafkaTestSupport.withSinkProducer(text, "transaction.timeout.ms: " + TRANSACTION_TIMEOUT_MS));
        if (!wake.reportedLost())
        {
            assertThat(log("a")).contains("cannot commit a Kafka transaction to topic '" + OUTPUT + "'");
        }
        assertThat(log("b")).contains("took over");
    }

    /**
     * A daemon frozen longer than its transaction timeout but not its session, as a rebalance longer than the
     * transaction timeout holds its commits: the coordinator aborts the open transaction and bumps the producer's
     * epoch while the group keeps the daemon's partitions. The daemon must not stop: it starts its pipeline again
     * from its journal, and every output is there exactly once. A freeze that catches no transaction open (between a
     * commit and the next output, or inside a commit the coordinator completes) aborts nothing, and is repeated.
     */
    @Test
    void shouldStartThePipelineAgainWhenKafkaAbortedATransactionThatOutlivedItsTimeout() throws Exception
    {
        final long seed = TestSeeds.seed("ZombieDaemonTest.aborted");
        final KafkaTestSupport kafka = startBroker();
        final String seedText = Files.readString(SEED_PIPELINE, StandardCharsets.UTF_8);
        final Path pipeline = dir.resolve("pipeline-a.yaml");
        final String withSession = seedText.replace("source:\n", "source:\n  consumer:\n    session.timeout.ms: " +
            LONG_SESSION_TIMEOUT_MS + "\n");
        Files.writeString(pipeline, KafkaTestSupport.withSinkProducer(withSession, "transaction.timeout.ms: " +
            SHORT_TRANSACTION_TIMEOUT_MS) + "engine:\n  commit-interval-ms: " + OPEN_COMMIT_INTERVAL_MS + "\n",
            StandardCharsets.UTF_8);

        final AtomicBoolean producing = new AtomicBoolean(true);
        final AtomicLong produced = new AtomicLong();
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        final Thread producer = new Thread(() -> produce(kafka, new Random(seed), producing, produced, producerFailure),
            "test-producer");
        producer.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers())))
        {
            daemonA = start(pipeline, "a");
            await("A processes input", () -> DaemonLogs.totalIn(log("a")) > 1_000);
            for (int freeze = 1; freeze <= 3 && !log("a").contains(RESTARTED); freeze++)
            {
                signal(daemonA, "STOP");
                // Aborting or aborted by the coordinator, which lists the transaction in these states.
                final Set<String> abort = Set.of(TransactionState.PREPARE_ABORT.toString(),
                    TransactionState.COMPLETE_ABORT.toString());
                final AtomicReference<String> state = new AtomicReference<>("not listed");
                final boolean aborted = KafkaTestSupport.within(5 * SHORT_TRANSACTION_TIMEOUT_MS,
                    () -> abort.contains(state.updateAndGet(last -> transactionState(admin))));
                signal(daemonA, "CONT");
                System.out.println("freeze " + freeze + ": " + (aborted ? "Kafka aborted A's transaction" :
                    "no transaction of A was open") + " (its state: " + state.get() + ")");
                if (aborted)
                {
                    await("A starts its pipeline again", () -> log("a").contains(RESTARTED));
                }
                else
                {
                    final long in = DaemonLogs.totalIn(log("a"));
                    await("A processes input again", () -> DaemonLogs.totalIn(log("a")) > in + 500);
                }
            }
            assertThat(log("a")).contains(RESTARTED).contains(TIMED_OUT_BY_KAFKA);
            assertThat(daemonA.isAlive()).as("A runs on").isTrue();

            final long restartedAt = produced.get();
            await("more input once A runs again", () -> produced.get() > restartedAt + 3_000);
            producing.set(false);
            producer.join();
            assertThat(producerFailure.get()).isNull();
            final Map<Integer, Long> end = kafka.endOffsets(INPUT);
            await("A commits every input", () -> kafka.committedOffsets(GROUP, INPUT).equals(end));
            stop(daemonA, "a");

            final List<KafkaTestSupport.Read> inputs = kafka.readAll(INPUT);
            final List<KafkaTestSupport.Read> outputs = kafka.readAll(OUTPUT);
            System.out.println(inputs.size() + " inputs, " + outputs.size() + " outputs");
            assertThat(differences(inputs, outputs)).as("outputs against inputs").isEmpty();
            assertThat(outputs).hasSize(inputs.size());
        }
        catch (final AssertionError | RuntimeException ex)
        {
            throw new AssertionError(ex.getMessage() + "\nseed=" + seed + "\n--- daemon A ---\n" + log("a"), ex);
        }
        finally
        {
            producing.set(false);
            producer.join();
        }
    }

    /** The broker with the input topic; transactions that time out are aborted within a second (default: 10 s). */
    private KafkaTestSupport startBroker() throws Exception
    {
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()
            .property("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"));
        broker.createTopic(INPUT, PARTITIONS);
        return new KafkaTestSupport(broker.bootstrapServers());
    }

    /** The state of this test's daemon's transaction as the coordinator lists it, or why there is none. */
    private static String transactionState(final Admin admin)
    {
        try
        {
            for (final TransactionListing listing : admin.listTransactions().all().get(5, TimeUnit.SECONDS))
            {
                if (listing.transactionalId().startsWith("ringflow-" + GROUP))
                {
                    return listing.state().toString();
                }
            }
            return "not listed";
        }
        catch (final Exception ex)
        {
            return ex.toString();
        }
    }

    /**
     * @param forA turns the pipeline file into daemon A's.
     */
    private Wake runWithZombie(final UnaryOperator<String> forA) throws Exception
    {
        return runWithZombie(UnaryOperator.identity(), forA);
    }

    /**
     * @param forBoth turns the seed pipeline into both daemons'.
     * @param forA    turns that into daemon A's.
     */
    private Wake runWithZombie(final UnaryOperator<String> forBoth, final UnaryOperator<String> forA)
        throws Exception
    {
        final long seed = TestSeeds.seed("ZombieDaemonTest");
        final KafkaTestSupport kafka = startBroker();
        final String seedText = Files.readString(SEED_PIPELINE, StandardCharsets.UTF_8);
        final String text = forBoth.apply(seedText.replace("source:\n", "source:\n  consumer:\n    " +
            "session.timeout.ms: " + SESSION_TIMEOUT_MS + "\n    heartbeat.interval.ms: 1000\n"));
        assertThat(text).as("the pipeline sets the session timeout").isNotEqualTo(seedText);
        final Path pipelineA = dir.resolve("pipeline-a.yaml");
        final Path pipelineB = dir.resolve("pipeline-b.yaml");
        Files.writeString(pipelineA, forA.apply(text), StandardCharsets.UTF_8);
        Files.writeString(pipelineB, text, StandardCharsets.UTF_8);

        final AtomicBoolean producing = new AtomicBoolean(true);
        final AtomicLong produced = new AtomicLong();
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        final Thread producer = new Thread(() -> produce(kafka, new Random(seed), producing, produced, producerFailure),
            "test-producer");
        producer.start();
        try
        {
            daemonA = start(pipelineA, "a");
            await("A owns every partition and processes input", () -> assignments(kafka).size() == 1 &&
                DaemonLogs.totalIn(log("a")) > 1_000);
            final String memberA = assignments(kafka).keySet().iterator().next();

            daemonB = start(pipelineB, "b");
            await("A and B both own partitions", () -> assignments(kafka).size() == 2);
            final Set<Integer> partitionsOfA = assignments(kafka).get(memberA);
            assertThat(partitionsOfA).as("A's member still owns partitions").isNotEmpty();
            // Frozen in the middle of its work, with outputs of its share in its open transaction.
            final long inOfA = DaemonLogs.totalIn(log("a"));
            await("A processes input of its share", () -> DaemonLogs.totalIn(log("a")) > inOfA + 200);

            final long frozenAtMs = System.currentTimeMillis();
            signal(daemonA, "STOP");
            final Map<Integer, Long> atFreeze = kafka.committedOffsets(GROUP, INPUT);
            await("the coordinator gives B every partition", () ->
            {
                final Map<String, Set<Integer>> now = assignments(kafka);
                return now.size() == 1 && !now.containsKey(memberA) &&
                    now.values().iterator().next().size() == PARTITIONS;
            });
            await("B commits input of A's former partitions", () ->
            {
                final Map<Integer, Long> now = kafka.committedOffsets(GROUP, INPUT);
                return partitionsOfA.stream().allMatch(p -> now.getOrDefault(p, 0L) > atFreeze.getOrDefault(p, 0L));
            });
            assertThat(daemonA.isAlive()).as("A, frozen, is still there").isTrue();
            System.out.println("A frozen for " + (System.currentTimeMillis() - frozenAtMs) + " ms");
            signal(daemonA, "CONT");

            // Fenced at its next commit, or told by its consumer that its partitions are lost: either way it stops.
            // Or it finds that Kafka aborted its transaction on its timeout: it starts its pipeline again itself.
            await("A stops or starts its pipeline again", () -> !daemonA.isAlive() || log("a").contains(RESTARTED));
            final boolean reportedLost = log("a").contains(LOST);
            if (daemonA.isAlive())
            {
                System.out.println("A woke up, found its transaction aborted by Kafka and started its pipeline again");
            }
            else
            {
                System.out.println("A woke up and stopped" + (reportedLost ? ", its partitions lost" : ", fenced"));
                assertThat(daemonA.exitValue()).as("a stopped zombie's exit code").isEqualTo(1);
                // A supervisor restarts it; it recovers from its journal.
                daemonA = start(pipelineA, "a");
            }
            await("A owns partitions again", () -> assignments(kafka).size() == 2);
            final long thawedAt = produced.get();
            await("more input once A is back", () -> produced.get() > thawedAt + 5_000);
            producing.set(false);
            producer.join();
            assertThat(producerFailure.get()).isNull();

            final List<KafkaTestSupport.Read> inputs = kafka.readAll(INPUT);
            // A first: with the long commit interval it commits only when it stops.
            stop(daemonA, "a");
            kafka.readUntil(OUTPUT, read -> read.size() >= inputs.size(), DEADLINE_MS);
            stop(daemonB, "b");

            System.out.println("daemon A, without status lines and stack traces:\n" + DaemonLogs.events(log("a")));
            final List<KafkaTestSupport.Read> outputs = kafka.readAll(OUTPUT);
            final Map<String, List<String>> expected = KafkaTestSupport.valuesByKey(inputs);
            expected.replaceAll((key, values) -> values.stream().map(v -> "Processed: " + v).toList());
            System.out.println(inputs.size() + " inputs, " + outputs.size() + " outputs");
            assertThat(differences(inputs, outputs)).as("outputs against inputs").isEmpty();
            assertThat(KafkaTestSupport.valuesByKey(outputs)).isEqualTo(expected);
            assertThat(outputs).hasSize(inputs.size());
            assertThat(kafka.committedOffsets(GROUP, INPUT)).isEqualTo(kafka.endOffsets(INPUT));
            return new Wake(reportedLost);
        }
        catch (final AssertionError | RuntimeException ex)
        {
            throw new AssertionError(ex.getMessage() + "\nseed=" + seed + "\n--- daemon A ---\n" + log("a") +
                "\n--- daemon B ---\n" + log("b"), ex);
        }
        finally
        {
            producing.set(false);
            producer.join();
        }
    }

    /**
     * Unique values (a running count) over {@link #KEYS} keys, at about 4,000 records/s: the pause only paces the
     * stream, it synchronises nothing.
     */
    private static void produce(final KafkaTestSupport kafka, final Random random, final AtomicBoolean producing,
        final AtomicLong produced, final AtomicReference<Throwable> failure)
    {
        kafka.produceSteadily(i -> new ProducerRecord<>(INPUT, "key-" + random.nextInt(KEYS), Long.toString(i)), producing, produced, failure);
    }

    /**
     * The outputs that are not one each per input, by input partition and offset range (the values are unique, so
     * an output names its input); empty when every input has exactly one output and there is no other.
     */
    private static String differences(final List<KafkaTestSupport.Read> inputs,
        final List<KafkaTestSupport.Read> outputs)
    {
        final Map<String, Integer> counts = new HashMap<>();
        for (final KafkaTestSupport.Read output : outputs)
        {
            counts.merge(output.value(), 1, Integer::sum);
        }
        final Set<String> expected = new HashSet<>();
        final Map<Integer, long[]> duplicated = new TreeMap<>();
        final Map<Integer, long[]> missing = new TreeMap<>();
        for (final KafkaTestSupport.Read input : inputs)
        {
            final String value = "Processed: " + input.value();
            expected.add(value);
            final int count = counts.getOrDefault(value, 0);
            if (count != 1)
            {
                final long[] range = (count == 0 ? missing : duplicated).computeIfAbsent(input.partition(),
                    p -> new long[] { Long.MAX_VALUE, Long.MIN_VALUE, 0 });
                range[0] = Math.min(range[0], input.offset());
                range[1] = Math.max(range[1], input.offset());
                range[2]++;
            }
        }
        final long others = outputs.stream().filter(output -> !expected.contains(output.value())).count();
        final StringBuilder text = new StringBuilder();
        describe(text, "more than once", duplicated);
        describe(text, "never", missing);
        if (others > 0)
        {
            text.append(others).append(" outputs of no input; ");
        }
        return text.toString();
    }

    private static void describe(final StringBuilder text, final String what, final Map<Integer, long[]> ranges)
    {
        ranges.forEach((partition, range) -> text.append(range[2]).append(" inputs of ").append(INPUT).append('-')
            .append(partition).append(" (offsets ").append(range[0]).append("..").append(range[1])
            .append(") output ").append(what).append("; "));
    }

    /** The group's partitions by member, empty before the group exists. */
    private static Map<String, Set<Integer>> assignments(final KafkaTestSupport kafka)
    {
        return kafka.assignmentsOrNone(GROUP, INPUT);
    }

    private static void await(final String what, final BooleanSupplier condition)
    {
        KafkaTestSupport.awaitUntil(what, condition, DEADLINE_MS);
    }


    private Process start(final Path pipeline, final String name) throws IOException
    {
        final List<String> command = DaemonProcessTest.ringflowCommand(List.of("run", "--pipeline",
            pipeline.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--journal-dir",
            dir.resolve("journal-" + name).toString(), "--status-interval", "1"));
        // A restarted daemon appends to its log.
        return new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon-" + name + ".log").toFile()))
            .start();
    }

    private static void signal(final Process process, final String signal) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
            .redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + signal + ": " + new String(kill.getInputStream().readAllBytes(),
            StandardCharsets.UTF_8)).isZero();
    }

    private void stop(final Process daemon, final String name) throws InterruptedException
    {
        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("daemon " + name + " exits after SIGTERM").isTrue();
        assertThat(daemon.exitValue()).as("daemon " + name + "'s exit code").isZero();
    }

    private String log(final String name)
    {
        try
        {
            final Path file = dir.resolve("daemon-" + name + ".log");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}
