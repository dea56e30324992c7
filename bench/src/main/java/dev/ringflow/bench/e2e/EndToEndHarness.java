package dev.ringflow.bench.e2e;

import dev.ringflow.bench.journal.ChronicleFlags;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.io.kafka.KafkaClientProperties;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end benchmark: Ringflow's seed sliding-sum pipeline from Kafka topic to Kafka topic, against the plain
 * Kafka clients' ceilings and against the same computation as a Kafka Streams application, all on one embedded
 * broker in this JVM, then Ringflow's latency at fixed offered rates.
 * <ol>
 *   <li>Preloads N records (integers 0..99 as text over K keys) into {@code my-topic}, 3 partitions, with one plain
 *   producer, timed: (p), the ceiling of any job's output rate on this broker.</li>
 *   <li>Throughput, each scenario with its own consumer group and output topic: (a) a plain consumer draining
 *       the topic; (b) a plain consume-produce loop forwarding every record; (c) Ringflow, exactly-once with its
 *       journal (the default) and at-least-once without; (d) Kafka Streams, exactly-once v2 and at-least-once.
 *       The outputs of (c) and (d) are read back and compared, key by key, with each other and with the
 *       expected sliding sums.</li>
 *   <li>Latency of (c), exactly-once and at-least-once, at 10%, 50% and 90% of each one's measured throughput,
 *   corrected for coordinated omission; and of the loop (b) at the at-least-once rates, each straight after
 *   Ringflow's run at that rate, as the baseline of what the broker, the clients and this JVM cost alone.</li>
 *   <li>Writes {@code results.md} and {@code latency.png} to the output directory and prints the tables.</li>
 * </ol>
 * <pre>
 * java -Djava.awt.headless=true --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
 *     --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
 *     --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
 *     -Dchronicle.analytics.disable=true -cp bench/target/benchmarks.jar dev.ringflow.bench.e2e.EndToEndHarness \
 *     [--records N] [--keys K] [--out DIR] [--quick]
 * </pre>
 * Exits 0 when every check passed, 1 when an output check failed or a scenario did not finish, 2 on bad usage.
 */
public final class EndToEndHarness
{
    static final String INPUT_TOPIC = "my-topic";
    static final int PARTITIONS = 3;
    static final String SEED_PIPELINE = "seed-sliding-sum.yaml";
    private static final int[] LATENCY_PERCENTS = { 10, 50, 90 };
    /** How the tables and the plot name the latency baseline. */
    static final String FORWARD_LOOP = "(b) forward loop, at-least-once rates";
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final HarnessOptions options;
    private final List<String> notes = new ArrayList<>();

    private EndToEndHarness(final HarnessOptions options)
    {
        this.options = options;
    }

    public static void main(final String[] args)
    {
        System.setProperty("java.awt.headless", "true");
        // Streams warns that its state directory is under the OS temp directory (it is, on purpose: a throw-away
        // run) and about a handler for global state it does not have; -D on the command line still overrides.
        quietLogger("org.apache.kafka.streams.processor.internals.StateDirectory");
        quietLogger("org.apache.kafka.streams.StreamsConfig");
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
            passed = new EndToEndHarness(options).run();
        }
        catch (final IOException | RuntimeException ex)
        {
            // A scenario failed or timed out; exit rather than wait for client threads that may linger.
            ex.printStackTrace();
        }
        System.exit(passed ? 0 : 1);
    }

    /**
     * @return true when every output check passed.
     */
    private boolean run() throws IOException
    {
        final PipelineSpec seed = loadSeedPipeline();
        final InputSequence input = new InputSequence(options.records(), options.keys());
        final List<ScenarioResult> results = new ArrayList<>();
        final List<LatencyRun.Result> latencies = new ArrayList<>();
        final String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        final Path workDir = Files.createTempDirectory("ringflow-e2e-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
            new EmbeddedKafkaBroker.Context().autoCreateTopics(false)))
        {
            final String servers = broker.bootstrapServers();
            log("broker on %s; preloading %,d records over %,d keys into %s", servers, options.records(),
                options.keys(), INPUT_TOPIC);
            broker.createTopic(INPUT_TOPIC, PARTITIONS);
            final ScenarioResult written = PlainKafkaScenarios.preload(servers, INPUT_TOPIC, input);
            final Map<TopicPartition, Long> inputEnds;
            try (GroupOffsets offsets = new GroupOffsets(servers))
            {
                inputEnds = offsets.endOffsets(INPUT_TOPIC);
            }
            if (GroupOffsets.sum(inputEnds) != options.records())
            {
                throw new IllegalStateException(INPUT_TOPIC + " holds " + GroupOffsets.sum(inputEnds) +
                    " records after preloading " + options.records());
            }
            results.add(announce(written.withCheck(String.format(Locale.ROOT, "%,d records in %s (end offsets)",
                GroupOffsets.sum(inputEnds), INPUT_TOPIC), true)));
            log("computing the expected outputs");
            final KeyedSequences expected = KeyedSequences.expectedSlidingSums(input);

            results.add(announce(PlainKafkaScenarios.drain(servers, INPUT_TOPIC, options.records())));
            broker.createTopic("forward-out", PARTITIONS);
            final ScenarioResult ceiling = announce(PlainKafkaScenarios.checkForwarded(
                PlainKafkaScenarios.forward(servers, INPUT_TOPIC, "forward-out", options.records()), servers,
                "forward-out"));
            results.add(ceiling);

            final Checked ringflow = runRingflow(broker, seed, workDir, true, inputEnds, expected);
            results.add(ringflow.result());
            final ScenarioResult atLeastOnce = runRingflow(broker, seed, workDir, false, inputEnds, expected).result();
            results.add(atLeastOnce);
            results.add(runStreams(broker, workDir, StreamsConfig.EXACTLY_ONCE_V2, inputEnds, expected,
                ringflow.contents()));
            results.add(runStreams(broker, workDir, StreamsConfig.AT_LEAST_ONCE, inputEnds, expected,
                ringflow.contents()));

            final LatencyRun latencyRun = new LatencyRun(servers, input);
            final List<LatencyRun.Result> forwardLatencies = new ArrayList<>();
            for (final boolean exactlyOnce : new boolean[] { true, false })
            {
                final double ringflowRate = (exactlyOnce ? ringflow.result() : atLeastOnce).recordsPerSecond();
                final String mode = exactlyOnce ? "eo" : "alo";
                final String delivery = exactlyOnce ? "exactly-once" : "at-least-once";
                for (final int percent : LATENCY_PERCENTS)
                {
                    final long rate = Math.max(1, Math.round(ringflowRate * percent / 100));
                    final String in = "latency-in-" + mode + "-" + percent;
                    final String out = "latency-out-" + mode + "-" + percent;
                    broker.createTopic(in, PARTITIONS);
                    broker.createTopic(out, PARTITIONS);
                    log("latency (%s) at %d%% of Ringflow's throughput: %,d records/s for %d s", delivery, percent,
                        rate, options.latencyTime().toSeconds());
                    final PipelineSpec retargeted = RingflowScenario.retarget(seed, in, out, "ringflow-latency-" +
                        mode + "-" + percent).withBootstrapServers(servers)
                        .withJournalDir(RingflowScenario.journalDirName(workDir, "latency-" + mode + "-" + percent));
                    final PipelineSpec pipeline = exactlyOnce ? retargeted : retargeted.withoutJournal();
                    latencies.add(logged(latencyRun.run(delivery, percent, rate, options.latencyTime(),
                        () -> LatencyRun.ringflow(pipeline), in, out)));
                    if (!exactlyOnce)
                    {
                        // The baseline at the same rate, straight after, so both see the same machine.
                        final String forwardIn = "latency-in-forward-" + percent;
                        final String forwardOut = "latency-out-forward-" + percent;
                        broker.createTopic(forwardIn, PARTITIONS);
                        broker.createTopic(forwardOut, PARTITIONS);
                        log("latency of the forward loop (b) at the same rate");
                        forwardLatencies.add(logged(latencyRun.run(FORWARD_LOOP, percent, rate,
                            options.latencyTime(), () -> ForwardLoop.start(servers, forwardIn, forwardOut,
                                "e2e-latency-forward-" + percent), forwardIn, forwardOut)));
                    }
                }
            }
            latencies.addAll(forwardLatencies);
            addNotes(ringflow.result(), atLeastOnce, latencies);

            final boolean passed = results.stream().allMatch(ScenarioResult::checkPassed) &&
                latencies.stream().allMatch(r -> r.received() == r.expected() && r.timestampMismatches() == 0);
            writeResults(started, results, ceiling, latencies);
            System.out.println();
            System.out.println(ResultsReport.throughputTable(results, ceiling));
            System.out.println(ResultsReport.latencyTable(latencies));
            System.out.println("Results written to " + options.outDir().toAbsolutePath().normalize());
            return passed;
        }
        finally
        {
            ChronicleFlags.delete(workDir);
        }
    }

    private static LatencyRun.Result logged(final LatencyRun.Result result)
    {
        log("  p50 %.2f ms, p99 %.2f ms, max %.2f ms; %,d of %,d outputs", result.percentileMs(50),
            result.percentileMs(99), result.maxMs(), result.received(), result.expected());
        return result;
    }

    /** A scenario's result, checked, with what its output topic held. */
    private record Checked(ScenarioResult result, OutputTopicReader.Contents contents)
    {
    }

    private Checked runRingflow(final EmbeddedKafkaBroker broker, final PipelineSpec seed, final Path workDir,
        final boolean journal, final Map<TopicPartition, Long> inputEnds, final KeyedSequences expected)
    {
        final String label = journal ? "exactly-once" : "at-least-once";
        final String output = "ringflow-" + label + "-out";
        broker.createTopic(output, PARTITIONS);
        PipelineSpec spec = RingflowScenario.retarget(seed, INPUT_TOPIC, output, "ringflow-" + label)
            .withBootstrapServers(broker.bootstrapServers());
        spec = journal ? spec.withJournalDir(RingflowScenario.journalDirName(workDir, label)) : spec.withoutJournal();
        final String name = "(c) Ringflow, " + (journal ? "exactly-once, Chronicle journal (default)" :
            "at-least-once, no journal");
        log("running %s", name);
        final ScenarioResult result = RingflowScenario.run(name, spec, broker.bootstrapServers(), inputEnds);
        final OutputTopicReader.Contents contents = OutputTopicReader.read(broker.bootstrapServers(), output,
            options.keys(), options.records());
        return new Checked(announce(check(result, contents, expected, null, null)), contents);
    }

    private ScenarioResult runStreams(final EmbeddedKafkaBroker broker, final Path workDir, final String guarantee,
        final Map<TopicPartition, Long> inputEnds, final KeyedSequences expected,
        final OutputTopicReader.Contents ringflowOutput) throws IOException
    {
        final boolean exactlyOnce = StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee);
        final String label = exactlyOnce ? "exactly-once" : "at-least-once";
        final String output = "streams-" + label + "-out";
        broker.createTopic(output, PARTITIONS);
        final String name = "(d) Kafka Streams, " + (exactlyOnce ? "exactly_once_v2" : "at_least_once") +
            ", RocksDB store";
        log("running %s", name);
        final Path stateDir = Files.createDirectories(workDir.resolve("streams-" + label));
        final ScenarioResult result = KafkaStreamsSlidingSum.run(name, broker.bootstrapServers(), INPUT_TOPIC, output,
            "streams-" + label, guarantee, stateDir, inputEnds);
        final OutputTopicReader.Contents contents = OutputTopicReader.read(broker.bootstrapServers(), output,
            options.keys(), options.records());
        return announce(check(result, contents, expected, ringflowOutput, "Ringflow (exactly-once)"));
    }

    /**
     * Checks an output topic against the expected sliding sums and, when given, against another pipeline's output.
     */
    private static ScenarioResult check(final ScenarioResult result, final OutputTopicReader.Contents contents,
        final KeyedSequences expected, final OutputTopicReader.Contents other, final String otherName)
    {
        if (contents.unparseable() > 0)
        {
            return result.withCheck(contents.unparseable() + " of " + contents.records() +
                " outputs have an unexpected key or a non-integer value", false);
        }
        final String fromExpected = contents.sequences().firstDifference(expected);
        if (null != fromExpected)
        {
            return result.withCheck("differs from the expected sums: " + fromExpected, false);
        }
        if (null != other)
        {
            final String fromOther = contents.sequences().firstDifference(other.sequences());
            if (null != fromOther)
            {
                return result.withCheck("differs from " + otherName + ": " + fromOther, false);
            }
            return result.withCheck(String.format(Locale.ROOT, "%,d outputs = expected sums = %s, per key",
                contents.records(), otherName), true);
        }
        return result.withCheck(String.format(Locale.ROOT, "%,d outputs = expected sums, per key",
            contents.records()), true);
    }

    private PipelineSpec loadSeedPipeline() throws IOException
    {
        final Path file = Path.of("examples", SEED_PIPELINE);
        if (Files.isRegularFile(file))
        {
            notes.add("Pipeline: `" + file + "`, with its source group, sink topic and dead-letter topic renamed per " +
                "scenario.");
            return PipelineFile.load(file);
        }
        // Run from outside a checkout: the tools jar (shaded into benchmarks.jar) ships the example pipelines.
        try (InputStream in = EndToEndHarness.class.getResourceAsStream("/examples/" + SEED_PIPELINE))
        {
            if (null == in)
            {
                throw new IllegalStateException("cannot find " + file + " (run from the repository root)");
            }
            notes.add("Pipeline: the `examples/" + SEED_PIPELINE + "` shipped in the jar, with its source group, " +
                "sink topic and dead-letter topic renamed per scenario.");
            return PipelineFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                "examples/" + SEED_PIPELINE, "seed-sliding-sum");
        }
    }

    private void addNotes(final ScenarioResult ringflow, final ScenarioResult atLeastOnce,
        final List<LatencyRun.Result> latencies)
    {
        notes.add(String.format(Locale.ROOT, "Plain clients (a) and (b) use Ringflow's client settings: consumers " +
            "fetch up to %,d records per poll with a %d ms fetch wait; producers are idempotent, `acks=all`, " +
            "`linger.ms=%d`, `batch.size=%d`. (b) keeps key, value and timestamp and partitions by key, as " +
            "Ringflow does.", KafkaClientProperties.DEFAULT_MAX_POLL_RECORDS,
            KafkaClientProperties.DEFAULT_FETCH_MAX_WAIT_MS, KafkaClientProperties.DEFAULT_LINGER_MS,
            KafkaClientProperties.DEFAULT_BATCH_SIZE));
        notes.add("Kafka Streams " + org.apache.kafka.common.utils.AppInfoParser.getVersion() + ": `processValues` " +
            "with a persistent (RocksDB, changelogged, cached) key-value store of each key's last 5 values; one " +
            "stream thread (the default); `commit.interval.ms=100` for both guarantees, like Ringflow's " +
            "`engine.commit-interval-ms` (the at-least-once default is 30 s).");
        notes.add("Latency: outputs carry only the input's key and Kafka timestamp (ms), not its headers, so outputs " +
            "are matched to inputs by key and per-key order (keys round-robin); both ends are timed with " +
            "`System.nanoTime()` in this JVM, so latencies have microsecond resolution. The latency producer " +
            "lingers " + LatencyRun.LINGER_MS + " ms. One priming record per key runs through first and is not " +
            "measured. Then the schedule runs " + LatencyRun.WARM_UP.toSeconds() + " s at the offered rate before " +
            "the measured part, without a break: a freshly started pipeline stalls for a few hundred ms when load " +
            "first arrives; that stall is the warm-up max column, the percentiles are the steady state after it.");
        notes.add(String.format(Locale.ROOT, "Offered rates are shares of each delivery's throughput in the table " +
            "above (start-up included): exactly-once %,.0f, at-least-once %,.0f records/s. The forward loop (b) " +
            "runs at the at-least-once rates, each straight after Ringflow's run at that rate: the latency of " +
            "moving records through this broker, these clients and this JVM with no processing at all.",
            ringflow.recordsPerSecond(), atLeastOnce.recordsPerSecond()));
        final long mismatches = latencies.stream().mapToLong(LatencyRun.Result::timestampMismatches).sum();
        notes.add(mismatches == 0 ? "Every latency output's timestamp equals its matched input's intended send " +
            "time (ms), which confirms the matching." : "WARNING: " + mismatches + " latency outputs have a " +
            "timestamp other than their matched input's: the matching is wrong.");
        notes.add("Everything (broker, clients, engine, Streams) shares this JVM and the machine's cores; only one " +
            "scenario runs at a time.");
    }

    private void writeResults(final String started, final List<ScenarioResult> results, final ScenarioResult ceiling,
        final List<LatencyRun.Result> latencies) throws IOException
    {
        Files.createDirectories(options.outDir());
        final String environment = String.format(Locale.ROOT, "Run %s; %d cores; JDK %s (%s); max heap %,d MiB.",
            started, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
            System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20);
        Files.writeString(options.outDir().resolve("results.md"),
            ResultsReport.document(options, environment, results, ceiling, latencies, notes), StandardCharsets.UTF_8);
        LatencyPlot.write(latencies, "Ringflow seed sliding sum, end-to-end latency (read_committed consumer)",
            options.outDir().resolve("latency.png"));
    }

    private static void quietLogger(final String name)
    {
        final String property = "org.slf4j.simpleLogger.log." + name;
        if (null == System.getProperty(property))
        {
            System.setProperty(property, "error");
        }
    }

    private static ScenarioResult announce(final ScenarioResult result)
    {
        log("  %s: %.2f s (start-up %.2f s), %,.0f records/s; %s", result.name(), result.seconds(),
            result.startupSeconds(), result.recordsPerSecond(), result.check());
        return result;
    }

    private static void log(final String format, final Object... args)
    {
        System.out.println(LocalTime.now().format(LOG_TIME) + " [e2e] " +
            String.format(Locale.ROOT, format, args));
    }
}
