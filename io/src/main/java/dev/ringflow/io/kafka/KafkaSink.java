package dev.ringflow.io.kafka;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.Sink;
import dev.ringflow.engine.SinkException;
import dev.ringflow.engine.SourceProgress;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Writes outputs to a Kafka topic with an idempotent producer (the producer batches; {@link #flush()} waits for
 * every acknowledgement). Records keep their input's key and timestamp; keyed records are partitioned by key, and
 * records with a null key all go to partition 0 so that their order is kept too. Dead letters and late elements
 * go to their own topics with the reason and the input's coordinates in headers.
 * <p>
 * <b>Note:</b> {@link #onRecord} runs on the worker threads (the producer is thread-safe); {@link #flush()} may
 * run on another; {@link #commit} runs on worker 0 while the others wait. The producer's own record objects are
 * the only per-record garbage.
 */
public final class KafkaSink implements Sink
{
    public static final String HEADER_ERROR = "ringflow.error";
    public static final String HEADER_SOURCE_TOPIC = "ringflow.source.topic";
    public static final String HEADER_SOURCE_PARTITION = "ringflow.source.partition";
    public static final String HEADER_SOURCE_OFFSET = "ringflow.source.offset";
    private static final Integer NULL_KEY_PARTITION = 0;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String deadLetterTopic;
    private final String lateTopic;
    private final Callback onSendCompleted = this::onSendCompleted;
    private final ConsumerGroupView group;
    private final String journalId;
    /** Where partition-scoped state goes; null without it. */
    private final StateTopic state;
    private long transactions;
    /** Commits put off while the consumer rejoined its group. */
    private long deferredCommits;
    private long transactionNanos;
    private long maxTransactionNanos;
    /** When the first and the last commit started: the average interval between commits. */
    private long firstCommitNs;
    private long lastCommitNs;
    private volatile Exception sendFailure;
    private final KafkaSinkMetrics metrics = new KafkaSinkMetrics();
    /**
     * Outputs sent into the open transaction: a plain field, read by the worker that writes it (to date a failure)
     * and at close, when the engine has stopped the workers.
     */
    private boolean sentSinceCommit;
    /** When the first output went into the open transaction: its age tells a timeout from a fencing. */
    private long transactionStartNs;
    /** The producer's {@code transaction.timeout.ms}, in ns. */
    private final long transactionTimeoutNs;
    /**
     * Set when a commit failed: the transaction's outcome is then unknown (a commit that timed out may still
     * complete on the broker), so this producer is never used again. Recovery in a new sink, with a new producer
     * whose {@code initTransactions} fences this one, learns the outcome from the committed offsets.
     */
    private volatile boolean transactionStateUnknown;
    /** Set by {@link #close()}: sends failed by the close itself are expected, not news. */
    private volatile boolean closing;

    /**
     * @param deadLetterTopic null when the pipeline has none.
     * @param lateTopic       null when the pipeline has none.
     */
    public KafkaSink(
        final Properties producerProperties, final String topic, final String deadLetterTopic, final String lateTopic)
    {
        this(producerProperties, topic, deadLetterTopic, lateTopic, null, null);
    }

    /**
     * A transactional sink: outputs and the source's offsets are committed together at each commit marker, with
     * the journal's id and the marker's journal index in the offsets' metadata (see {@link JournalCommit}).
     *
     * @param producerProperties must set {@code transactional.id}.
     * @param group              the source consumer's assignment and group metadata; null for a plain sink.
     * @param journalId          the journal's id; null for a plain sink.
     */
    public KafkaSink(
        final Properties producerProperties, final String topic, final String deadLetterTopic, final String lateTopic,
        final ConsumerGroupView group, final String journalId)
    {
        this(producerProperties, topic, deadLetterTopic, lateTopic, group, journalId, null);
    }

    /**
     * A transactional sink that also commits partition-scoped state (see {@link StateTopic}).
     *
     * @param state null without partition-scoped state.
     */
    KafkaSink(
        final Properties producerProperties, final String topic, final String deadLetterTopic, final String lateTopic,
        final ConsumerGroupView group, final String journalId, final StateTopic state)
    {
        this.state = state;
        this.producer = new KafkaProducer<>(producerProperties);
        // Checked by the producer's configuration above: a number, Kafka's default when not set.
        final Object timeoutMs = producerProperties.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        transactionTimeoutNs = TimeUnit.MILLISECONDS.toNanos(null == timeoutMs ? 60_000 :
            Long.parseLong(timeoutMs.toString().trim()));
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.lateTopic = lateTopic;
        this.group = group;
        this.journalId = journalId;
        if (null != group)
        {
            try
            {
                // Fences any earlier producer with this transactional id and aborts its open transaction.
                producer.initTransactions();
                // A transaction is always open, so that workers can send without coordinating; commit() commits
                // it and opens the next.
                producer.beginTransaction();
            }
            catch (final RuntimeException ex)
            {
                producer.close(Duration.ZERO);
                throw ex;
            }
        }
    }

    /** Acknowledged records per topic, commits and aborts, for the metrics endpoint. */
    public KafkaSinkMetrics metrics()
    {
        return metrics;
    }

    @Override
    public boolean commitsProgress()
    {
        return null != group;
    }

    @Override
    public void commit(final SourceProgress progress, final long journalIndex)
    {
        if (null == group)
        {
            flush();
            return;
        }
        checkNoSendFailed();
        if (transactionStateUnknown)
        {
            throw new SinkException("not committing to topic '" + topic + "': an earlier commit of this producer " +
                "failed, leaving its transaction's outcome unknown", null);
        }
        if (null != group.lostPartitions())
        {
            throw new SinkException("not committing the Kafka transaction to topic '" + topic + "': the consumer " +
                "group took partitions " + group.lostPartitions() + " from this daemon, and their new owner " +
                "produces again what the transaction holds", null);
        }
        if (!group.beginCommit())
        {
            // The generation is ending: the next commit marker after the assignment commits all of it.
            deferredCommits++;
            return;
        }
        try
        {
            commitTransaction(progress, journalIndex);
        }
        finally
        {
            group.endCommit();
        }
    }

    private void commitTransaction(final SourceProgress progress, final long journalIndex)
    {
        List<TopicPartition> published = List.of();
        if (null != state && state.hasPending())
        {
            // The state records' offsets go into the commit's metadata: they must be known first.
            producer.flush();
            checkNoSendFailed();
            published = state.resolvePending();
        }
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        final String metadata = JournalCommit.metadata(journalId, journalIndex);
        for (int i = 0; i < progress.size(); i++)
        {
            final TopicPartition tp = new TopicPartition(progress.topic(i), progress.partition(i));
            // A partition that came back without new input since would otherwise be rewound to where this
            // engine left it before another member moved it on.
            if (group.isCurrentProgress(tp, progress.nextOffset(i)))
            {
                offsets.put(tp, new OffsetAndMetadata(progress.nextOffset(i),
                    null == state ? metadata : metadata + state.metadataSuffix(tp)));
            }
        }
        for (final TopicPartition tp : published)
        {
            // State of input not yet past the committed offset (processed again after a take-over): the offset
            // stays, the pointer moves to the state just published.
            final long from = group.startOffset(tp);
            if (!offsets.containsKey(tp) && from >= 0)
            {
                offsets.put(tp, new OffsetAndMetadata(from, metadata + state.metadataSuffix(tp)));
            }
        }
        if (offsets.isEmpty())
        {
            // No input yet, so no output either: nothing to commit.
            return;
        }
        final long startNs = System.nanoTime();
        try
        {
            producer.sendOffsetsToTransaction(offsets, group.metadata());
            producer.commitTransaction();
            producer.beginTransaction();
        }
        catch (final RuntimeException ex)
        {
            final Throwable cause = explained(ex);
            transactionStateUnknown = true;
            metrics.onAborted();
            sentSinceCommit = false;
            throw new SinkException("cannot commit a Kafka transaction to topic '" + topic + "' (its outcome is " +
                "unknown; the producer is closed, and a restart learns it from the committed offsets and emits " +
                "again what did not commit): " + ex, cause);
        }
        final long tookNs = System.nanoTime() - startNs;
        if (0 == transactions)
        {
            firstCommitNs = startNs;
        }
        lastCommitNs = startNs;
        sentSinceCommit = false;
        metrics.onCommitted(tookNs);
        transactions++;
        transactionNanos += tookNs;
        maxTransactionNanos = Math.max(maxTransactionNanos, tookNs);
        checkNoSendFailed();
    }


    @Override
    public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
        final String reason, final EventSlot source)
    {
        checkNoSendFailed();
        startsTransaction();
        final byte[] keyBytes = key.toByteArray();
        if (kind == OutputList.OUTPUT || kind == OutputList.ROUTED)
        {
            producer.send(new ProducerRecord<>(kind == OutputList.ROUTED ? reason : topic,
                null == keyBytes ? NULL_KEY_PARTITION : null, timestampMs, keyBytes, value.toByteArray()),
                onSendCompleted);
            return;
        }
        final String target = kind == OutputList.DEAD_LETTER ? deadLetterTopic : lateTopic;
        if (null == target)
        {
            return;
        }
        final RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_ERROR, utf8(reason));
        headers.add(HEADER_SOURCE_TOPIC, utf8(source.sourceTopic()));
        headers.add(HEADER_SOURCE_PARTITION, utf8(Integer.toString(source.sourcePartition())));
        headers.add(HEADER_SOURCE_OFFSET, utf8(Long.toString(source.sourceOffset())));
        producer.send(new ProducerRecord<>(target, null, timestampMs, keyBytes, value.toByteArray(), headers),
            onSendCompleted);
    }

    @Override
    public void onPartitionState(final String topic, final int partition, final long coveredOffset,
        final byte[] bytes)
    {
        if (null == state)
        {
            return;
        }
        checkNoSendFailed();
        startsTransaction();
        state.send(producer, new TopicPartition(topic, partition), coveredOffset, bytes, onSendCompleted);
    }

    @Override
    public void onEndOfBatch()
    {
        // The producer sends on its own thread once a batch fills or linger.ms passes.
    }

    @Override
    public void flush()
    {
        if (null != group)
        {
            return;
        }
        producer.flush();
        checkNoSendFailed();
    }

    private void checkNoSendFailed()
    {
        final Exception failure = sendFailure;
        if (null != failure)
        {
            throw new SinkException("cannot write to Kafka topic '" + topic + "': " + failure.getMessage(),
                explained(failure));
        }
    }

    /** An output is about to go into the open transaction: the first one starts its clock. */
    private void startsTransaction()
    {
        if (!sentSinceCommit)
        {
            transactionStartNs = System.nanoTime();
            sentSinceCommit = true;
        }
    }

    /**
     * Kafka's answer to the producer, wrapped in a {@link TransactionTimedOutException} when it says that the open
     * transaction was aborted on its timeout.
     */
    private Throwable explained(final Throwable kafkaFailure)
    {
        final long openNs = System.nanoTime() - transactionStartNs;
        if (null != group && sentSinceCommit && TransactionTimedOutException.isTimeout(kafkaFailure, openNs,
            transactionTimeoutNs))
        {
            return new TransactionTimedOutException(openNs, transactionTimeoutNs, kafkaFailure);
        }
        return kafkaFailure;
    }

    @Override
    public void close()
    {
        closing = true;
        if (transactions > 0)
        {
            LOG.info("{} transactions committed, {} ms on average, {} ms at most (the worker waits for each){}{}",
                transactions, String.format(Locale.ROOT, "%.1f", transactionNanos / 1e6 / transactions),
                String.format(Locale.ROOT, "%.1f", maxTransactionNanos / 1e6), transactions < 2 ? "" :
                String.format(Locale.ROOT, ", one every %.1f ms", (lastCommitNs - firstCommitNs) / 1e6 /
                (transactions - 1)),
                0 == deferredCommits ? "" : "; " + deferredCommits + " commits put off while the group rebalanced");
        }
        if (transactionStateUnknown || null != sendFailure)
        {
            // Nothing more may go through this producer, and the broker may be unreachable: closing without
            // waiting drops what it still buffers. The next producer with this transactional id aborts the open
            // transaction (or waits for a commit already under way to finish) when it starts.
            closeProducer(Duration.ZERO);
            return;
        }
        if (null != group)
        {
            try
            {
                // The transaction opened after the last commit holds nothing committed-worthy: a clean stop has
                // committed everything at its last marker, a failed one must not commit. Closing with it open
                // would wait out the close timeout.
                producer.abortTransaction();
                if (sentSinceCommit)
                {
                    metrics.onAborted();
                }
            }
            catch (final RuntimeException ex)
            {
                LOG.debug("aborting the open transaction at close failed: {}", ex.toString());
            }
        }
        closeProducer(Duration.ofSeconds(30));
    }

    private void closeProducer(final Duration timeout)
    {
        try
        {
            producer.close(timeout);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("error closing the Kafka producer", ex);
        }
    }

    private void onSendCompleted(final RecordMetadata metadata, final Exception exception)
    {
        if (null == exception)
        {
            metrics.onAcknowledged(metadata.topic());
            return;
        }
        metrics.onSendFailed();
        if (null == sendFailure && !closing)
        {
            sendFailure = exception;
            LOG.error("a send to Kafka failed; the pipeline will stop without committing the input: {}",
                exception.toString());
        }
    }

    private static byte[] utf8(final String text)
    {
        return null == text ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }
}
