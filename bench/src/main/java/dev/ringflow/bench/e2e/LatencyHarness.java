package dev.ringflow.bench.e2e;

import dev.ringflow.bench.journal.ChronicleFlags;
import dev.ringflow.engine.pipeline.EngineSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Topic-to-topic latency at a fixed offered rate, every part in a JVM of its own as {@link EndToEndHarness} runs
 * them: the broker ({@code java -jar ringflow.jar broker}), each scenario ({@code ringflow.jar run} on the seed
 * sliding-sum pipeline, or a pass-through loop) reading a fresh input topic, and in this JVM a producer sending on
 * a steady schedule and a {@code read_committed} consumer of the output, which records each output's latency from
 * its input's <em>intended</em> send time into an HdrHistogram (coordinated omission corrected; see
 * {@link LatencyRun}).
 * <p>
 * The offered rate is {@code --percent} of {@code --max-rate}, the same for every scenario, so that they carry the
 * same load; pass the rate {@link EndToEndHarness} measured on this machine (its plain pass-through or Ringflow's
 * default, records/s).
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.ringflow.bench.e2e.LatencyHarness [--max-rate N] [--percent 10,50] ...
 * </pre>
 * Exits 0 when every scheduled record's output arrived with its input's timestamp, 1 otherwise, 2 on bad usage.
 */
public final class LatencyHarness
{
    private static final String TAG = "latency";
    /** The 10 M runs of 2026-12-06 here: plain pass-through 575 k/s, Ringflow default 609 k/s. */
    static final long DEFAULT_MAX_RATE = 600_000;
    static final List<Scenario> DEFAULT_SCENARIOS = List.of(Scenario.PLAIN, Scenario.EOS, Scenario.DEFAULT,
        Scenario.ALO);
    /**
     * Offered load before the measured part: a JVM launched for the run compiles its hot paths (and the Kafka
     * clients') for its first 10-15 s at these rates, and that is start-up, not the steady state.
     */
    static final long DEFAULT_WARM_UP_SECONDS = 20;
    static final double TARGET_P99_MS = 5;
    static final double TARGET_P999_MS = 20;
    /** The seed pipeline's commit interval: it sets none, so the engine's default. */
    static final long SEED_COMMIT_INTERVAL_MS = EngineSpec.DEFAULT_COMMIT_INTERVAL_MS;

    static final String USAGE = String.join(System.lineSeparator(),
        "Usage: LatencyHarness [--max-rate N] [--percent LIST] [--seconds S] [--warm-up S] [--scenarios LIST]",
        "                      [--keys K] [--commit-interval-ms N] [--out DIR] [--jar FILE]",
        "  --max-rate N      the maximum rate, records/s, that the offered rates are a percentage of (default " +
            DEFAULT_MAX_RATE + ": the end-to-end harness's 10 M records here)",
        "  --percent LIST    offered rates as percentages of --max-rate, comma-separated (default 50)",
        "  --seconds S       measured seconds per rate and scenario (default 10)",
        "  --warm-up S       seconds of offered load before the measured part, reported as their worst latency " +
            "(default " + DEFAULT_WARM_UP_SECONDS + ")",
        "  --scenarios LIST  comma-separated (default " +
            String.join(",", DEFAULT_SCENARIOS.stream().map(Scenario::key).toList()) + "); also no-journal",
        "  --keys K          distinct keys (default " + HarnessOptions.DEFAULT_KEYS + ")",
        "  --commit-interval-ms N  engine.commit-interval-ms of every scenario's pipeline file: how often Ringflow " +
            "and the exactly-once loop commit (default: the seed pipeline's, " + SEED_COMMIT_INTERVAL_MS + ")",
        "  --out DIR         results directory (default bench/results/latency-<date>)",
        "  --jar FILE        the ringflow jar (default " + HarnessOptions.DEFAULT_JAR + ")");

    /** The command line. */
    record Options(long maxRate, List<Integer> percents, Duration duration, Duration warmUp,
        List<Scenario> scenarios, int keys, long commitIntervalMs, Path outDir, Path jar)
    {
        /** @return null for {@code --help}. @throws IllegalArgumentException naming the bad argument. */
        static Options parse(final String[] args)
        {
            long maxRate = DEFAULT_MAX_RATE;
            List<Integer> percents = List.of(50);
            long seconds = 10;
            long warmUpSeconds = DEFAULT_WARM_UP_SECONDS;
            List<Scenario> scenarios = DEFAULT_SCENARIOS;
            int keys = HarnessOptions.DEFAULT_KEYS;
            long commitIntervalMs = SEED_COMMIT_INTERVAL_MS;
            Path outDir = Path.of("bench", "results", "latency-" + LocalDate.now());
            Path jar = HarnessOptions.DEFAULT_JAR;
            for (int i = 0; i < args.length; i++)
            {
                final String arg = args[i];
                switch (arg)
                {
                    case "--max-rate" -> maxRate = HarnessOptions.parsePositive(arg, HarnessOptions.value(args, ++i,
                        arg));
                    case "--percent" -> percents = percents(arg, HarnessOptions.value(args, ++i, arg));
                    case "--seconds" -> seconds = Math.min(3_600, HarnessOptions.parsePositive(arg,
                        HarnessOptions.value(args, ++i, arg)));
                    case "--warm-up" -> warmUpSeconds = Math.min(3_600, HarnessOptions.parsePositive(arg,
                        HarnessOptions.value(args, ++i, arg)));
                    case "--scenarios" -> scenarios = Scenario.parseList(HarnessOptions.value(args, ++i, arg));
                    case "--keys" -> keys = (int)Math.min(100_000, HarnessOptions.parsePositive(arg,
                        HarnessOptions.value(args, ++i, arg)));
                    case "--commit-interval-ms" -> commitIntervalMs = Math.min(3_600_000,
                        HarnessOptions.parsePositive(arg, HarnessOptions.value(args, ++i, arg)));
                    case "--out" -> outDir = Path.of(HarnessOptions.value(args, ++i, arg));
                    case "--jar" -> jar = Path.of(HarnessOptions.value(args, ++i, arg));
                    case "--help", "-h" ->
                    {
                        return null;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            for (final Scenario scenario : scenarios)
            {
                if (scenario == Scenario.STREAMS || scenario == Scenario.STREAMS_ALO)
                {
                    throw new IllegalArgumentException("--scenarios: " + scenario.key() + " is not measured for " +
                        "latency (Kafka Streams' sliding sum keys its outputs by window)");
                }
            }
            return new Options(maxRate, percents, Duration.ofSeconds(seconds), Duration.ofSeconds(warmUpSeconds),
                scenarios, keys, commitIntervalMs, outDir, jar);
        }

        private static List<Integer> percents(final String option, final String text)
        {
            final List<Integer> percents = new ArrayList<>();
            for (final String part : text.split(","))
            {
                final long percent = HarnessOptions.parsePositive(option, part.trim());
                if (percent > 100)
                {
                    throw new IllegalArgumentException(option + " takes percentages from 1 to 100, was " + percent);
                }
                percents.add((int)percent);
            }
            return List.copyOf(percents);
        }
    }

    private final Options options;
    private final String command;
    private final MachineActivity activity = MachineActivity.begin();
    private final Set<Long> ownPids = new HashSet<>();

    private LatencyHarness(final Options options, final String command)
    {
        this.options = options;
        this.command = command;
    }

    public static void main(final String[] args)
    {
        HarnessOptions.runMain("LatencyHarness", USAGE, args, Options::parse,
            options -> new LatencyHarness(options, SoakHarness.command(LatencyHarness.class, args))::run);
    }

    /** The seed pipeline's text committing every {@code commitIntervalMs}; as it is for its own interval. */
    static String withCommitInterval(final String seedText, final long commitIntervalMs)
    {
        if (commitIntervalMs == SEED_COMMIT_INTERVAL_MS)
        {
            return seedText;
        }
        if (seedText.contains("\nengine:"))
        {
            throw new IllegalStateException("the seed pipeline has an engine section now: update " +
                "LatencyHarness.withCommitInterval");
        }
        return seedText + (seedText.endsWith("\n") ? "" : "\n") + "engine:\n  commit-interval-ms: " +
            commitIntervalMs + "\n";
    }

    private boolean run() throws IOException, InterruptedException
    {
        final EndToEndHarness.RunSetup setup = EndToEndHarness.RunSetup.create(options.jar(), "package",
            options.outDir(), "ringflow-latency-");
        final List<LatencyRun.Result> results = new ArrayList<>();
        try (ChildJvm broker = EndToEndHarness.launchBroker(options.jar(), setup.logDir(), ownPids))
        {
            final String servers = EndToEndHarness.awaitBroker(broker);
            log("broker (pid %d) on %s", broker.pid(), servers);
            final ScenarioLauncher launcher = new ScenarioLauncher(servers, options.jar(), setup.workDir(),
                withCommitInterval(RecoveryTimeHarness.seedPipelineText(), options.commitIntervalMs()));
            final LatencyRun latency = new LatencyRun(servers, new InputSequence(0, options.keys()),
                options.warmUp());
            try (GroupOffsets admin = new GroupOffsets(servers))
            {
                for (final int percent : options.percents())
                {
                    final long rate = Math.max(1, options.maxRate() * percent / 100);
                    for (final Scenario scenario : options.scenarios())
                    {
                        final ScenarioLauncher.Run run = launcher.names(scenario, percent, setup.logDir());
                        final String inputTopic = "latency-in-" + scenario.key() + "-" + percent;
                        admin.createTopics(List.of(inputTopic, run.output(), run.deadLetters()),
                            EndToEndHarness.PARTITIONS);
                        log("%s at %d%% (%,d records/s) for %d s", scenario.title(), percent, rate,
                            options.duration().toSeconds());
                        final LatencyRun.Result result = latency.run(scenario.title(), percent, rate,
                            options.duration(), () -> forwarder(launcher, run, inputTopic), inputTopic, run.output());
                        results.add(result);
                        log("%s", outline(result));
                        ScenarioLauncher.deleteFiles(run);
                    }
                }
            }
            broker.stop();
        }
        finally
        {
            ChronicleFlags.delete(setup.workDir());
        }
        EndToEndHarness.writeResults(options.outDir(), document(setup.started(), results));
        return results.stream().allMatch(r -> r.received() == r.expected() && r.timestampMismatches() == 0);
    }

    /** The scenario's JVM, reading {@code inputTopic}, as the run's forwarder: healthy while it runs. */
    private LatencyRun.Forwarder forwarder(final ScenarioLauncher launcher, final ScenarioLauncher.Run run,
        final String inputTopic)
    {
        final ChildJvm jvm;
        try
        {
            jvm = launcher.launch(run, inputTopic);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        ownPids.add(jvm.pid());
        return new LatencyRun.Forwarder()
        {
            @Override
            public void checkHealthy()
            {
                jvm.checkAlive("outputs");
            }

            @Override
            public void close()
            {
                try
                {
                    jvm.stop();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    jvm.close();
                }
            }
        };
    }

    private static String outline(final LatencyRun.Result result)
    {
        return String.format(Locale.ROOT, "%s: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms; %,d of %,d " +
            "outputs; warm-up max %.0f ms; sender lag max %.1f ms", result.delivery(), result.percentileMs(50),
            result.percentileMs(99), result.percentileMs(99.9), result.maxMs(), result.received(), result.expected(),
            result.warmUpMaxMs(), result.maxSendLagMs());
    }

    private String document(final String started, final List<LatencyRun.Result> results)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# Ringflow topic-to-topic latency\n\n```bash\n").append(command).append("\n```\n\n");
        out.append(String.format(Locale.ROOT, "Offered load: %s of %,d records/s, the same for every scenario; " +
            "integers 0..99 as text over %,d keys (`key-0`..), %d s measured after %d s of warm-up, on a " +
            "single-node broker in its own JVM.%n%n", percentList(), options.maxRate(), options.keys(),
            options.duration().toSeconds(), options.warmUp().toSeconds()));
        out.append("| scenario | offered % | records/s | p50 ms | p90 ms | p99 ms | p99.9 ms | p99.99 ms | max ms | " +
            "warm-up max ms | sender lag max ms | outputs | p99 <= 5 ms, p99.9 <= 20 ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (final LatencyRun.Result r : results)
        {
            final boolean met = r.percentileMs(99) <= TARGET_P99_MS && r.percentileMs(99.9) <= TARGET_P999_MS;
            out.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f " +
                "| %.1f | %,d of %,d%s | %s |%n", r.delivery(), r.percent(), r.rate(), r.percentileMs(50),
                r.percentileMs(90), r.percentileMs(99), r.percentileMs(99.9), r.percentileMs(99.99), r.maxMs(),
                r.warmUpMaxMs(), r.maxSendLagMs(), r.received(), r.expected(),
                r.timestampMismatches() == 0 ? "" : ", " + r.timestampMismatches() + " wrong timestamps",
                met ? "met" : "missed"));
        }
        out.append("\n## How it was measured\n\n");
        out.append("- Each scenario is a JVM of its own, launched as `EndToEndHarness` launches it (the seed " +
            "pipeline renamed per run, reading a fresh 3-partition input topic); the broker is another.\n");
        out.append("- In this JVM a producer (linger ").append(LatencyRun.LINGER_MS).append(" ms) sends record s " +
            "at its intended time start + s / rate, keys round-robin; a `read_committed` consumer of the output " +
            "matches each output to its input by key and per-key order and records the time from the input's " +
            "intended send time to the poll that returned the output (HdrHistogram, 3 digits). Charging from the " +
            "schedule corrects for coordinated omission: records that should have been sent during a stall are " +
            "charged the stall.\n");
        out.append("- Before the schedule, one priming record per key goes through and its output is awaited (group " +
            "join, transactions, first fetch); the first ").append(options.warmUp().toSeconds()).append(" s of " +
            "the schedule are warm-up, reported only as their worst latency.\n");
        out.append("- Exactly-once outputs become visible to `read_committed` consumers when their transaction " +
            "commits, every `engine.commit-interval-ms`: " + options.commitIntervalMs() + " ms here" +
            (options.commitIntervalMs() == SEED_COMMIT_INTERVAL_MS ? " (the seed pipeline's)" :
            " (`--commit-interval-ms`; the seed pipeline's is " + SEED_COMMIT_INTERVAL_MS + " ms)") + ".\n\n");
        EndToEndHarness.appendMachine(out, started, activity, ownPids);
        return out.toString();
    }

    private String percentList()
    {
        return String.join("% and ", options.percents().stream().map(String::valueOf).toList()) + "%";
    }

    private static void log(final String format, final Object... args)
    {
        EndToEndHarness.logTagged(TAG, format, args);
    }
}
