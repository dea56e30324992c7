package dev.ringflow.io.kafka;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.SnapshotStore;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.io.journal.ChronicleJournal;
import dev.ringflow.io.models.ModelUpdates;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.nio.file.Path;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * Starts a pipeline between Kafka topics: checks the cluster, creates missing output topics, then runs the
 * engine with a {@link KafkaSource} and a {@link KafkaSink}.
 */
public final class KafkaPipeline
{
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

    /** Told of each pipeline started, with the figures its Kafka clients keep: the metrics endpoint listens. */
    @FunctionalInterface
    public interface StartListener
    {
        /**
         * @param journalDir null without a journal.
         */
        void onStarted(Engine engine, KafkaSourceMetrics source, KafkaSinkMetrics sink, Path journalDir);
    }

    /** How often watched model files are checked and model topics polled. */
    private static final long MODEL_POLL_MS = 1_000;

    private KafkaPipeline()
    {
    }

    /**
     * @throws KafkaUnavailableException when the cluster cannot be reached within {@code connectTimeoutMs}.
     */
    public static Engine start(final PipelineSpec spec, final long connectTimeoutMs)
    {
        return start(spec, connectTimeoutMs, null);
    }

    /**
     * Starts the pipeline and tells {@code listener} (null for none) once the engine runs.
     *
     * @throws KafkaUnavailableException when the cluster cannot be reached within {@code connectTimeoutMs}.
     */
    public static Engine start(final PipelineSpec spec, final long connectTimeoutMs, final StartListener listener)
    {
        return start(spec, connectTimeoutMs, listener, () -> false);
    }

    /**
     * Starts the pipeline once Kafka answers: the preflight check and, exactly once, the producer's
     * {@code InitProducerId} are tried again (each logging what it waits for) while Kafka does not answer.
     *
     * @param connectTimeoutMs how long each of those may wait in all; {@link KafkaOutage#WAIT_UNTIL_ANSWERED} for
     *                         as long as it takes.
     * @param stopWaiting      asked between attempts: true gives up waiting (the daemon was told to stop).
     * @throws KafkaUnavailableException when the cluster cannot be reached within {@code connectTimeoutMs}, or
     *                                   refuses.
     */
    public static Engine start(final PipelineSpec spec, final long connectTimeoutMs, final StartListener listener,
        final BooleanSupplier stopWaiting)
    {
        final String servers = KafkaClientProperties.bootstrapServers(spec.kafka());
        KafkaOutage.retry("Kafka at " + servers, connectTimeoutMs, stopWaiting, attemptMs ->
        {
            KafkaPreflight.check(spec, attemptMs);
            return null;
        });
        final ChronicleJournal journal = spec.journal().enabled() ? ChronicleJournal.open(spec.journal()) : null;
        KafkaSink sink = null;
        KafkaSource source = null;
        final Engine engine;
        try
        {
            final Properties producer = KafkaClientProperties.producer(spec);
            final Properties consumer = KafkaClientProperties.consumer(spec);
            // Partition-scoped state comes from the state topic, whichever daemon had the partition before, or from
            // the journal's copy of what this daemon published itself (a restart of the same daemon); the journal
            // is otherwise for replay (and its state take-overs are journaled with their bytes).
            final StateTopic state = spec.state().perPartition() ? new StateTopic(
                spec.state().topicFor(spec.name()), consumer, spec.state().restoreTimeoutMs(),
                spec.state().standbyReplicas(), null == journal ? null : journal.dir()) : null;
            final JournalRecovery recovery = null == journal || null != state ? null :
                new JournalRecovery(journal.dir(), journal.id(), new SnapshotStore(journal.dir(), spec),
                    spec.sink().isExactlyOnce());
            if (null != journal)
            {
                // Static membership: a daemon restarted after a crash takes its partitions back at once instead
                // of waiting for its old session to time out.
                consumer.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId(spec, journal));
            }
            if (spec.sink().isExactlyOnce())
            {
                producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, instanceId(spec, journal));
                producer.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    Integer.toString(KafkaClientProperties.DEFAULT_TRANSACTION_TIMEOUT_MS));
                final ConsumerGroupView group = new ConsumerGroupView();
                consumer.put(RebalanceAwareAssignor.GROUP_VIEW_CONFIG, group);
                // A producer whose InitProducerId timed out is closed and a new one tried: none is reused.
                sink = KafkaOutage.retry("Kafka's transaction coordinator at " + servers + " (InitProducerId of " +
                    "transactional id " + instanceId(spec, journal) + ")", connectTimeoutMs, stopWaiting,
                    attemptMs -> new KafkaSink(producer, spec.sink().topic(), spec.sink().deadLetterTopic(),
                        spec.sink().lateTopic(), group, journal.id(), state));
                source = new KafkaSource(consumer, spec.source().topics(), group, recovery, state);
            }
            else
            {
                // At least once: the source commits offsets; with a journal, a restart still rebuilds state from
                // it (and emits again what was journaled but not committed).
                sink = new KafkaSink(producer, spec.sink().topic(), spec.sink().deadLetterTopic(),
                    spec.sink().lateTopic());
                source = new KafkaSource(consumer, spec.source().topics(), null, recovery);
            }
            engine = Engine.start(spec, source, sink, journal);
        }
        catch (final RuntimeException | Error ex)
        {
            // Nothing the engine did not take over may outlive a failed start: the consumer's group membership,
            // the producer's threads, the journal's files and lock. Errors too: a function task whose open()
            // throws one (a plugin missing a class) fails Engine.start with it.
            closeAfterFailedStart(source, ex);
            closeAfterFailedStart(sink, ex);
            closeAfterFailedStart(journal, ex);
            throw ex;
        }
        try
        {
            engine.closeWith(ModelUpdates.start(engine, spec, MODEL_POLL_MS));
        }
        catch (final RuntimeException ex)
        {
            engine.close();
            throw ex;
        }
        if (null != listener)
        {
            try
            {
                listener.onStarted(engine, source.metrics(), sink.metrics(), null == journal ? null : journal.dir());
            }
            catch (final RuntimeException | Error ex)
            {
                // The engine owns the clients and the journal now: closing it closes them after its threads stop.
                engine.close();
                throw ex;
            }
        }
        return engine;
    }

    /**
     * The refused login that stopped a running pipeline, said as a refusal at start is ({@link KafkaLoginFailure}):
     * Kafka answered a re-authentication or a reconnect (after its credentials were rotated or revoked, or a broker
     * restarted) by refusing the login, which asking again would not change.
     *
     * @param failure what stopped the engine, as {@link Engine#failure()} gives it.
     * @return the refusal, naming the servers, the mechanism and the user but never the password, and saying what
     * to check; null when {@code failure}'s cause chain holds no refused login.
     */
    public static KafkaUnavailableException refusedLogin(final PipelineSpec spec, final Throwable failure)
    {
        return KafkaLoginFailure.of(KafkaClientProperties.bootstrapServers(spec.kafka()), spec.kafka(), failure);
    }

    /** Closes {@code resource} (null: nothing), keeping what its close throws as suppressed by {@code failure}. */
    private static void closeAfterFailedStart(final AutoCloseable resource, final Throwable failure)
    {
        if (null == resource)
        {
            return;
        }
        try
        {
            resource.close();
        }
        catch (final Exception ex)
        {
            failure.addSuppressed(ex);
        }
    }

    /** The daemon's stable identity in the group and, exactly once, its transactional id: one per journal. */
    private static String instanceId(final PipelineSpec spec, final ChronicleJournal journal)
    {
        return "ringflow-" + spec.source().groupId() + "-" + journal.id();
    }
}
