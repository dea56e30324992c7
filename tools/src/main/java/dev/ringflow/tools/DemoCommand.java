package dev.ringflow.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.io.kafka.KafkaPipeline;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code ringflow demo}: both seed pipelines on an embedded broker, checked against a naive computation.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Starts an embedded Kafka broker, writes generated input (integers over a few keys, plus some " +
            "malformed values) to my-topic, runs the two seed pipelines (seed-transform and seed-sliding-sum, " +
            "the files in examples/) on it, shows inputs beside outputs and checks every output against a naive " +
            "recomputation.",
        "With --fraud: runs examples/fraud-scoring.yaml instead on generated card transactions, swaps its " +
            "XGBoost model half way, and prints precision and recall of its alerts against the generator's labels " +
            "and the model versions that scored the outputs.",
        "Needs nothing but the JDK. Exits 0 when every output matches (--fraud: every transaction was scored, by " +
            "both models), 1 otherwise." })
final class DemoCommand implements Callable<Integer>
{
    static final String INPUT_TOPIC = "my-topic";
    static final String[] MALFORMED = { "oops", "12.5", "" };

    static final int DEFAULT_RECORDS = 3000;
    static final int DEFAULT_FRAUD_RECORDS = 20_000;

    @Option(names = "--fraud", description = "Run the fraud-scoring example instead of the seed pipelines.")
    private boolean fraud;

    @Option(names = "--records", paramLabel = "N",
        description = "Generated input records. Default: " + DEFAULT_RECORDS + " (" + DEFAULT_FRAUD_RECORDS +
            " card transactions with --fraud).")
    private Integer records;

    @Option(names = "--keys", paramLabel = "K", defaultValue = "4",
        description = "Distinct keys (sensor-1..sensor-K). Default: ${DEFAULT-VALUE}.")
    private int keys;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
        description = "Random seed of the generated values. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--metrics-bind", paramLabel = "HOST:PORT|off", defaultValue = "127.0.0.1:0",
        description = "Where to serve the pipelines' metrics and health while the demo runs (see 'ringflow run " +
            "--help'); 'off' for none. Default: ${DEFAULT-VALUE} (any free port; the log says which).")
    private String metricsBind;

    @Override
    public Integer call() throws Exception
    {
        if (null == records)
        {
            records = fraud ? DEFAULT_FRAUD_RECORDS : DEFAULT_RECORDS;
        }
        if (records < 1 || keys < 1 || (fraud && records < 2))
        {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "--records and --keys must be >= 1 (--records >= 2 with --fraud)");
        }
        final PrintStream out = System.out;
        if (fraud)
        {
            return runFraud(out);
        }
        final PipelineSpec transform = loadExample("seed-transform.yaml");
        final PipelineSpec slidingSum = loadExample("seed-sliding-sum.yaml");

        final dev.ringflow.io.metrics.MetricsServer metrics = startMetrics();
        out.println("Starting an embedded Kafka broker...");
        final Path journals = Files.createTempDirectory("ringflow-demo-journals");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            final String servers = broker.bootstrapServers();
            out.println("  broker ready on " + servers);
            broker.createTopic(INPUT_TOPIC, 3);

            final List<DemoRecord> input = generate();
            produce(servers, input);
            out.printf("  wrote %,d records over %d keys to %s (3 partitions), %d of them malformed%n",
                input.size(), keys, INPUT_TOPIC, MALFORMED.length);

            out.println("Running pipelines " + transform.name() + " and " + slidingSum.name() + "...");
            if (null != metrics)
            {
                out.println("  dashboard on " + metrics.url() + "/ (open it in a browser while the demo runs)");
                out.println("  metrics on " + metrics.url() + "/metrics (try: ringflow status --url " +
                    metrics.url() + ")");
            }
            final Engine transformEngine = KafkaPipeline.start(transform.withBootstrapServers(servers)
                .withJournalDir(journals.resolve(transform.name()).toString()), 30_000,
                MetricsEndpoint.listener(metrics));
            final Engine sumEngine = KafkaPipeline.start(slidingSum.withBootstrapServers(servers)
                .withJournalDir(journals.resolve(slidingSum.name()).toString()), 30_000,
                MetricsEndpoint.listener(metrics));
            final DemoCheck check = new DemoCheck(input, slidingSum, transform);
            final boolean complete;
            try
            {
                complete = check.awaitOutputs(servers, 60_000);
            }
            finally
            {
                transformEngine.close();
                sumEngine.close();
            }
            check.print(out);
            if (!complete)
            {
                out.println("FAILED: the outputs did not all arrive within 60 s");
                return RingflowCommand.EXIT_FAILURE;
            }
            final List<String> mismatches = check.mismatches();
            if (!mismatches.isEmpty())
            {
                out.println("FAILED: " + mismatches.size() + " mismatch(es):");
                mismatches.stream().limit(20).forEach(m -> out.println("  " + m));
                return RingflowCommand.EXIT_FAILURE;
            }
            out.println("OK: every output matches the naive recomputation.");
            out.println("Next: run a pipeline as a daemon against your Kafka with");
            out.println("  ./ringflow run --pipeline examples/seed-sliding-sum.yaml --bootstrap-servers HOST:PORT");
            return RingflowCommand.EXIT_OK;
        }
        finally
        {
            if (null != metrics)
            {
                metrics.close();
            }
            deleteRecursively(journals);
        }
    }

    private int runFraud(final PrintStream out) throws Exception
    {
        final dev.ringflow.io.metrics.MetricsServer metrics = startMetrics();
        try
        {
            return new FraudDemo(records, seed, MetricsEndpoint.listener(metrics)).run(out);
        }
        finally
        {
            if (null != metrics)
            {
                metrics.close();
            }
        }
    }

    private dev.ringflow.io.metrics.MetricsServer startMetrics()
    {
        try
        {
            return MetricsEndpoint.start(metricsBind);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "--metrics-bind: " + ex.getMessage());
        }
    }

    static void deleteRecursively(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    private List<DemoRecord> generate()
    {
        final Random random = new Random(seed);
        final List<DemoRecord> input = new ArrayList<>(records + MALFORMED.length);
        for (int i = 0; i < records; i++)
        {
            input.add(new DemoRecord("sensor-" + (1 + random.nextInt(keys)), Integer.toString(random.nextInt(100))));
        }
        for (int i = 0; i < MALFORMED.length; i++)
        {
            input.add((i + 1) * input.size() / (MALFORMED.length + 1), new DemoRecord("sensor-1", MALFORMED[i]));
        }
        return input;
    }

    private static void produce(final String servers, final List<DemoRecord> input)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props))
        {
            for (final DemoRecord record : input)
            {
                producer.send(new ProducerRecord<>(INPUT_TOPIC, record.key(), record.value()));
            }
            producer.flush();
        }
    }

    static PipelineSpec loadExample(final String name) throws IOException
    {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/examples/" + name))
        {
            if (null == in)
            {
                throw new CommandFailedException("example pipeline " + name + " is missing from the jar");
            }
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return PipelineFile.parse(text, "examples/" + name, name.replace(".yaml", ""));
        }
    }

    /** One generated input record. */
    record DemoRecord(String key, String value)
    {
    }
}
