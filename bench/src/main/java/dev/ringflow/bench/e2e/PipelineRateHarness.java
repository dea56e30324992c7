package dev.ringflow.bench.e2e;

import dev.ringflow.bench.journal.ChronicleFlags;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Topic-to-topic rate of the example JSON pipelines ({@code examples/card-features.yaml},
 * {@code examples/fraud-scoring.yaml}) against the seed sliding-sum pipeline in the same run, for the targets
 * "card-features >= 0.8x the seed's rate" and "fraud-scoring >= 0.7x the seed's rate", with the bound of any pipeline
 * over the JSON input: {@link PassThroughMain} (exactly-once and plain) forwarding it unchanged, and the bound of
 * each pipeline: the exactly-once pass-through padded to write as many bytes as that pipeline ({@link OutputBytes}).
 * <ol>
 *   <li>Starts the broker as a child JVM ({@code java -jar ringflow.jar broker}), preloads N integers over 1,000
 *       keys into {@code my-topic} (as {@link EndToEndHarness} does) and N generated card transactions
 *       ({@link TransactionInput}), every topic with 3 partitions.</li>
 *   <li>Per round: the seed pipeline, then the JSON pass-throughs, then each JSON pipeline, each in a fresh JVM
 *       ({@code ringflow run} with the default configuration: journal, exactly-once) with its own group and output
 *       topics: timed from the launch until its group has committed the whole input; its CPU from {@code /proc}.
 *       Then its outputs are checked: the seed's against the sliding-sum oracle, the others by count
 *       ({@link JsonPipeline#check}).</li>
 *   <li>Writes {@code results.md} (every run, each pipeline's rate over the seed's and over the exactly-once JSON
 *       pass-through's in the same round and the medians of those ratios, the targets, the command, the machine)
 *       and the JVMs' logs, and prints it.</li>
 * </ol>
 * Run from the repository root after {@code mvn -q -B -DskipTests install}:
 * <pre>
 * java &lt;Chronicle flags&gt; -cp bench/target/benchmarks.jar dev.ringflow.bench.e2e.PipelineRateHarness [--records N] ...
 * </pre>
 * Exits 0 when every run finished and its output check passed, 1 otherwise, 2 on bad usage.
 */
public final class PipelineRateHarness
{
    static final String SEED = "seed-sliding-sum";
    static final String USAGE = String.join(System.lineSeparator(),
        "Usage: PipelineRateHarness [--records N] [--pipelines LIST] [--repeat N] [--out DIR] [--jar FILE]",
        "  --records N       input records of every pipeline (default 10000000; at 2 M, start-up and JIT " +
            "warm-up dominate)",
        "  --pipelines LIST  comma-separated JSON pipelines of examples/, run after the seed in every round, and " +
            JsonPipeline.PASS_THROUGH + " (its eos and plain pass-throughs, run right after the seed), " +
            JsonPipeline.BYTES_PASS_THROUGH + " (the eos pass-through padded to the bytes of card-features " +
            "and of fraud-scoring) (default " + JsonPipeline.PASS_THROUGH + "," + JsonPipeline.BYTES_PASS_THROUGH +
            ",card-features,fraud-scoring)",
        "  --repeat N        rounds: the seed, then each pipeline; ratios are taken within a round (default 3)",
        "  --out DIR         results directory (default bench/results/pipelines-<date>)",
        "  --jar FILE        the ringflow jar (default " + HarnessOptions.DEFAULT_JAR + ")");
    private static final String TAG = "pipelines";

    private final Options options;
    private final String command;
    private final MachineActivity activity = MachineActivity.begin();
    private final Set<Long> ownPids = new HashSet<>();

    /** The command line. */
    record Options(long records, List<JsonPipeline> pipelines, int repeat, Path outDir, Path jar)
    {
        /**
         * @return null when {@code --help} was asked for.
         * @throws IllegalArgumentException naming the bad argument.
         */
        static Options parse(final String[] args)
        {
            long records = 10_000_000;
            List<JsonPipeline> pipelines = JsonPipeline.DEFAULTS;
            int repeat = 3;
            Path outDir = Path.of("bench", "results", "pipelines-" + LocalDate.now());
            Path jar = HarnessOptions.DEFAULT_JAR;
            for (int i = 0; i < args.length; i++)
            {
                final String arg = args[i];
                switch (arg)
                {
                    case "--records" -> records = HarnessOptions.parsePositive(arg, HarnessOptions.value(args, ++i,
                        arg));
                    case "--pipelines" -> pipelines = JsonPipeline.parseList(HarnessOptions.value(args, ++i, arg));
                    case "--repeat" -> repeat = (int)Math.min(1_000, HarnessOptions.parsePositive(arg,
                        HarnessOptions.value(args, ++i, arg)));
                    case "--out" -> outDir = Path.of(HarnessOptions.value(args, ++i, arg));
                    case "--jar" -> jar = Path.of(HarnessOptions.value(args, ++i, arg));
                    case "--help", "-h" ->
                    {
                        return null;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            return new Options(records, pipelines, repeat, outDir, jar);
        }
    }

    private PipelineRateHarness(final Options options, final String command)
    {
        this.options = options;
        this.command = command;
    }

    public static void main(final String[] args)
    {
        HarnessOptions.runMain("PipelineRateHarness", USAGE, args, Options::parse,
            options -> new PipelineRateHarness(options, SoakHarness.command(PipelineRateHarness.class, args))::run);
    }

    /** @return true when every run finished and passed its output check. */
    private boolean run() throws IOException, InterruptedException
    {
        final EndToEndHarness.RunSetup setup = EndToEndHarness.RunSetup.create(options.jar(), "install",
            options.outDir(), "ringflow-pipelines-");
        final ProcessCpu cpu = ProcessCpu.create();
        final List<PipelineRateReport.Run> runs = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        try (ChildJvm broker = EndToEndHarness.launchBroker(options.jar(), setup.logDir(), ownPids))
        {
            final EndToEndHarness.SeedInput seed = EndToEndHarness.preloadSeedInput(broker, options.records(),
                HarnessOptions.DEFAULT_KEYS, TAG);
            final String servers = seed.servers();
            notes.add(seed.preloadNote());
            final List<String> inputTopics = options.pipelines().stream().map(JsonPipeline::inputTopic).distinct()
                .toList();
            log("preloading %,d generated transactions into %s", options.records(), String.join(", ", inputTopics));
            final TransactionInput.Counts transactions = TransactionInput.preload(servers, options.jar(),
                options.records(), inputTopics, setup.logDir().resolve("generator.log"));
            notes.add(transactions.rateNote());
            log("%s Computing the seed's expected outputs", transactions.rateNote());
            final Map<JsonPipeline, OutputBytes.PerInput> sizes = sizePassThroughs(transactions, setup, notes);
            final ScenarioRunner seedRunner = EndToEndHarness.seedRunner(broker, cpu, options.jar(), setup, seed);
            for (int round = 1; round <= options.repeat(); round++)
            {
                log("round %d of %d: %s", round, options.repeat(), SEED);
                runs.add(announce(measureSeed(seedRunner, round)));
                for (final JsonPipeline pipeline : options.pipelines())
                {
                    log("round %d of %d: %s", round, options.repeat(), pipeline.key());
                    runs.add(announce(measure(pipeline, round, servers, broker, cpu, transactions, setup,
                        null == sizes.get(pipeline) ? 0 : sizes.get(pipeline).appendBytes())));
                }
            }
            broker.stop();
        }
        finally
        {
            ChronicleFlags.delete(setup.workDir());
        }
        final PipelineRateReport report = new PipelineRateReport(runs, options.pipelines(), options.repeat());
        final String document = document(setup.started(), report, notes, cpu.ticksPerSecond());
        EndToEndHarness.writeResults(options.outDir(), document);
        return runs.stream().allMatch(PipelineRateReport.Run::passed);
    }

    private PipelineRateReport.Run measureSeed(final ScenarioRunner runner, final int round)
        throws IOException, InterruptedException
    {
        try
        {
            final ScenarioMeasurement run = runner.measure(Scenario.DEFAULT, round, ownPids::add);
            return new PipelineRateReport.Run(SEED, round, run.records(), run.seconds(), run.firstOutputSeconds(),
                run.cpuSeconds(), run.brokerCpuSeconds(), (run.checkPassed() ? "" : "FAILED: ") + run.check(),
                run.checkPassed());
        }
        catch (final IllegalStateException ex)
        {
            return PipelineRateReport.Run.failed(SEED, round, options.records(), ex);
        }
    }

    /** One run of {@code pipeline}: its topics created, timed, its outputs counted, its topics deleted. */
    private PipelineRateReport.Run measure(final JsonPipeline pipeline, final int round, final String servers,
        final ChildJvm broker, final ProcessCpu cpu, final TransactionInput.Counts input,
        final EndToEndHarness.RunSetup setup, final int appendBytes) throws IOException, InterruptedException
    {
        final JsonPipeline.Run run = pipeline.names(round, setup.workDir(), setup.logDir());
        try (GroupOffsets offsets = new GroupOffsets(servers))
        {
            offsets.createTopics(run.topics(), EndToEndHarness.PARTITIONS);
            pipeline.writePipelineFile(run);
            final List<String> args = pipeline.daemonArgs(run, options.jar(), servers, appendBytes);
            final ScenarioRunner.Timed timed = ScenarioRunner.timeRun(servers, broker, cpu, offsets, run.group(),
                input.ends().get(pipeline.inputTopic()), run.output(), () -> ChildJvm.launch(pipeline.key(),
                    List.of(ChildJvm.LAUNCHER_FLAG), args, run.logFile()), ownPids::add);
            final String check = pipeline.check(input, count(servers, run.output()),
                count(servers, run.deadLetters()), count(servers, run.route()), timed.exitCode());
            offsets.deleteTopics(run.topics());
            ScenarioLauncher.deleteFiles(run.dataDir(), run.pipelineFile());
            return new PipelineRateReport.Run(pipeline.key(), round, input.records(), timed.seconds(),
                timed.firstOutputSeconds(), timed.childCpu(), timed.brokerCpu(), check, !check.startsWith("FAILED"));
        }
        catch (final IllegalStateException ex)
        {
            return PipelineRateReport.Run.failed(pipeline.key(), round, input.records(), ex);
        }
    }

    /**
     * For each pass-through padded to a pipeline's bytes: that pipeline's bytes per input, from its file run in
     * memory over the first records of its input; a sentence per pipeline goes into {@code notes}.
     */
    private Map<JsonPipeline, OutputBytes.PerInput> sizePassThroughs(final TransactionInput.Counts transactions,
        final EndToEndHarness.RunSetup setup, final List<String> notes) throws IOException
    {
        final Map<JsonPipeline, OutputBytes.PerInput> sizes = new EnumMap<>(JsonPipeline.class);
        for (final JsonPipeline passThrough : options.pipelines())
        {
            final JsonPipeline pipeline = passThrough.bytesOf();
            if (null == pipeline)
            {
                continue;
            }
            final JsonPipeline.Run run = pipeline.names(0, setup.workDir(), setup.logDir());
            pipeline.writePipelineFile(run);
            final List<ProducerRecord<byte[], byte[]>> sample = transactions.samples().get(pipeline.inputTopic());
            final OutputBytes.PerInput size = OutputBytes.measure(run.pipelineFile(), sample);
            ScenarioLauncher.deleteFiles(run.dataDir(), run.pipelineFile());
            sizes.put(passThrough, size);
            notes.add(String.format(Locale.ROOT, "In memory over the first %,d records of its input, %s read %.1f " +
                "bytes (key + value) and wrote %.1f per input record, in %.3f records, so `%s` appends %d bytes " +
                "to each value.", sample.size(), pipeline.key(), size.inputBytes(), size.outputBytes(),
                size.records(), passThrough.key(), size.appendBytes()));
        }
        return sizes;
    }

    /** @return the records {@code topic} holds, as a {@code read_committed} consumer sees them. */
    private static long count(final String servers, final String topic)
    {
        return OutputTopicReader.forEach(servers, topic, record -> { });
    }

    private String document(final String started, final PipelineRateReport report, final List<String> notes,
        final long ticksPerSecond)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# JSON pipelines against the seed, topic to topic\n\n```bash\n").append(command)
            .append("\n```\n\n");
        out.append(String.format(Locale.ROOT, "Input of every pipeline: %,d records in a topic of %d partitions on " +
            "a single-node broker in its own JVM (`java %s -jar ringflow.jar broker`). The seed (`examples/%s.yaml`) " +
            "reads integers 0..99 as text over %,d keys in `%s`; `fraud-scoring` reads the transactions of " +
            "`ringflow produce --generator transactions --seed %d` (500 cards) without their last field, `fx`, in " +
            "`%s`; `card-features` and the JSON pass-throughs read them as generated, with `fx` (the rate to euros " +
            "of the transaction's country: card-features computes `amount * fx`), in `%s`. %s%n%n", options.records(),
            EndToEndHarness.PARTITIONS, ChildJvm.LAUNCHER_FLAG, SEED, HarnessOptions.DEFAULT_KEYS,
            EndToEndHarness.INPUT_TOPIC, TransactionInput.SEED, TransactionInput.TOPIC, TransactionInput.FX_TOPIC,
            String.join(" ", notes)));
        out.append("## Against the seed (").append(options.repeat()).append(options.repeat() == 1 ? " round" :
            " rounds").append(")\n\n").append(report.summaryTable()).append('\n');
        out.append("## Every run\n\n").append(report.runsTable()).append('\n');
        out.append("## How it was measured\n\n");
        out.append("- The seed and every JSON pipeline are `java ").append(ChildJvm.LAUNCHER_FLAG).append(" -jar " +
            "ringflow.jar run --pipeline FILE --journal-dir DIR` in a fresh JVM with default heap and GC and the " +
            "`ringflow` script's JIT thresholds (`" + String.join(" ", ChildJvm.LAUNCHER_JIT_FLAGS) + "`) and " +
            "class-data archive (`-XX:SharedArchiveFile=tools/target/ringflow.jsa`): the " +
            "default configuration (journal, exactly-once), the example file renamed per run (input topic, " +
            "`source.group-id`, output, route and dead-letter topics; model files copied beside it).\n");
        out.append("- `json-pass-through (eos)` and `(plain)` are `PassThroughMain` (`java " + ChildJvm.LAUNCHER_FLAG +
            " -cp benchmarks.jar`, `--exactly-once` or not) on card-features' renamed file: one consumer and one " +
            "producer with the Kafka client settings a daemon of that file would use, forwarding every record of " +
            "its input unchanged to its output topic; eos in transactions committed with the offsets every " +
            "`engine.commit-interval-ms`, plain with flush + `commitSync` per poll. They move the same input " +
            "records as the JSON pipelines with no journal and no processing, so a JSON pipeline's rate over the " +
            "seed's cannot exceed the eos pass-through's rate over the seed's.\n");
        out.append("- `json-pass-through (eos, bytes of <pipeline>)` is the eos pass-through on that pipeline's " +
            "renamed file, appending to each value as many spaces (`--append-bytes`) as the pipeline writes more " +
            "bytes per input than it reads (keys and values over its output, route and dead-letter topics; the input " +
            "paragraph above gives the figures): it writes the pipeline's bytes with no journal and " +
            "no processing, so that pipeline's rate over the seed's cannot exceed its rate over the seed's.\n");
        out.append("- A round runs the seed, then the JSON pass-throughs, then each JSON pipeline in the order of " +
            "`--pipelines`, one after the other; `x seed` is a run's records/s over the seed's in the same round, " +
            "`" + PipelineRateReport.PASS_THROUGH_COLUMN + "` over the eos JSON pass-through's, and the medians " +
            "(and the verdict) take those ratios over the rounds.\n");
        out.append("- Seconds run from the JVM's launch (start-up included) until its group has committed the " +
            "input's end offsets (checked every 20 ms), which with transactions is also when every output is " +
            "visible to `read_committed` consumers; records/s = input records / seconds.\n");
        out.append(String.format(Locale.ROOT, "- CPU: user + system time from `/proc/<pid>/stat` (%d ticks/s) of " +
            "the pipeline's JVM from its start until its input was committed, and of the broker's JVM over the same " +
            "interval, per million input records.%n", ticksPerSecond));
        out.append("- Output checks, read back as `read_committed`: the seed's outputs key by key against the " +
            "expected sliding sums; card-features' output topic holds one record per input passing its filter " +
            "(`amount > 0 and country is not null`, counted while the input was written), its route topic one per " +
            "such input with `amount * fx > 1000`; fraud-scoring's output topic one per input; no dead letters; " +
            "every daemon exited 0 after SIGTERM; a JSON pass-through's output topic one record per input, and it " +
            "exited 0 or 143 after SIGTERM.\n\n");
        EndToEndHarness.appendMachine(out, started, activity, ownPids);
        return out.toString();
    }

    private static PipelineRateReport.Run announce(final PipelineRateReport.Run run)
    {
        log("%s", run.outline());
        return run;
    }

    private static void log(final String format, final Object... args)
    {
        EndToEndHarness.logTagged(TAG, format, args);
    }
}
