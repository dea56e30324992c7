package dev.ringflow.tools;

import dev.ringflow.io.kafka.KafkaPreflight;
import dev.ringflow.io.models.ModelUpdates;
import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelException;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ringflow model push}: sends a model file to the model topic that running daemons' score tasks read.
 */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = {
        "Sends a model file (XGBoost JSON, LightGBM text or ringflow-linear JSON) to a model topic, keyed by the " +
            "score task it is for (the task's output-field, 'score' by default). Every daemon whose score task has " +
            "that model-topic swaps to it at one point of its stream (it is journaled there, so replays score with " +
            "it too), and a daemon started later begins with the topic's latest model.",
        "The file is loaded and checked here first: a file that is not a valid model is not sent. The daemon also " +
            "checks that the model takes the task's features; if not, it logs why and keeps its model. Rolling " +
            "back is pushing the old file again. The topic is created (compacted, one partition) if missing.",
        "" },
    footer = {
        "",
        "Example:",
        "  ringflow model push --topic ringflow-models --task fraud_score models/fraud-xgb-v2.json",
        "",
        "Exit codes: 0 sent, 1 Kafka unreachable or the send failed, 2 bad usage or not a valid model." })
final class ModelPushCommand implements Callable<Integer>
{
    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC",
        description = "The model topic (the score task's model-topic).")
    private String topic;

    @Option(names = "--task", paramLabel = "NAME", defaultValue = "score",
        description = "The score task's output-field, which names it. Default: ${DEFAULT-VALUE}.")
    private String task;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "30",
        description = "Seconds to wait for Kafka. Default: ${DEFAULT-VALUE}.")
    private int timeoutSeconds;

    @Parameters(index = "0", paramLabel = "FILE", description = "The model file.")
    private Path file;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final byte[] bytes;
        final Model model;
        try
        {
            bytes = Files.readAllBytes(file);
            model = ModelLoader.load(bytes, file.getFileName().toString(), ModelLimits.defaults());
        }
        catch (final IOException ex)
        {
            System.err.println("ringflow: cannot read " + file + ": " + ex.getMessage());
            return RingflowCommand.EXIT_USAGE;
        }
        catch (final ModelException ex)
        {
            System.err.println("ringflow: " + file + " is not a valid model: " + ex.getMessage());
            return RingflowCommand.EXIT_USAGE;
        }
        final long timeoutMs = TimeUnit.SECONDS.toMillis(timeoutSeconds);
        KafkaPreflight.ensureModelTopic(kafka.clientProperties(), topic, timeoutMs);
        final Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(ModelUpdates.MAX_MODEL_BYTES));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeoutMs));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props))
        {
            final ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, task, bytes);
            record.headers().add(ModelUpdates.NAME_HEADER,
                file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            final RecordMetadata sent = producer.send(record).get(timeoutMs, TimeUnit.MILLISECONDS);
            System.out.println("pushed " + file.getFileName() + " (" + model.kind() + ", version " + model.version() +
                ", " + model.featureCount() + " features, " + bytes.length + " bytes) for score task '" + task +
                "' to " + topic + "-" + sent.partition() + "@" + sent.offset());
            return RingflowCommand.EXIT_OK;
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new CommandFailedException("cannot send " + file + " to " + topic + ": " +
                (null == ex.getCause() ? ex : ex.getCause()).getMessage(), ex);
        }
    }
}
