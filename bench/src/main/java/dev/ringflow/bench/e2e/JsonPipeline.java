package dev.ringflow.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example JSON pipelines {@link PipelineRateHarness} runs against the seed, each as {@code ringflow run} on its
 * example file renamed per run (input topic, consumer group, output, route and dead-letter topics), with the
 * number of outputs it must write for the input {@link TransactionInput} wrote.
 */
enum JsonPipeline
{
    /** {@code examples/card-features.yaml}: filter, set, drop, key-by, features, route; reads transactions + fx. */
    CARD_FEATURES("card-features", TransactionInput.FX_TOPIC, 0.8, "card-features", "card-features-dead-letters",
        "card-review"),
    /** {@code examples/fraud-scoring.yaml}: key-by, set, features, anomaly, XGBoost score, learn, route. */
    FRAUD_SCORING("fraud-scoring", TransactionInput.TOPIC, 0.7, "fraud-scores", "fraud-scoring-dead-letters",
        "fraud-alerts");

    static final List<JsonPipeline> DEFAULTS = List.of(CARD_FEATURES, FRAUD_SCORING);
    /** The input topic both example files read. */
    private static final String EXAMPLE_INPUT = "card-transactions";
    private static final Pattern MODEL_LINE = Pattern.compile("(?m)^\\s*model:\\s*(\\S+)\\s*$");

    private final String key;
    private final String inputTopic;
    private final double target;
    private final String sinkTopic;
    private final String deadLetterTopic;
    private final String routeTopic;

    JsonPipeline(final String key, final String inputTopic, final double target, final String sinkTopic,
        final String deadLetterTopic, final String routeTopic)
    {
        this.key = key;
        this.inputTopic = inputTopic;
        this.target = target;
        this.sinkTopic = sinkTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.routeTopic = routeTopic;
    }

    /** The example's name: {@code examples/<key>.yaml}, and the name on the command line. */
    String key()
    {
        return key;
    }

    /** Which of {@link TransactionInput}'s topics it reads. */
    String inputTopic()
    {
        return inputTopic;
    }

    /** The target: at least this times the seed pipeline's records/s, topic to topic. */
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
        final String suffix = key + "-" + round;
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
        final String text = new String(RecoveryTimeHarness.exampleFile(key + ".yaml"), StandardCharsets.UTF_8);
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
        Files.writeString(run.pipelineFile(), ScenarioLauncher.rewrite(text, "examples/" + key + ".yaml",
            "JsonPipeline", new String[][] {
                { "topics: [" + EXAMPLE_INPUT + "]", "topics: [" + inputTopic + "]\n  group-id: " + run.group() +
                    "\n  start-from: earliest" },
                { "dead-letter-topic: " + deadLetterTopic, "dead-letter-topic: " + run.deadLetters() },
                { "topic: " + sinkTopic, "topic: " + run.output() },
                { "topic: " + routeTopic, "topic: " + run.route() } }), StandardCharsets.UTF_8);
    }

    /** The daemon's command line: the default configuration (journal, exactly-once). */
    List<String> daemonArgs(final Run run, final Path ringflowJar, final String servers)
    {
        final List<String> args = new ArrayList<>(ScenarioLauncher.ringflowRunArgs(ringflowJar, run.pipelineFile(),
            servers));
        args.addAll(List.of("--journal-dir", run.dataDir().toString()));
        return args;
    }

    /**
     * The output check: every input is accounted for. card-features: the sink holds one record per input that passes
     * its filter, the route one per {@code amount * fx > 1000}; fraud-scoring: the sink one per input; no dead
     * letters; the daemon exited 0 after SIGTERM.
     *
     * @return the outcome in words, starting with "FAILED: " when the check failed.
     */
    String check(final TransactionInput.Counts input, final long outputs, final long deadLetters, final long routed,
        final int exitCode)
    {
        final long expected = this == CARD_FEATURES ? input.filtered() : input.records();
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
        if (0 != exitCode)
        {
            problems.add("exited " + exitCode + " after SIGTERM");
        }
        return problems.isEmpty() ? String.format(Locale.ROOT, "%,d outputs = inputs%s, 0 dead letters, %,d routed%s",
            outputs, this == CARD_FEATURES ? " passing the filter" : "", routed,
            this == CARD_FEATURES ? " = amount * fx > 1000" : "") : "FAILED: " + String.join("; ", problems);
    }

    /**
     * @param list pipeline keys separated by commas, e.g. {@code card-features,fraud-scoring}.
     * @throws IllegalArgumentException naming an unknown key.
     */
    static List<JsonPipeline> parseList(final String list)
    {
        final List<JsonPipeline> pipelines = new ArrayList<>();
        for (final String name : list.split(","))
        {
            final String wanted = name.trim().toLowerCase(Locale.ROOT).replaceFirst("\\.yaml$", "");
            final JsonPipeline pipeline = List.of(values()).stream().filter(p -> p.key.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown pipeline '" + name + "'; known: " +
                    String.join(", ", List.of(values()).stream().map(JsonPipeline::key).toList())));
            if (!pipelines.contains(pipeline))
            {
                pipelines.add(pipeline);
            }
        }
        return pipelines;
    }
}
