package dev.ringflow.bench.e2e;

import dev.ringflow.bench.journal.ChronicleFlags;
import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recovery time of the real daemon after a crash with N journaled events since the last snapshot: the daemon
 * ({@code java -jar tools/target/ringflow.jar run}, a child JVM, exactly-once, the seed sliding-sum pipeline with
 * {@code journal.snapshot-interval-ms: 0}, so it never snapshots) consumes N preloaded records from an embedded
 * broker, is killed with SIGKILL and restarted on the same journal, which it then replays whole.
 * <ol>
 *   <li>Preloads N records (integers 0..99 as text over K keys) into {@code my-topic}, 3 partitions.</li>
 *   <li>Runs the daemon until its group's committed offsets reach the input's end (everything journaled and
 *       committed), then SIGKILLs it.</li>
 *   <li>R times: produces one new record (the next of the input sequence), launches the daemon and times, from the
 *       launch, (a) the replay time the daemon logs, (b) its "recovered from journal" line, (c) the new record's
 *       output as a {@code read_committed} consumer sees it; waits for its offsets to be committed, SIGKILLs it.</li>
 *   <li>Stops the last daemon with SIGTERM and checks the output topic, read as committed: exactly one output per
 *       input (N + R), each the expected sliding sum of its key.</li>
 *   <li>Writes the tables to {@code docs/performance/recovery-results.md} (or {@code --out}) and prints them; the
 *       daemon's log goes to {@code bench/results/recovery-<date>/daemon.log}.</li>
 * </ol>
 * Run from the repository root after {@code mvn -q -DskipTests package}:
 * <pre>
 * java --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
 *     --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
 *     --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
 *     -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true \
 *     -cp bench/target/benchmarks.jar dev.ringflow.bench.e2e.RecoveryTimeHarness \
 *     [--records N] [--keys K] [--restarts R] [--jar tools/target/ringflow.jar] [--out FILE] [--note TEXT]
 * </pre>
 * Exits 0 when the output check passed, 1 when it failed or a step did not finish in time, 2 on bad usage.
 */
public final class RecoveryTimeHarness
{
    static final String OUTPUT_TOPIC = "aggregated-topic";
    static final String GROUP = "ringflow-seed-sliding-sum";
    private static final Pattern RECOVERED =
        Pattern.compile("recovered from journal .*?(\\(no snapshot\\))?: (\\d+) records replayed in (\\d+) ms, " +
            "(\\d+) of them");
    private static final Duration POLL = Duration.ofMillis(10);
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final RecoveryOptions options;
    private final long records;
    private final int keys;
    private final int restarts;
    private final Path jar;
    private final Path outFile;
    private final List<String> userNotes;
    private final List<RecoveryReport.Phase> phases = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Set<Long> daemonPids = new HashSet<>();
    private final MachineActivity activity = MachineActivity.begin();
    private DaemonProcess daemon;
    private Path journalDir;
    private Path pipelineFile;
    private Path daemonLog;
    private String servers;

    private RecoveryTimeHarness(final RecoveryOptions options)
    {
        this.options = options;
        records = options.records();
        keys = options.keys();
        restarts = options.restarts();
        jar = options.jar();
        outFile = options.outFile();
        userNotes = options.notes();
    }

    public static void main(final String[] args)
    {
        HarnessOptions.runMain("RecoveryTimeHarness", RecoveryOptions.USAGE, args, RecoveryOptions::parse,
            options -> new RecoveryTimeHarness(options)::run);
    }

    private boolean run() throws IOException, InterruptedException, ExecutionException
    {
        HarnessOptions.requireJar(jar, "mvn -q -DskipTests package");
        final String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        final Path workDir = Files.createTempDirectory("ringflow-recovery-");
        final Path logDir = Files.createDirectories(Path.of("bench", "results", "recovery-" + LocalDate.now()));
        daemonLog = logDir.resolve("daemon.log");
        Files.deleteIfExists(daemonLog);
        journalDir = workDir.resolve("journal");
        pipelineFile = workDir.resolve("seed-sliding-sum-no-snapshots.yaml");
        Files.writeString(pipelineFile, seedPipelineText() + "\njournal:\n  snapshot-interval-ms: 0\n",
            StandardCharsets.UTF_8);
        final InputSequence preloaded = new InputSequence(records, keys);
        final InputSequence all = new InputSequence(records + restarts, keys);
        final List<RecoveryReport.Restart> results = new ArrayList<>();
        boolean passed = false;
        long phaseNs = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
            new EmbeddedKafkaBroker.Context().autoCreateTopics(false));
            GroupOffsets offsets = new GroupOffsets(broker.bootstrapServers()))
        {
            servers = broker.bootstrapServers();
            broker.createTopic(EndToEndHarness.INPUT_TOPIC, EndToEndHarness.PARTITIONS);
            broker.createTopic(OUTPUT_TOPIC, EndToEndHarness.PARTITIONS);
            phaseNs = phase("start the embedded broker", phaseNs);
            log("broker on %s; preloading %,d records over %,d keys into %s", servers, records, keys,
                EndToEndHarness.INPUT_TOPIC);
            PlainKafkaScenarios.preload(servers, EndToEndHarness.INPUT_TOPIC, preloaded);
            final Map<TopicPartition, Long> preloadEnds = offsets.endOffsets(EndToEndHarness.INPUT_TOPIC);
            if (GroupOffsets.sum(preloadEnds) != records)
            {
                throw new IllegalStateException("my-topic holds " + GroupOffsets.sum(preloadEnds) + " records");
            }
            phaseNs = phase(String.format(Locale.ROOT, "preload %,d records", records), phaseNs);

            log("daemon consumes and journals them (pipeline %s, journal %s)", pipelineFile, journalDir);
            daemon = launch();
            awaitCondition("the daemon's committed offsets reach the input's end", daemon,
                Duration.ofSeconds(120 + records / 10_000), () -> offsets.hasCommitted(GROUP, preloadEnds));
            phaseNs = phase(String.format(Locale.ROOT, "first daemon: launch until %,d records committed (%,.0f " +
                "records/s, JVM start and group join included)", records, records / nsToSeconds(System.nanoTime() -
                daemon.launchNs())), phaseNs);

            final int[][] probes = RecoveryChecks.probeRecords(all, records, restarts);
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(servers, 0, "recovery-probe");
                KafkaConsumer<byte[], byte[]> watcher = Clients.consumer(servers, null, true, "recovery-watch"))
            {
                final List<TopicPartition> outputs = new ArrayList<>(offsets.endOffsets(OUTPUT_TOPIC).keySet());
                watcher.assign(outputs);
                for (int run = 1; run <= restarts; run++)
                {
                    daemon.kill();
                    log("run %d: daemon SIGKILLed; journal %s", run, journalSize());
                    final int[] probe = probes[run - 1];
                    final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(EndToEndHarness.INPUT_TOPIC,
                        null, System.currentTimeMillis(), all.keyBytes(probe[0]), all.valueBytes(probe[1]));
                    watcher.seekToEnd(outputs);
                    outputs.forEach(watcher::position);
                    producer.send(record).get();
                    daemon = launch();
                    final RecoveryReport.Restart result = measureRestart(run, daemon, watcher, record);
                    results.add(result);
                    activity.sample();
                    log("run %d: replayed %,d records in %,d ms (%,.0f records/s); recovered line %,.0f ms and " +
                        "first new output %,.0f ms after launch", run, result.replayedRecords(), result.replayMs(),
                        result.replayRecordsPerSecond(), result.recoveredMs(), result.servingMs());
                    final Map<TopicPartition, Long> inputEnds = offsets.endOffsets(EndToEndHarness.INPUT_TOPIC);
                    awaitCondition("the probe's offset is committed", daemon, Duration.ofSeconds(60),
                        () -> offsets.hasCommitted(GROUP, inputEnds));
                }
            }
            phaseNs = phase(String.format(Locale.ROOT, "%d x (SIGKILL, restart, recovery, first new output, " +
                "commit)", restarts), phaseNs);

            final int exitCode = daemon.stop();
            phaseNs = phase("last daemon: SIGTERM until exit (code " + exitCode + ")", phaseNs);
            final boolean outputsPassed = RecoveryChecks.outputs(servers, keys, all, records, restarts, results, notes);
            log(outputsPassed ? "output check passed" : "output check FAILED");
            passed = outputsPassed && 0 == exitCode;
            if (0 != exitCode)
            {
                notes.add("FAILED: the last daemon exited with code " + exitCode + " after SIGTERM (see the log).");
            }
            phase("read and check the output topic", phaseNs);
        }
        finally
        {
            if (null != daemon)
            {
                daemon.close();
            }
            final String size = journalSize();
            ChronicleFlags.delete(workDir);
            writeResults(started, results, size, passed);
        }
        return passed;
    }

    private DaemonProcess launch() throws IOException
    {
        final DaemonProcess launched = DaemonProcess.launch(jar, List.of("--pipeline", pipelineFile.toString(),
            "--bootstrap-servers", servers, "--journal-dir", journalDir.toString(), "--status-interval", "1"),
            daemonLog);
        daemonPids.add(launched.pid());
        return launched;
    }

    /**
     * Waits for the probe's output (matched by key and timestamp) and the recovery line, and reads the replay
     * time from that line.
     */
    private RecoveryReport.Restart measureRestart(final int run, final DaemonProcess restarted,
        final KafkaConsumer<byte[], byte[]> watcher, final ProducerRecord<byte[], byte[]> probe)
    {
        final long deadlineNs = System.nanoTime() + Duration.ofSeconds(120 + records / 50_000).toNanos();
        long servedNs = 0;
        long otherOutputs = 0;
        while (0 == servedNs)
        {
            checkAlive(restarted, "the first output after restart " + run, deadlineNs);
            for (final ConsumerRecord<byte[], byte[]> output : watcher.poll(POLL))
            {
                if (output.timestamp() == probe.timestamp() && Arrays.equals(output.key(), probe.key()))
                {
                    servedNs = System.nanoTime();
                }
                else
                {
                    otherOutputs++;
                }
            }
        }
        awaitCondition("the recovery line", restarted, Duration.ofSeconds(10), () -> 0 != restarted.recoveredNs());
        final Matcher m = RECOVERED.matcher(restarted.recoveredLine());
        if (!m.find())
        {
            throw new IllegalStateException("unexpected recovery line: " + restarted.recoveredLine());
        }
        final long launchNs = restarted.launchNs();
        return new RecoveryReport.Restart(run, Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
            Long.parseLong(m.group(4)), null != m.group(1), msSince(launchNs, restarted.startingNs()),
            msSince(launchNs, restarted.journalOpenNs()), msSince(launchNs, restarted.assignedNs()),
            msSince(launchNs, restarted.recoveredNs()),
            msSince(launchNs, servedNs), otherOutputs);
    }

    private void awaitCondition(final String what, final DaemonProcess process, final Duration timeout,
        final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            checkAlive(process, what, deadlineNs);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ProgressWatch.CHECK_INTERVAL_MS));
        }
    }

    private void checkAlive(final DaemonProcess process, final String what, final long deadlineNs)
    {
        if (!process.isAlive())
        {
            throw new IllegalStateException("the daemon exited while waiting for " + what + "; see " + daemonLog);
        }
        if (System.nanoTime() - deadlineNs > 0)
        {
            throw new IllegalStateException("timed out waiting for " + what + "; see " + daemonLog);
        }
    }

    private String journalSize()
    {
        return JournalDiskUsage.describe(journalDir);
    }

    private void writeResults(final String started, final List<RecoveryReport.Restart> results,
        final String journalSize, final boolean passed) throws IOException
    {
        final String intro = RecoveryReport.intro(options, journalSize, passed);
        final List<String> facts = new ArrayList<>();
        facts.add(String.format(Locale.ROOT, "Run %s; `nproc` %d; memory %.1f GiB; JDK %s (%s); daemon JVM with " +
            "default heap and GC, harness and broker in another JVM.", started,
            Runtime.getRuntime().availableProcessors(), MachineActivity.memoryGib(),
            System.getProperty("java.version"), System.getProperty("java.vm.name")));
        facts.add("Load average (1, 5, 15 min) at start " + activity.loadAtBegin() + ", at the end " +
            MachineActivity.loadAverage() + ".");
        final List<String> others = activity.othersBusierThan(Duration.ofSeconds(5), daemonPids);
        facts.add(others.isEmpty() ? "No other process used more than 5 CPU s during the run." :
            "Other processes that used more than 5 CPU s during the run (sampled between phases and restarts): " +
            String.join("; ", others) + ".");
        facts.addAll(userNotes);
        final List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(RecoveryReport.howToRead(daemonLog));
        final String document = RecoveryReport.document(RecoveryReport.command(options), intro, results, phases,
            facts, allNotes);
        if (null != outFile.getParent())
        {
            Files.createDirectories(outFile.getParent());
        }
        Files.writeString(outFile, document, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(document);
        System.out.println("Results written to " + outFile.toAbsolutePath().normalize());
    }

    private long phase(final String name, final long sinceNs)
    {
        final long nowNs = System.nanoTime();
        activity.sample();
        phases.add(new RecoveryReport.Phase(name, nsToSeconds(nowNs - sinceNs)));
        log("%s: %.1f s", name, nsToSeconds(nowNs - sinceNs));
        return nowNs;
    }

    /** The seed pipeline file's text: from the checkout, or the copy inside the jar when run elsewhere. */
    static String seedPipelineText() throws IOException
    {
        return new String(exampleFile(EndToEndHarness.SEED_PIPELINE), StandardCharsets.UTF_8);
    }

    /**
     * A file under {@code examples/} ({@code relativePath}, e.g. {@code models/fraud-xgb-v1.json}): from the working
     * directory when it is the repository root, else from the class path (the jar carries the examples).
     */
    static byte[] exampleFile(final String relativePath) throws IOException
    {
        final Path file = Path.of("examples").resolve(relativePath);
        if (Files.isRegularFile(file))
        {
            return Files.readAllBytes(file);
        }
        try (InputStream in = RecoveryTimeHarness.class.getResourceAsStream("/examples/" + relativePath))
        {
            if (null == in)
            {
                throw new IllegalStateException("cannot find " + file + " (run from the repository root)");
            }
            return in.readAllBytes();
        }
    }

    private static double msSince(final long startNs, final long eventNs)
    {
        return 0 == eventNs ? Double.NaN : (eventNs - startNs) / 1e6;
    }

    private static double nsToSeconds(final long ns)
    {
        return ns / 1e9;
    }

    private static void log(final String format, final Object... args)
    {
        System.out.println(LocalTime.now().format(LOG_TIME) + " [recovery] " +
            String.format(Locale.ROOT, format, args));
    }
}
