package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.EngineMetrics;
import dev.ringflow.engine.ModelSwap;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.ScoreTaskSpec;
import dev.ringflow.io.kafka.KafkaPipeline;
import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringflow demo --fraud}: examples/fraud-scoring.yaml on an embedded broker, fed by the transaction generator,
 * with its XGBoost model swapped for the second one half way; prints precision and recall of the alerts against the
 * generator's labels, the model versions that scored the outputs and the learn task's figures.
 * <p>
 * <b>Note:</b> Runs once, on the calling thread.
 */
final class FraudDemo
{
    static final String PIPELINE = "fraud-scoring.yaml";
    static final String FIRST_MODEL = "fraud-xgb-v1.json";
    static final String SECOND_MODEL = "fraud-xgb-v2.json";
    private static final long TIMEOUT_MS = 120_000;

    private final int records;
    private final long seed;
    private final KafkaPipeline.StartListener listener;

    /**
     * @param records  transactions generated; the model is swapped after half of them.
     * @param seed     the generator's seed.
     * @param listener told when the pipeline runs (the metrics endpoint), or null.
     */
    FraudDemo(final int records, final long seed, final KafkaPipeline.StartListener listener)
    {
        this.records = records;
        this.seed = seed;
        this.listener = listener;
    }

    /** @return the exit code: 0 when every output arrived, without bad input, scored by both models. */
    int run(final PrintStream out) throws Exception
    {
        final Path dir = Files.createTempDirectory("ringflow-fraud-demo");
        try
        {
            // The pipeline names its model by a path relative to itself: unpack both from the jar side by side.
            for (final String name : List.of(PIPELINE, "models/" + FIRST_MODEL, "models/" + SECOND_MODEL))
            {
                copyExample(name, dir.resolve(name));
            }
            final PipelineSpec loaded = PipelineFile.load(dir.resolve(PIPELINE));
            final ScoreTaskSpec score = (ScoreTaskSpec)loaded.tasks().stream()
                .filter(task -> task instanceof ScoreTaskSpec).findFirst()
                .orElseThrow(() -> new CommandFailedException(PIPELINE + " has no score task"));
            final byte[] secondBytes = Files.readAllBytes(dir.resolve("models").resolve(SECOND_MODEL));
            final Model second = ModelLoader.load(secondBytes, SECOND_MODEL, ModelLimits.defaults());
            final Map<String, String> modelFiles = Map.of(score.loaded().version(), FIRST_MODEL,
                second.version(), SECOND_MODEL);

            out.println("Starting an embedded Kafka broker...");
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
            {
                final String servers = broker.bootstrapServers();
                final String input = loaded.source().topics().get(0);
                broker.createTopic(input, 3);
                final PipelineSpec spec = loaded.withBootstrapServers(servers)
                    .withJournalDir(dir.resolve("journal").toString());
                final FraudDemoCheck check = new FraudDemoCheck(spec, score.versionField(), "fraud_score");

                final TransactionGenerator generator = new TransactionGenerator(seed, TransactionGenerator.DEFAULT_CARDS);
                final int firstHalf = records / 2;
                produce(servers, input, generator, firstHalf, check);
                out.printf("  wrote %,d card transactions (seed %d) to %s; running %s with %s...%n", firstHalf, seed,
                    input, spec.name(), FIRST_MODEL);
                final Engine engine = KafkaPipeline.start(spec, 30_000, listener);
                final boolean complete;
                final List<EngineMetrics.LearnSummary> learn;
                try
                {
                    awaitEventsIn(engine, firstHalf);
                    engine.swapModel(ModelSwap.of(score.name(), secondBytes, SECOND_MODEL, "demo", second))
                        .get(30, TimeUnit.SECONDS);
                    out.printf("  swapped the model of task '%s' to %s after %,d transactions%n", score.name(),
                        SECOND_MODEL, firstHalf);
                    produce(servers, input, generator, records - firstHalf, check);
                    out.printf("  wrote %,d more%n", records - firstHalf);
                    complete = check.awaitOutputs(servers, records, TIMEOUT_MS);
                    learn = engine.metrics().learnTasks();
                }
                finally
                {
                    engine.close();
                }
                check.print(out, modelFiles, learn);
                if (!complete)
                {
                    out.println("FAILED: the outputs did not all arrive within " + TIMEOUT_MS / 1000 + " s");
                    return RingflowCommand.EXIT_FAILURE;
                }
                final List<String> problems = check.problems(modelFiles.keySet());
                if (!problems.isEmpty())
                {
                    problems.forEach(problem -> out.println("FAILED: " + problem));
                    return RingflowCommand.EXIT_FAILURE;
                }
                out.println("OK: every transaction scored, by both models, alerts on " + check.alertTopic() + ".");
                out.println("Next: retrain the model (docs/models.md, \"Fraud scoring example\") or run it on your Kafka:");
                out.println("  ./ringflow run --pipeline examples/" + PIPELINE + " --bootstrap-servers HOST:PORT");
                return RingflowCommand.EXIT_OK;
            }
        }
        finally
        {
            DemoCommand.deleteRecursively(dir);
        }
    }

    private static void awaitEventsIn(final Engine engine, final long events) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (engine.counters().eventsIn() < events)
        {
            if (System.nanoTime() > deadlineNs || null != engine.failure())
            {
                throw new CommandFailedException("the pipeline took in " + engine.counters().eventsIn() + " of " +
                    events + " transactions within " + TIMEOUT_MS / 1000 + " s" +
                    (null == engine.failure() ? "" : ": " + engine.failure()));
            }
            Thread.sleep(20);
        }
    }

    private static void produce(final String servers, final String topic, final TransactionGenerator generator,
        final int count, final FraudDemoCheck check)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props))
        {
            for (int i = 0; i < count; i++)
            {
                final TransactionGenerator.Transaction transaction = generator.next();
                check.onInput(transaction);
                producer.send(new ProducerRecord<>(topic, transaction.card(), transaction.toJson()));
            }
            producer.flush();
        }
    }

    private static void copyExample(final String name, final Path target) throws IOException
    {
        try (InputStream in = FraudDemo.class.getResourceAsStream("/examples/" + name))
        {
            if (null == in)
            {
                throw new CommandFailedException("example file " + name + " is missing from the jar");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
        }
    }
}
