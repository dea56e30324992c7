package dev.ringflow.io.kafka;

import dev.ringflow.engine.pipeline.AnomalyTaskSpec;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.RouteTaskSpec;
import dev.ringflow.engine.pipeline.TaskSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks before a pipeline or a client command starts that Kafka answers and accepts the login, and creates missing
 * topics, so that an unreachable broker or a refused login ({@link KafkaLoginFailure}) is one clear sentence instead
 * of a client retrying silently forever.
 */
public final class KafkaPreflight
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPreflight.class);

    private KafkaPreflight()
    {
    }

    /**
     * Checks that Kafka answers and creates the pipeline's missing output topics (when {@code sink.create-topics}),
     * with as many partitions as its input topic.
     *
     * @throws KafkaUnavailableException when the cluster does not answer within {@code timeoutMs} or refuses.
     */
    public static void check(final PipelineSpec spec, final long timeoutMs)
    {
        withAdmin(spec.kafka(), timeoutMs, (admin, servers) ->
        {
            final Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            int sourcePartitions = 0;
            for (final String topic : spec.source().topics())
            {
                if (existing.contains(topic))
                {
                    sourcePartitions = Math.max(sourcePartitions, admin.describeTopics(List.of(topic))
                        .allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).get(topic).partitions().size());
                }
                else
                {
                    LOG.warn("input topic '{}' does not exist yet on {}; the pipeline will read it once it exists",
                        topic, servers);
                }
            }
            final List<NewTopic> missing = new ArrayList<>();
            for (final String topic : outputTopics(spec))
            {
                if (!existing.contains(topic))
                {
                    missing.add(new NewTopic(topic, Optional.of(Math.max(1, sourcePartitions)), Optional.empty()));
                }
            }
            if (!missing.isEmpty() && spec.sink().createTopics())
            {
                createTopics(admin, missing, timeoutMs);
            }
            final String stateTopic = spec.state().perPartition() ? spec.state().topicFor(spec.name()) : null;
            if (null != stateTopic && !existing.contains(stateTopic))
            {
                createTopics(admin, List.of(stateTopic(stateTopic, sourcePartitions)), timeoutMs);
            }
            final List<NewTopic> missingModelTopics = new ArrayList<>();
            for (final String topic : modelTopics(spec))
            {
                if (!existing.contains(topic))
                {
                    missingModelTopics.add(modelTopic(topic));
                }
            }
            if (!missingModelTopics.isEmpty())
            {
                createTopics(admin, missingModelTopics, timeoutMs);
            }
            return null;
        });
    }

    /**
     * The topic partition-scoped state is handed over through: compacted (the latest state of each input partition
     * stays, with no time limit), as many partitions as the input, and room for a {@value StateTopic#CHUNK_BYTES}
     * byte chunk.
     */
    static NewTopic stateTopic(final String topic, final int partitions)
    {
        return new NewTopic(topic, Optional.of(Math.max(1, partitions)), Optional.empty()).configs(Map.of(
            "cleanup.policy", "compact",
            "max.message.bytes", Integer.toString(2 * StateChunks.CHUNK_BYTES)));
    }

    /**
     * A model topic as {@code ringflow model push} and the daemon expect it: compacted (the latest model per score
     * task stays), one partition, and records as large as a model file.
     */
    public static NewTopic modelTopic(final String topic)
    {
        return new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
            "cleanup.policy", "compact",
            "max.message.bytes", Integer.toString(dev.ringflow.io.models.ModelUpdates.MAX_MODEL_BYTES)));
    }

    /**
     * Creates the model topic {@code topic} if it does not exist.
     *
     * @throws KafkaUnavailableException when the cluster does not answer within {@code timeoutMs} or refuses.
     */
    public static void ensureModelTopic(final Map<String, String> kafka, final String topic, final long timeoutMs)
    {
        withAdmin(kafka, timeoutMs, (admin, servers) ->
        {
            if (!admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS).contains(topic))
            {
                createTopics(admin, List.of(modelTopic(topic)), timeoutMs);
            }
            return null;
        });
    }

    private static List<String> modelTopics(final PipelineSpec spec)
    {
        final List<String> topics = new ArrayList<>();
        for (final dev.ringflow.engine.pipeline.TaskSpec task : spec.tasks())
        {
            if (task instanceof dev.ringflow.engine.pipeline.ScoreTaskSpec score && null != score.modelTopic() &&
                !topics.contains(score.modelTopic()))
            {
                topics.add(score.modelTopic());
            }
        }
        return topics;
    }

    /**
     * Checks that Kafka answers and creates {@code topic} with {@code partitions} if it does not exist.
     *
     * @return true if the topic was created.
     * @throws KafkaUnavailableException when the cluster does not answer within {@code timeoutMs} or refuses.
     */
    public static boolean ensureTopic(
        final Map<String, String> kafka, final String topic, final int partitions, final long timeoutMs)
    {
        return withAdmin(kafka, timeoutMs, (admin, servers) ->
        {
            if (admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS).contains(topic))
            {
                return false;
            }
            createTopics(admin, List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())), timeoutMs);
            return true;
        });
    }

    /**
     * Checks that Kafka answers.
     *
     * @throws KafkaUnavailableException when the cluster does not answer within {@code timeoutMs}.
     */
    public static void checkReachable(final Map<String, String> kafka, final long timeoutMs)
    {
        withAdmin(kafka, timeoutMs, (admin, servers) -> null);
    }

    /** Work done with an admin client of a cluster that has answered. */
    @FunctionalInterface
    private interface AdminCall<T>
    {
        T call(Admin admin, String servers) throws InterruptedException, ExecutionException, TimeoutException;
    }

    /**
     * Runs {@code call} once the cluster answers, translating every failure into one sentence; the admin client
     * is closed without waiting, so a failed check does not hang on its retries.
     */
    private static <T> T withAdmin(final Map<String, String> kafka, final long timeoutMs, final AdminCall<T> call)
    {
        final String servers = KafkaClientProperties.bootstrapServers(kafka);
        final Admin admin = Admin.create(KafkaClientProperties.admin(kafka));
        try
        {
            try
            {
                admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
            }
            catch (final TimeoutException | ExecutionException ex)
            {
                throwIfLoginRefused(servers, kafka, ex);
                throw new KafkaUnavailableException("cannot reach Kafka at " + servers + " (no answer within " +
                    timeoutMs + " ms). Is a broker running there? Set it with --bootstrap-servers or the " +
                    "pipeline's kafka.bootstrap.servers; `ringflow broker` starts a local one.", ex);
            }
            return call.call(admin, servers);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while talking to Kafka at " + servers, ex);
        }
        catch (final ExecutionException ex)
        {
            throwIfLoginRefused(servers, kafka, ex);
            throw new KafkaUnavailableException("Kafka at " + servers + " refused a request: " +
                ex.getCause().getMessage(), ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            throw new KafkaUnavailableException("Kafka at " + servers + " did not answer within " + timeoutMs +
                " ms", ex);
        }
        finally
        {
            admin.close(Duration.ofSeconds(1));
        }
    }

    /** A refused login is said as such, not as an unreachable cluster, and is not waited out as an outage. */
    private static void throwIfLoginRefused(final String servers, final Map<String, String> kafka,
        final Exception failure)
    {
        final KafkaUnavailableException refused = KafkaLoginFailure.of(servers, kafka, failure);
        if (null != refused)
        {
            throw refused;
        }
    }

    private static void createTopics(final Admin admin, final List<NewTopic> topics, final long timeoutMs)
        throws InterruptedException, TimeoutException, ExecutionException
    {
        final List<String> created = new ArrayList<>();
        for (final Map.Entry<String, KafkaFuture<Void>> entry : admin.createTopics(topics).values().entrySet())
        {
            try
            {
                entry.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                created.add(entry.getKey());
            }
            catch (final ExecutionException ex)
            {
                if (!(ex.getCause() instanceof TopicExistsException))
                {
                    throw ex;
                }
            }
        }
        // Nothing is written to a new topic before its partitions have leaders (TopicLeaders says why).
        TopicLeaders.await(admin, created, timeoutMs);
        created.forEach(topic -> LOG.info("created topic '{}'", topic));
    }

    private static List<String> outputTopics(final PipelineSpec spec)
    {
        final List<String> topics = new ArrayList<>();
        topics.add(spec.sink().topic());
        if (spec.sink().hasDeadLetterTopic())
        {
            topics.add(spec.sink().deadLetterTopic());
        }
        if (spec.sink().hasLateTopic())
        {
            topics.add(spec.sink().lateTopic());
        }
        for (final TaskSpec task : spec.tasks())
        {
            if (task instanceof RouteTaskSpec route && !topics.contains(route.topic()))
            {
                topics.add(route.topic());
            }
            if (task instanceof dev.ringflow.engine.pipeline.FunctionTaskSpec function)
            {
                for (final String topic : function.routes())
                {
                    if (!topics.contains(topic))
                    {
                        topics.add(topic);
                    }
                }
            }
            if (task instanceof AnomalyTaskSpec anomaly && null != anomaly.topic() &&
                !topics.contains(anomaly.topic()))
            {
                topics.add(anomaly.topic());
            }
        }
        return topics;
    }
}
