package dev.ringflow.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link PipelineRateHarness} runs against the seed over the JSON input, each on its example file renamed per
 * run (input topic, consumer group, output, route and dead-letter topics), with the number of outputs it must write
 * for the input {@link TransactionInput} wrote: the example JSON pipelines as {@code ringflow run}, and the
 * pass-through baselines ({@link PassThroughMain}, exactly-once and plain) that bound any pipeline over that input.
 */
enum JsonPipeline
{
    /** {@code examples/card-features.yaml}: filter, set, drop, key-by, features, route; reads transactions + fx. */
    CARD_FEATURES("card-features", TransactionInput.FX_TOPIC, 0.8, "card-features", "card-features-dead-letters",
        "card-review"),
    /** {@code examples/fraud-scoring.yaml}: key-by, set, features, anomaly, XGBoost score, learn, route. */
    FRAUD_SCORING("fraud-scoring", TransactionInput.TOPIC, 0.7, "fraud-scores", "fraud-scoring-dead-letters",
        "fraud-alerts"),
    /**
     * {@link PassThroughMain} {@code --exactly-once} on card-features' file: its input, every record forwarded
     * unchanged to the sink topic, no journal and no processing; a JSON pipeline's ceiling.
     */
    JSON_PASS_THROUGH_EOS(Scenario.EOS),
    /** {@link PassThroughMain} on card-features' file: the same, flush + {@code commitSync} per poll. */
    JSON_PASS_THROUGH_PLAIN(Scenario.PLAIN),
    /**
     * {@link #JSON_PASS_THROUGH_EOS} writing as many bytes per input as card-features does: each input padded by the
     * difference ({@code --append-bytes}); the ceiling of any exactly-once pipeline that writes card-features' bytes.
     */
    CARD_FEATURES_BYTES(CARD_FEATURES),
    /** The same for fraud-scoring, over its input. */
    FRAUD_SCORING_BYTES(FRAUD_SCORING);

    /** Both pass-throughs on the command line, and the start of their names. */
    static final String PASS_THROUGH = "json-pass-through";
    /** The pass-throughs padded to each pipeline's bytes, on the command line. */
    static final String BYTES_PASS_THROUGH = "json-pass-through-bytes";
    static final List<JsonPipeline> DEFAULTS = List.of(JSON_PASS_THROUGH_EOS, JSON_PASS_THROUGH_PLAIN,
        CARD_FEATURES_BYTES, FRAUD_SCORING_BYTES, CARD_FEATURES, FRAUD_SCORING);
    /** The input topic both example files read. */
    private static final String EXAMPLE_INPUT = "card-transactions";
    private static final Pattern MODEL_LINE = Pattern.compile("(?m)^\\s*model:\\s*(\\S+)\\s*$");

    private final String example;
    private final Scenario passThrough;
    private final String inputTopic;
    private final double target;
    private final String sinkTopic;
    private final String deadLetterTopic;
    private final String routeTopic;
    /** For a pass-through padded to a pipeline's bytes, that pipeline; else null. */
    private final JsonPipeline bytesOf;

    JsonPipeline(final String example, final String inputTopic, final double target, final String sinkTopic,
        final String deadLetterTopic, final String routeTopic)
    {
        this(example, null, inputTopic, target, sinkTopic, deadLetterTopic, routeTopic, null);
    }

    /** A pass-through over card-features' input, group and sink as its file names them; no target. */
    JsonPipeline(final Scenario passThrough)
    {
        this("card-features", passThrough, TransactionInput.FX_TOPIC, Double.NaN, "card-features",
            "card-features-dead-letters", "card-review", null);
    }

    /** The exactly-once pass-through over {@code pipeline}'s input and file, padded to its bytes; no target. */
    JsonPipeline(final JsonPipeline pipeline)
    {
        this(pipeline.example, Scenario.EOS, pipeline.inputTopic, Double.NaN, pipeline.sinkTopic,
            pipeline.deadLetterTopic, pipeline.routeTopic, pipeline);
    }

    JsonPipeline(final String example, final Scenario passThrough, final String inputTopic, final double target,
        final String sinkTopic, final String deadLetterTopic, final String routeTopic, final JsonPipeline bytesOf)
    {
        this.bytesOf = bytesOf;
        this.example = example;
        this.passThrough = passThrough;
        this.inputTopic = inputTopic;
        this.target = target;
        this.sinkTopic = sinkTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.routeTopic = routeTopic;
    }

    /**
     * The name in the report: a pipeline's example name ({@code examples/<key>.yaml}, and the name on the command
     * line), or {@code json-pass-through (eos)} and {@code json-pass-through (plain)}.
     */
    String key()
    {
        if (null != bytesOf)
        {
            return PASS_THROUGH + " (" + passThrough.key() + ", bytes of " + bytesOf.example + ")";
        }
        return isPassThrough() ? PASS_THROUGH + " (" + passThrough.key() + ")" : example;
    }

    /** For a pass-through padded to a pipeline's bytes, that pipeline; else null. */
    JsonPipeline bytesOf()
    {
        return bytesOf;
    }

    /** @return true for the pass-through baselines, false for a pipeline of examples/. */
    boolean isPassThrough()
    {
        return null != passThrough;
    }

    /** Which of {@link TransactionInput}'s topics it reads. */
    String inputTopic()
    {
        return inputTopic;
    }

    /** The target: at least this times the seed pipeline's records/s, topic to topic; NaN for none. */
    double target()
    {
        return target;
    }

    /** The names of one run. */
    record Run(JsonPipeline pipeline, int round, String group, String output, String deadLetters, String route,
        Path pipelineFile, Path dataDir, Path logFile)
    {
        List<String> topics()
        {
            return List.of(output, deadLetters, route);
        }
    }

    Run names(final int round, final Path workDir, final Path logDir)
    {
        final String suffix = (null != bytesOf ? PASS_THROUGH + "-bytes-" + bytesOf.example :
            isPassThrough() ? PASS_THROUGH + "-" + passThrough.key() : example) + "-" + round;
        return new Run(this, round, "e2e-" + suffix, "e2e-out-" + suffix, "e2e-dead-letters-" + suffix,
            "e2e-" + routeTopic + "-" + round, workDir.resolve(suffix + ".yaml"), workDir.resolve("data-" + suffix),
            logDir.resolve(suffix + ".log"));
    }

    /**
     * Writes the run's pipeline file into {@code run.pipelineFile()}'s directory, with the model files the example
     * names (relative to itself) copied beside it.
     */
    void writePipelineFile(final Run run) throws IOException
    {
        final String text = new String(RecoveryTimeHarness.exampleFile(example + ".yaml"), StandardCharsets.UTF_8);
        final Matcher models = MODEL_LINE.matcher(text);
        while (models.find())
        {
            final Path model = run.pipelineFile().resolveSibling(models.group(1));
            if (!Files.exists(model))
            {
                Files.createDirectories(model.getParent());
                Files.write(model, RecoveryTimeHarness.exampleFile(models.group(1)));
            }
        }
        // The dead-letter topic first: its line contains card-features' sink line.
        Files.writeString(run.pipelineFile(), ScenarioLauncher.rewrite(text, "examples/" + example + ".yaml",
            "JsonPipeline", new String[][] {
                { "topics: [" + EXAMPLE_INPUT + "]", "topics: [" + inputTopic + "]\n  group-id: " + run.group() +
                    "\n  start-from: earliest" },
                { "dead-letter-topic: " + deadLetterTopic, "dead-letter-topic: " + run.deadLetters() },
                { "topic: " + sinkTopic, "topic: " + run.output() },
                { "topic: " + routeTopic, "topic: " + run.route() } }), StandardCharsets.UTF_8);
    }

    /**
     * The JVM's command line: a pipeline's daemon in the default configuration (journal, exactly-once), or the
     * pass-through loop ({@code appendBytes} appended to each value when this pads to a pipeline's bytes).
     */
    List<String> daemonArgs(final Run run, final Path ringflowJar, final String servers, final int appendBytes)
    {
        if (isPassThrough())
        {
            final List<String> args = new ArrayList<>(ScenarioLauncher.passThroughArgs(passThrough,
                run.pipelineFile(), servers));
            if (null != bytesOf && appendBytes > 0)
            {
                args.addAll(List.of("--append-bytes", Integer.toString(appendBytes)));
            }
            return args;
        }
        final List<String> args = new ArrayList<>(ScenarioLauncher.ringflowRunArgs(ringflowJar, run.pipelineFile(),
            servers));
        args.addAll(List.of("--journal-dir", run.dataDir().toString()));
        return args;
    }

    /**
     * The output check: every input is accounted for. card-features: the sink holds one record per input that passes
     * its filter, the route one per {@code amount * fx > 1000}; fraud-scoring: the sink one per input; no dead
     * letters; the daemon exited 0 after SIGTERM. A pass-through: the sink holds one record per input; it exited 0
     * or {@value ScenarioRunner#SIGTERM_EXIT} after SIGTERM (no handler of its own).
     *
     * @return the outcome in words, starting with "FAILED: " when the check failed.
     */
    String check(final TransactionInput.Counts input, final long outputs, final long deadLetters, final long routed,
        final int exitCode)
    {
        final long expected = this == CARD_FEATURES ? input.filtered() : input.records();
        final boolean stopped = 0 == exitCode || isPassThrough() && ScenarioRunner.SIGTERM_EXIT == exitCode;
        final List<String> problems = new ArrayList<>();
        if (outputs != expected || 0 == outputs)
        {
            problems.add(String.format(Locale.ROOT, "%,d outputs, expected %,d", outputs, expected));
        }
        if (0 != deadLetters)
        {
            problems.add(String.format(Locale.ROOT, "%,d dead letters", deadLetters));
        }
        if (this == CARD_FEATURES && routed != input.big())
        {
            problems.add(String.format(Locale.ROOT, "%,d on the route topic, expected %,d", routed, input.big()));
        }
        if (!stopped)
        {
            problems.add("exited " + exitCode + " after SIGTERM");
        }
        if (!problems.isEmpty())
        {
            return "FAILED: " + String.join("; ", problems);
        }
        if (isPassThrough())
        {
            return String.format(Locale.ROOT, "%,d outputs = inputs", outputs);
        }
        final boolean filters = this == CARD_FEATURES;
        return String.format(Locale.ROOT, "%,d outputs = inputs%s, 0 dead letters, %,d routed%s", outputs,
            filters ? " passing the filter" : "", routed, filters ? " = amount * fx > 1000" : "");
    }

    /**
     * @param list names separated by commas, e.g. {@code json-pass-through,card-features,fraud-scoring}:
     *             {@value #PASS_THROUGH} stands for both pass-throughs, {@value #BYTES_PASS_THROUGH} for the ones
     *             padded to each pipeline's bytes; pass-throughs come first whatever the order.
     * @throws IllegalArgumentException naming an unknown name.
     */
    static List<JsonPipeline> parseList(final String list)
    {
        final List<JsonPipeline> pipelines = new ArrayList<>();
        for (final String name : list.split(","))
        {
            final String wanted = name.trim().toLowerCase(Locale.ROOT).replaceFirst("\\.yaml$", "");
            final List<JsonPipeline> named = PASS_THROUGH.equals(wanted) ? List.of(JSON_PASS_THROUGH_EOS,
                JSON_PASS_THROUGH_PLAIN) : BYTES_PASS_THROUGH.equals(wanted) ? List.of(CARD_FEATURES_BYTES,
                FRAUD_SCORING_BYTES) : List.of(values()).stream().filter(p -> !p.isPassThrough() &&
                p.example.equals(wanted)).toList();
            if (named.isEmpty())
            {
                throw new IllegalArgumentException("unknown pipeline '" + name + "'; known: " + PASS_THROUGH + ", " +
                    BYTES_PASS_THROUGH + ", " +
                    String.join(", ", List.of(values()).stream().filter(p -> !p.isPassThrough())
                    .map(JsonPipeline::key).toList()));
            }
            named.stream().filter(p -> !pipelines.contains(p)).forEach(pipelines::add);
        }
        // Stable: the pass-throughs run right after the seed, the pipelines in the order given.
        pipelines.sort(Comparator.comparing(p -> !p.isPassThrough()));
        return pipelines;
    }
}
