package dev.ringflow.bench.e2e;

import dev.ringflow.bench.journal.ChronicleFlags;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * End-to-end throughput as a user meets it: a stock broker, Ringflow's seed sliding-sum pipeline run by
 * {@code ringflow.jar}, against pass-through baselines, every one in a JVM of its own so that each is charged its
 * own CPU time.
 * <ol>
 *   <li>Starts the broker as a child JVM ({@code java -jar ringflow.jar broker}) and preloads N records (integers
 *       0..99 as text over K keys) into {@code my-topic}, 3 partitions, from this JVM.</li>
 *   <li>Per round, each scenario ({@link Scenario}) in turn as a child JVM with its own consumer group and output
 *       topic: timed from the JVM's launch until its group has committed the whole input; its CPU (user + system,
 *       from {@code /proc}) and the broker's over that interval; when a {@code read_committed} consumer saw the
 *       first output. Then it is stopped and every output is checked, key by key, against the sliding-sum oracle
 *       (pass-through: against the input).</li>
 *   <li>Writes {@code results.md} (medians, the targets, every run, the command, the machine and what else
 *       ran on it) and the JVMs' logs to the output directory, and prints the tables.</li>
 * </ol>
 * Run from the repository root after {@code mvn -q -B -DskipTests package}:
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.ringflow.bench.e2e.EndToEndHarness [--records N] [--repeat N] ...
 * </pre>
 * Exits 0 when every output check passed, 1 when one failed or a scenario did not finish, 2 on bad usage.
 */
public final class EndToEndHarness
{
    static final String INPUT_TOPIC = "my-topic";
    static final int PARTITIONS = 3;
    static final String SEED_PIPELINE = "seed-sliding-sum.yaml";
    private static final String TAG = "e2e";
    private static final Pattern BROKER_READY = Pattern.compile("Kafka broker ready on (\\S+) ");
    private static final Duration BROKER_START_TIMEOUT = Duration.ofMinutes(2);
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final HarnessOptions options;
    private final String command;
    private final MachineActivity activity = MachineActivity.begin();
    private final Set<Long> ownPids = new HashSet<>();

    private EndToEndHarness(final HarnessOptions options, final String command)
    {
        this.options = options;
        this.command = command;
    }

    public static void main(final String[] args)
    {
        HarnessOptions.runMain("EndToEndHarness", HarnessOptions.USAGE, args, HarnessOptions::parse,
            options -> new EndToEndHarness(options, SoakHarness.command(EndToEndHarness.class, args))::run);
    }

    /**
     * @return true when every output check passed.
     */
    private boolean run() throws IOException, InterruptedException
    {
        final RunSetup setup = RunSetup.create(options.jar(), "package", options.outDir(), "ringflow-e2e-");
        final ProcessCpu cpu = ProcessCpu.create();
        final List<ScenarioMeasurement> runs = new ArrayList<>();
        final String preloadNote;
        final double brokerIdleCpu;
        try (ChildJvm broker = launchBroker(options.jar(), setup.logDir(), ownPids))
        {
            final SeedInput input = preloadSeedInput(broker, options.records(), options.keys(), TAG);
            final String servers = input.servers();
            preloadNote = input.preloadNote();
            log("computing the expected outputs");
            final ScenarioRunner runner = seedRunner(broker, cpu, options.jar(), setup, input);
            brokerIdleCpu = idleCpu(cpu, broker.pid());
            for (int round = 1; round <= options.repeat(); round++)
            {
                for (final Scenario scenario : options.scenarios())
                {
                    log("round %d of %d: %s", round, options.repeat(), scenario.title());
                    runs.add(announce(runner.measure(scenario, round, ownPids::add)));
                }
            }
            broker.stop();
        }
        finally
        {
            ChronicleFlags.delete(setup.workDir());
        }
        final ResultsReport report = new ResultsReport(runs, options.repeat());
        final String document = document(setup.started(), report, preloadNote, brokerIdleCpu, cpu.ticksPerSecond());
        writeResults(options.outDir(), document);
        return runs.stream().allMatch(ScenarioMeasurement::checkPassed);
    }

    /**
     * What a throughput harness's run starts with, once the jar is found.
     *
     * @param started the start, for the report.
     * @param logDir  {@code <out>/logs}, for the JVMs' logs.
     * @param workDir a fresh temporary directory (pipeline files, journals); the run deletes it.
     */
    record RunSetup(String started, Path logDir, Path workDir)
    {
        /**
         * @param goal the Maven goal that builds {@code jar}, for the message when it is missing.
         * @throws IllegalStateException when {@code jar} is missing.
         */
        static RunSetup create(final Path jar, final String goal, final Path outDir, final String tempPrefix)
            throws IOException
        {
            HarnessOptions.requireJar(jar, "mvn -q -B -DskipTests " + goal + " (run from the repository root)");
            final String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return new RunSetup(started, Files.createDirectories(outDir.resolve("logs")),
                Files.createTempDirectory(tempPrefix));
        }
    }

    /**
     * Launches the broker ({@code java -jar ringflow.jar broker}, {@value #PARTITIONS} partitions a topic).
     *
     * @param ownPids gets the broker's pid: the report's machine section does not count it as another process.
     */
    static ChildJvm launchBroker(final Path jar, final Path logDir, final Set<Long> ownPids) throws IOException
    {
        final ChildJvm broker = ChildJvm.launch("the broker", List.of(ChildJvm.LAUNCHER_FLAG), List.of("-jar",
            jar.toString(), "broker", "--port", "0", "--partitions", Integer.toString(PARTITIONS)),
            logDir.resolve("broker.log"));
        ownPids.add(broker.pid());
        return broker;
    }

    /**
     * The seed pipeline's input, preloaded into {@link #INPUT_TOPIC}.
     *
     * @param servers     the broker's bootstrap servers.
     * @param ends        the topic's end offsets after the preload.
     * @param preloadNote the preload's rate, a sentence for the report.
     */
    record SeedInput(String servers, InputSequence input, Map<TopicPartition, Long> ends, String preloadNote)
    {
    }

    /**
     * Waits until {@code broker} is ready, then creates {@link #INPUT_TOPIC} and preloads {@code records} integers
     * over {@code keys} keys into it, saying so on the log as harness {@code tag}.
     */
    static SeedInput preloadSeedInput(final ChildJvm broker, final long records, final int keys, final String tag)
        throws IOException
    {
        final String servers = awaitBroker(broker);
        log(tag, "broker (pid %d) on %s; preloading %,d records over %,d keys into %s", broker.pid(), servers,
            records, keys, INPUT_TOPIC);
        final InputSequence input = new InputSequence(records, keys);
        final Map<TopicPartition, Long> inputEnds;
        final String preloadNote;
        try (GroupOffsets offsets = new GroupOffsets(servers))
        {
            offsets.createTopics(List.of(INPUT_TOPIC), PARTITIONS);
            final ScenarioResult preload = PlainKafkaScenarios.preload(servers, INPUT_TOPIC, input);
            preloadNote = String.format(Locale.ROOT, "The preload (one producer in the harness's JVM, linger " +
                "5 ms) wrote %,.0f records/s.", preload.recordsPerSecond());
            inputEnds = offsets.endOffsets(INPUT_TOPIC);
        }
        if (GroupOffsets.sum(inputEnds) != records)
        {
            throw new IllegalStateException(INPUT_TOPIC + " holds " + GroupOffsets.sum(inputEnds) +
                " records after preloading " + records);
        }
        return new SeedInput(servers, input, inputEnds, preloadNote);
    }

    /** Waits until {@code broker} says it is ready. @return its bootstrap servers. */
    static String awaitBroker(final ChildJvm broker) throws IOException
    {
        return broker.awaitLogLine(BROKER_READY, BROKER_START_TIMEOUT);
    }

    /** Runs the scenarios on the seed input, checking their outputs against the sliding-sum oracle. */
    static ScenarioRunner seedRunner(final ChildJvm broker, final ProcessCpu cpu, final Path jar,
        final RunSetup setup, final SeedInput seed) throws IOException
    {
        return new ScenarioRunner(seed.servers(), broker, cpu, new ScenarioLauncher(seed.servers(), jar,
            setup.workDir(), RecoveryTimeHarness.seedPipelineText()), seed.ends(), seed.input().keys(),
            KeyedSequences.expectedSlidingSums(seed.input()), KeyedSequences.inputValues(seed.input()),
            setup.logDir());
    }

    /** The broker's CPU seconds per second while nothing runs: what it costs when idle, over 2 s. */
    private static double idleCpu(final ProcessCpu cpu, final long brokerPid) throws InterruptedException
    {
        final double before = cpu.seconds(brokerPid);
        Thread.sleep(2_000);
        return (cpu.seconds(brokerPid) - before) / 2;
    }

    private String document(final String started, final ResultsReport report, final String preloadNote,
        final double brokerIdleCpu, final long ticksPerSecond)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# Ringflow end-to-end throughput\n\n```bash\n").append(command).append("\n```\n\n");
        out.append(String.format(Locale.ROOT, "Input: %,d records, integers 0..99 as text over %,d keys " +
            "(`key-0`..), preloaded into `%s` (%d partitions) on a single-node broker in its own JVM (`java %s -jar " +
            "ringflow.jar broker`). %s%n%n", options.records(), options.keys(), INPUT_TOPIC, PARTITIONS,
            ChildJvm.LAUNCHER_FLAG, preloadNote));
        out.append("## Throughput (median of ").append(options.repeat()).append(options.repeat() == 1 ? " run" :
            " runs").append(" per scenario)\n\n");
        out.append(report.summaryTable(options.scenarios())).append('\n');
        out.append("## Targets\n\n").append(report.targetsTable()).append('\n');
        out.append("## Every run\n\n").append(report.runsTable()).append('\n');
        out.append("## How it was measured\n\n");
        out.append("- Every scenario is a JVM of its own, started with `").append(ChildJvm.LAUNCHER_FLAG)
            .append("` (the `ringflow` script's flag) and default heap and GC: Ringflow as `java -jar ringflow.jar " +
            "run --pipeline FILE`, with the JIT thresholds and the class-data archive the `ringflow` script starts " +
            "it with (`" + String.join(" ", ChildJvm.LAUNCHER_JIT_FLAGS) + " -XX:SharedArchiveFile=" +
            "tools/target/ringflow.jsa -Xshare:auto`; the baselines with the JVM's defaults), with `examples/seed-sliding-sum.yaml` renamed per run (group, output and " +
            "dead-letter topics; `sink.delivery: at-least-once` added for the journal + at-least-once scenario, " +
            "`--no-journal` for the other); the pass-through loops and Kafka Streams from `benchmarks.jar`. The " +
            "pass-through loops use exactly the Kafka client settings Ringflow uses for the same file " +
            "(`KafkaClientProperties`); the EOS pass-through commits a transaction, with the consumer's offsets, " +
            "every `engine.commit-interval-ms` of that file.\n");
        out.append("- Seconds run from the JVM's launch (start-up included) until the scenario's group has " +
            "committed the input's end offsets (checked every 20 ms); for transactions that is also when every " +
            "output is visible to `read_committed` consumers. First output: from the launch until a " +
            "`read_committed` consumer in the harness read the first output record.\n");
        out.append(String.format(Locale.ROOT, "- CPU: user + system time from `/proc/<pid>/stat` (%d ticks/s, " +
            "`getconf CLK_TCK`), of the scenario's JVM from its start until the moment its input was committed " +
            "(read before it is stopped), and of the broker's JVM over the same interval. The idle broker used " +
            "%.3f CPU s per second before the first scenario.%n", ticksPerSecond, brokerIdleCpu));
        out.append("- Ratios (x plain, x EOS pass-through, the targets) are taken within each round, then the " +
            "median over rounds; the scenarios of a round run one after the other, in the order of `--scenarios`.\n");
        out.append("- Every output is read back as `read_committed` and compared key by key, in order, with an " +
            "oracle: the expected sliding sums, or for a pass-through the input itself.\n\n");
        appendMachine(out, started, activity, ownPids);
        return out.toString();
    }

    /** Writes {@code document} to {@code outDir/results.md} and prints it, with where it went. */
    static void writeResults(final Path outDir, final String document) throws IOException
    {
        Files.writeString(outDir.resolve("results.md"), document, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(document);
        System.out.println("Results written to " + outDir.toAbsolutePath().normalize());
    }

    /** The report's "Machine" section: cores, memory, JDK, load average, and what else used the CPU. */
    static void appendMachine(final StringBuilder out, final String started, final MachineActivity activity,
        final Set<Long> ownPids)
    {
        out.append("## Machine\n\n");
        out.append(String.format(Locale.ROOT, "- Run %s; `nproc` %d; memory %.1f GiB; JDK %s (%s).%n", started,
            Runtime.getRuntime().availableProcessors(), MachineActivity.memoryGib(),
            System.getProperty("java.version"), System.getProperty("java.vm.name")));
        out.append("- Load average (1, 5, 15 min) at start ").append(activity.loadAtBegin()).append(", at the end ")
            .append(MachineActivity.loadAverage()).append(".\n");
        final List<String> others = activity.othersForReport(Duration.ofSeconds(10), ownPids);
        out.append(others.isEmpty() ? "- No other process used more than 10 CPU s during the run.\n" :
            "- Other processes that used more than 10 CPU s during the run: " + String.join("; ", others) + ".\n");
    }

    private static ScenarioMeasurement announce(final ScenarioMeasurement run)
    {
        log("%s", run.outline());
        return run;
    }

    private static void log(final String format, final Object... args)
    {
        logTagged(TAG, format, args);
    }

    /** A line on standard output: the time, {@code [tag]} naming the harness, the message. */
    static void logTagged(final String tag, final String format, final Object... args)
    {
        System.out.println(LocalTime.now().format(LOG_TIME) + " [" + tag + "] " +
            String.format(Locale.ROOT, format, args));
    }
}
