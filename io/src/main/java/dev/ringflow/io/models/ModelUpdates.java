package dev.ringflow.io.models;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.ModelSwap;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.ScoreModelLoader;
import dev.ringflow.engine.pipeline.ScoreTaskSpec;
import dev.ringflow.engine.pipeline.TaskSpec;
import dev.ringflow.io.kafka.KafkaClientProperties;
import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelException;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Brings new models to a running engine's score tasks: from the model file (or directory) of a task with
 * {@code watch: true}, checked every {@code pollMs}, and from the Kafka topic of a task with {@code model-topic},
 * where {@code ringflow model push} writes model files keyed by the task's name (its output field). Every daemon of a
 * consumer group reads the whole topic (no group), so all of them switch; on start the topic's latest model for a
 * task replaces the file's.
 * <p>
 * A new model is read, loaded and checked here, off the workers; a valid one goes to {@link Engine#swapModel}, which
 * switches every worker at one ring sequence and journals it. An invalid one is logged with the reason and the
 * running model keeps serving; the same bytes are not tried again.
 * <p>
 * <b>Note:</b> One thread, {@code ringflow-models}, polls both; it exists only when some score task asks for it.
 */
public final class ModelUpdates implements AutoCloseable
{
    /** Header of a pushed model: the name of the file it was read from, for logs and {@code journal dump}. */
    public static final String NAME_HEADER = "ringflow.model.name";
    /** Model files are larger than events: what a model record may take, in the topic and in a fetch. */
    public static final int MAX_MODEL_BYTES = 64 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ModelUpdates.class);

    private final Engine engine;
    private final List<ScoreTaskSpec> watched = new ArrayList<>();
    private final Map<String, List<ScoreTaskSpec>> byTopic = new LinkedHashMap<>();
    private final Map<String, String> kafka;
    private final long pollMs;
    private final Thread thread;
    /** Per task name: the version now serving (or last pushed to the engine), so that a model is swapped once. */
    private final Map<String, String> versions = new HashMap<>();
    /** Per watched task: the file, time and size last seen, so that an unchanged file is not read again. */
    private final Map<String, String> seenFiles = new HashMap<>();
    /** Per task: the content hash of bytes refused, so that a bad file or record is logged once. */
    private final Map<String, String> refused = new HashMap<>();
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    private ModelUpdates(final Engine engine, final PipelineSpec spec, final long pollMs)
    {
        this.engine = engine;
        this.kafka = spec.kafka();
        this.pollMs = pollMs;
        for (final TaskSpec task : spec.tasks())
        {
            if (task instanceof ScoreTaskSpec score)
            {
                if (null != score.loaded())
                {
                    versions.put(score.name(), score.loaded().version());
                }
                if (score.watch())
                {
                    watched.add(score);
                    seenFiles.put(score.name(), fileState(score));
                }
                if (null != score.modelTopic())
                {
                    byTopic.computeIfAbsent(score.modelTopic(), t -> new ArrayList<>()).add(score);
                }
            }
        }
        thread = new Thread(this::run, "ringflow-models");
        thread.setDaemon(true);
    }

    /**
     * Starts watching for the score tasks of {@code spec} that ask for it.
     *
     * @param pollMs how often a watched file is checked, and how long a poll of the model topics waits.
     * @return the watcher, or null when no score task watches a file or reads a model topic.
     */
    public static ModelUpdates start(final Engine engine, final PipelineSpec spec, final long pollMs)
    {
        if (spec.tasks().stream().noneMatch(task -> task instanceof ScoreTaskSpec score && score.swappable()))
        {
            return null;
        }
        final ModelUpdates updates = new ModelUpdates(engine, spec, pollMs);
        updates.thread.start();
        LOG.info("watching for new models: {}{}", updates.watched.stream().map(task -> "'" + task.name() + "' in " +
                task.modelFile()).toList(), updates.byTopic.isEmpty() ? "" : ", topics " + updates.byTopic.keySet());
        return updates;
    }

    private void run()
    {
        try
        {
            if (!byTopic.isEmpty())
            {
                consumer = new KafkaConsumer<>(consumerProperties());
                assignAll();
            }
            while (running)
            {
                checkFiles();
                if (null != consumer)
                {
                    pollTopics();
                }
                else
                {
                    TimeUnit.MILLISECONDS.sleep(pollMs);
                }
            }
        }
        catch (final InterruptedException | WakeupException | org.apache.kafka.common.errors.InterruptException ex)
        {
            // Closing.
        }
        catch (final RuntimeException ex)
        {
            // New models stop reaching the daemon, which goes on scoring with the model it has.
            LOG.error("model updates stopped: {}; the running models keep serving until a restart", ex.toString(), ex);
        }
        finally
        {
            if (null != consumer)
            {
                // close() interrupts this thread to end a sleep: a consumer closing with the flag set throws.
                Thread.interrupted();
                try
                {
                    consumer.close(Duration.ofSeconds(5));
                }
                catch (final RuntimeException ex)
                {
                    LOG.debug("closing the model topic consumer: {}", ex.toString());
                }
            }
        }
    }

    private Properties consumerProperties()
    {
        final Properties props = KafkaClientProperties.admin(kafka);
        props.remove("client.id");
        props.put("client.id", "ringflow-models");
        props.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        props.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        props.put("enable.auto.commit", "false");
        props.put("isolation.level", "read_committed");
        props.put("max.partition.fetch.bytes", Integer.toString(MAX_MODEL_BYTES));
        props.put("fetch.max.bytes", Integer.toString(MAX_MODEL_BYTES));
        return props;
    }

    /** Every partition of every model topic, from the beginning: the latest record per task wins. */
    private void assignAll()
    {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : byTopic.keySet())
        {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (null == infos || infos.isEmpty())
            {
                throw new IllegalStateException("the model topic '" + topic + "' does not exist (ringflow model push " +
                    "creates it)");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    private void pollTopics()
    {
        // Only the latest record per task of a poll matters: a daemon starting over a topic's history swaps once.
        final Map<String, ConsumerRecord<String, byte[]>> latest = new LinkedHashMap<>();
        for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(pollMs)))
        {
            if (null != record.key() && null != record.value())
            {
                latest.put(record.topic() + "\u0000" + record.key(), record);
            }
        }
        for (final ConsumerRecord<String, byte[]> record : latest.values())
        {
            final List<ScoreTaskSpec> tasks = byTopic.getOrDefault(record.topic(), List.of()).stream()
                .filter(task -> task.name().equals(record.key())).toList();
            if (tasks.isEmpty())
            {
                LOG.debug("model record for '{}' on {}: no score task of this pipeline has that output field",
                    record.key(), record.topic());
                continue;
            }
            final Header header = record.headers().lastHeader(NAME_HEADER);
            final String name = null == header ? record.key() : new String(header.value(), StandardCharsets.UTF_8);
            offer(record.key(), record.value(), name, "model topic " + record.topic() + "-" + record.partition() +
                "@" + record.offset());
        }
    }

    private void checkFiles() throws InterruptedException
    {
        for (final ScoreTaskSpec task : watched)
        {
            final String state = fileState(task);
            if (null == state || state.equals(seenFiles.get(task.name())))
            {
                continue;
            }
            seenFiles.put(task.name(), state);
            final Path file;
            final byte[] bytes;
            try
            {
                file = ScoreModelLoader.currentFile(task);
                bytes = Files.readAllBytes(file);
            }
            catch (final ModelException | IOException ex)
            {
                LOG.warn("cannot read the new model for score task '{}': {}; the running model keeps serving",
                    task.name(), ex.getMessage());
                continue;
            }
            offer(task.name(), bytes, file.getFileName().toString(), "watched file " + file);
        }
    }

    /** Where a watched task's model file is and when it last changed, or null when it cannot be read now. */
    private static String fileState(final ScoreTaskSpec task)
    {
        try
        {
            final Path file = ScoreModelLoader.currentFile(task);
            final FileTime modified = Files.getLastModifiedTime(file);
            return file + "|" + modified.toMillis() + "|" + Files.size(file);
        }
        catch (final ModelException | IOException ex)
        {
            return null;
        }
    }

    /** Loads and checks a candidate model off the workers and hands a new, valid one to the engine. */
    private void offer(final String task, final byte[] bytes, final String name, final String origin)
    {
        final String hash = ModelLoader.contentHash(bytes);
        if (hash.equals(refused.get(task)))
        {
            return;
        }
        final Model model;
        try
        {
            model = ModelLoader.load(bytes, name, ModelLimits.defaults());
        }
        catch (final ModelException ex)
        {
            refused.put(task, hash);
            LOG.warn("model {} from {} refused for score task '{}': {}; the running model keeps serving", name, origin,
                task, ex.getMessage());
            return;
        }
        if (model.version().equals(versions.get(task)))
        {
            return;
        }
        try
        {
            engine.swapModel(ModelSwap.of(task, bytes, name, origin, model));
            versions.put(task, model.version());
            LOG.info("model {} (version {}) from {} accepted for score task '{}'", name, model.version(), origin,
                task);
        }
        catch (final IllegalArgumentException ex)
        {
            refused.put(task, hash);
            LOG.warn("model {} from {} refused for score task '{}': {}; the running model keeps serving", name, origin,
                task, ex.getMessage());
        }
        catch (final IllegalStateException ex)
        {
            // The engine is stopping.
            running = false;
        }
    }

    /** The version the watcher last handed to the engine for {@code task}, for tests and status. */
    String version(final String task)
    {
        return versions.get(Objects.requireNonNull(task));
    }

    @Override
    public void close()
    {
        running = false;
        final KafkaConsumer<String, byte[]> current = consumer;
        if (null != current)
        {
            current.wakeup();
        }
        thread.interrupt();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
