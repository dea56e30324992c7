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
        final HarnessOptions options;
        try
        {
            options = HarnessOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("EndToEndHarness: " + ex.getMessage());
            System.err.println(HarnessOptions.USAGE);
            System.exit(2);
            return;
        }
        if (null == options)
        {
            System.out.println(HarnessOptions.USAGE);
            return;
        }
        boolean passed = false;
        try
        {
            passed = new EndToEndHarness(options, SoakHarness.command(EndToEndHarness.class, args)).run();
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            ex.printStackTrace();
        }
        System.exit(passed ? 0 : 1);
    }

    /**
     * @return true when every output check passed.
     */
    private boolean run() throws IOException, InterruptedException
    {
        if (!Files.isRegularFile(options.jar()))
        {
            throw new IllegalStateException(options.jar() + " not found: build it with mvn -q -B -DskipTests " +
                "package (run from the repository root)");
        }
        final String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        final Path logDir = Files.createDirectories(options.outDir().resolve("logs"));
        final Path workDir = Files.createTempDirectory("ringflow-e2e-");
        final ProcessCpu cpu = ProcessCpu.create();
        final List<ScenarioMeasurement> runs = new ArrayList<>();
        final String preloadNote;
        final double brokerIdleCpu;
        try (ChildJvm broker = ChildJvm.launch("the broker", List.of(ChildJvm.LAUNCHER_FLAG), List.of("-jar",
            options.jar().toString(), "broker", "--port", "0", "--partitions", Integer.toString(PARTITIONS)),
            logDir.resolve("broker.log")))
        {
            ownPids.add(broker.pid());
            final String servers = broker.awaitLogLine(BROKER_READY, BROKER_START_TIMEOUT);
            log("broker (pid %d) on %s; preloading %,d records over %,d keys into %s", broker.pid(), servers,
                options.records(), options.keys(), INPUT_TOPIC);
            final InputSequence input = new InputSequence(options.records(), options.keys());
            final Map<TopicPartition, Long> inputEnds;
            try (GroupOffsets offsets = new GroupOffsets(servers))
            {
                offsets.createTopics(List.of(INPUT_TOPIC), PARTITIONS);
                final ScenarioResult preload = PlainKafkaScenarios.preload(servers, INPUT_TOPIC, input);
                preloadNote = String.format(Locale.ROOT, "The preload (one producer in the harness's JVM, linger " +
                    "5 ms) wrote %,.0f records/s.", preload.recordsPerSecond());
                inputEnds = offsets.endOffsets(INPUT_TOPIC);
            }
            if (GroupOffsets.sum(inputEnds) != options.records())
            {
                throw new IllegalStateException(INPUT_TOPIC + " holds " + GroupOffsets.sum(inputEnds) +
                    " records after preloading " + options.records());
            }
            log("computing the expected outputs");
            final ScenarioRunner runner = new ScenarioRunner(servers, broker, cpu,
                new ScenarioLauncher(servers, options.jar(), workDir, RecoveryTimeHarness.seedPipelineText()),
                inputEnds, options.keys(), KeyedSequences.expectedSlidingSums(input), KeyedSequences.inputValues(input),
                logDir);
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
            ChronicleFlags.delete(workDir);
        }
        final ResultsReport report = new ResultsReport(runs, options.repeat());
        final String document = document(started, report, preloadNote, brokerIdleCpu, cpu.ticksPerSecond());
        Files.writeString(options.outDir().resolve("results.md"), document, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(document);
        System.out.println("Results written to " + options.outDir().toAbsolutePath().normalize());
        return runs.stream().allMatch(ScenarioMeasurement::checkPassed);
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
            "run --pipeline FILE` with `examples/seed-sliding-sum.yaml` renamed per run (group, output and " +
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
        out.append("## Machine\n\n");
        out.append(String.format(Locale.ROOT, "- Run %s; `nproc` %d; memory %.1f GiB; JDK %s (%s).%n", started,
            Runtime.getRuntime().availableProcessors(), MachineActivity.memoryGib(),
            System.getProperty("java.version"), System.getProperty("java.vm.name")));
        out.append("- Load average (1, 5, 15 min) at start ").append(activity.loadAtBegin()).append(", at the end ")
            .append(MachineActivity.loadAverage()).append(".\n");
        final List<String> others = activity.othersForReport(Duration.ofSeconds(10), ownPids);
        out.append(others.isEmpty() ? "- No other process used more than 10 CPU s during the run.\n" :
            "- Other processes that used more than 10 CPU s during the run: " + String.join("; ", others) + ".\n");
        return out.toString();
    }

    private static ScenarioMeasurement announce(final ScenarioMeasurement run)
    {
        log("  %.2f s (first output %.2f s), %,.0f records/s; CPU %.2f s/M records, broker %.2f s/M; %s",
            run.seconds(), run.firstOutputSeconds(), run.recordsPerSecond(), run.cpuPerMillion(),
            run.brokerCpuPerMillion(), run.check());
        return run;
    }

    private static void log(final String format, final Object... args)
    {
        System.out.println(LocalTime.now().format(LOG_TIME) + " [e2e] " +
            String.format(Locale.ROOT, format, args));
    }
}
