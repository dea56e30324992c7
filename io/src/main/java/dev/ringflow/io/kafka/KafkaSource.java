package dev.ringflow.io.kafka;

import dev.ringflow.engine.EventPublisher;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.SinkException;
import dev.ringflow.engine.Source;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Reads subscribed topics with a {@link KafkaConsumer} in a consumer group and publishes the records into the
 * ring in batches. When the ring is full it pauses its partitions (memory stays bounded, the group membership
 * stays alive) and resumes when the batch it holds has fit. Offsets are committed only for input the engine
 * reports processed and durable; on a rebalance the ring is drained and the revoked partitions committed first.
 * <p>
 * <b>Note:</b> Every method but {@link #wakeup()} runs on the engine's source thread.
 */
public final class KafkaSource implements Source, ConsumerRebalanceListener
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final long LIVENESS_POLL_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long FULL_RING_PARK_NS = TimeUnit.MICROSECONDS.toNanos(500);
    private static final Duration RECOVERY_LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PublishedOffsets publishedOffsets;

    private ConsumerRecords<byte[], byte[]> batch;
    private Iterator<TopicPartition> batchPartitions;
    private TopicPartition partition;
    private List<ConsumerRecord<byte[], byte[]>> partitionRecords;
    private int recordIndex;

    private EventPublisher publisher;
    private volatile boolean paused;
    private long lastLivenessPollNs;
    private final ConsumerGroupView group;
    private final Collection<String> topics;
    /** With {@link #group}: each assigned partition and the offset its current assignment started from. */
    private final Map<TopicPartition, Long> assignedFrom = new HashMap<>();
    private JournalRecovery recovery;
    private final KafkaSourceMetrics metrics = new KafkaSourceMetrics();
    /** Index in {@link #partitionRecords} up to which published records are counted in {@link #metrics}. */
    private int countedFrom;
    /** Partition-scoped state: see {@link StateTopic}; null otherwise. */
    private final PartitionTakeOver state;
    /** The offset below which the current batch partition's input is processed silently, or -1. */
    private long silentUntil = -1;
    /** Set by {@link #close()}, after which a revocation has nothing to drain or commit. */
    private boolean closing;

    public KafkaSource(final Properties consumerProperties, final Collection<String> topics)
    {
        this(consumerProperties, topics, null, null);
    }

    /**
     * @param group    when not null, offsets are committed by a transactional sink, not by this source: the source
     *                 only keeps {@code group} up to date.
     * @param recovery when not null, replays the journal into the ring: up to the last commit before the consumer
     *                 joins its group, the rest when partitions are first assigned.
     */
    KafkaSource(final Properties consumerProperties, final Collection<String> topics, final ConsumerGroupView group,
        final JournalRecovery recovery)
    {
        this(consumerProperties, topics, group, recovery, null);
    }

    /**
     * @param state with partition-scoped state: where a newly assigned partition's state is taken over from, and
     *              a given-up partition's last state is committed to; null otherwise.
     */
    KafkaSource(final Properties consumerProperties, final Collection<String> topics, final ConsumerGroupView group,
        final JournalRecovery recovery, final StateTopic state)
    {
        consumer = new KafkaConsumer<>(consumerProperties);
        // With a transactional sink the offsets travel in its transactions: no checkpoints to keep.
        publishedOffsets = new PublishedOffsets(null == group);
        this.group = group;
        this.recovery = recovery;
        this.topics = List.copyOf(topics);
        consumer.subscribe(topics, this);
        this.state = null == state ? null : new PartitionTakeOver(state, metrics);
    }

    /** Once the journal recovery of the first assignment has published its replay. */
    @Override
    public boolean acceptsChanges()
    {
        return metrics.isRestored();
    }

    /** Records taken in, lag, rebalances and backpressure, for the metrics endpoint. */
    public KafkaSourceMetrics metrics()
    {
        return metrics;
    }

    @Override
    public int poll(final EventPublisher publisher)
    {
        this.publisher = publisher;
        if (null != state)
        {
            // Also while the ring is full: a dead standby stops the daemon then too.
            state.check();
        }
        try
        {
            if (null != batch)
            {
                if (paused && !publisher.hasRoomToResume())
                {
                    waitForRingSpace();
                    return 0;
                }
                final int published = publishBatch(publisher);
                if (null != batch)
                {
                    waitForRingSpace();
                }
                return published;
            }
            if (null != recovery && !recovery.committedReplayed() && !replayCommittedJournal(publisher))
            {
                return 0;
            }
            if (paused)
            {
                consumer.resume(consumer.paused());
                paused = false;
                metrics.onResumed(System.nanoTime());
            }
            final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
            final long polledNs = System.nanoTime();
            metrics.refresh(consumer, polledNs);
            if (records.isEmpty())
            {
                return 0;
            }
            publisher.polled(polledNs);
            startBatch(records);
            return publishBatch(publisher);
        }
        catch (final WakeupException ex)
        {
            return 0;
        }
        catch (final KafkaException ex)
        {
            // The consumer wraps what a rebalance callback throws ("User rebalance callback throws an error").
            if (ex.getCause() instanceof SinkException cause)
            {
                throw cause;
            }
            throw ex;
        }
    }

    /** True while the source holds a batch that did not fit in the ring and has paused its partitions. */
    public boolean isPaused()
    {
        return paused;
    }

    @Override
    public void commit(final long processedSequence)
    {
        final Map<TopicPartition, OffsetAndMetadata> offsets = publishedOffsets.processedUpTo(processedSequence);
        if (null != offsets && null == group)
        {
            commitAssigned(offsets);
        }
    }

    @Override
    public void wakeup()
    {
        consumer.wakeup();
    }

    @Override
    public void close()
    {
        // A clean stop has drained and committed before closing; a failed one must not commit at all.
        closing = true;
        if (null != state)
        {
            state.close();
        }
        try
        {
            // Leave the group even as a static member, so a stopped daemon's partitions move on at once.
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("error closing the Kafka consumer", ex);
        }
    }

    @Override
    public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
    {
        if (partitions.isEmpty())
        {
            return;
        }
        dropUnpublished(partitions);
        if (null != group)
        {
            // A cooperative rebalance revokes in a new generation: the drain's commit must carry it, or the
            // coordinator refuses it ("Specified group generation id is not valid").
            group.update(assignedFrom, consumer.groupMetadata());
        }
        if (null != publisher && !closing)
        {
            if (null != state)
            {
                state.giveUp(partitions, publisher);
            }
            final long processed = publisher.drainAndFlush();
            commit(processed);
            if (null != group)
            {
                forget(partitions);
                metrics.onRemoved(partitions, false);
                LOG.info("partitions revoked{}: {}", null == state ? "" : " (their state committed)", partitions);
                return;
            }
            commitAssigned(publishedOffsets.of(partitions));
        }
        forget(partitions);
        metrics.onRemoved(partitions, false);
        LOG.info("partitions revoked: {}", partitions);
    }

    @Override
    public void onPartitionsLost(final Collection<TopicPartition> partitions)
    {
        dropUnpublished(partitions);
        forget(partitions);
        metrics.onRemoved(partitions, true);
        if (null != group && !partitions.isEmpty())
        {
            // Exactly once: the open transaction holds outputs of these partitions' input since the last commit,
            // which their new owner produces again from the committed offsets, so it must never commit. The sink
            // refuses to from now on, and stopping aborts it (as a commit refused for an old generation does); a
            // restart recovers from the journal and rejoins the group.
            group.markLost(partitions.toString());
            throw new SinkException("the consumer group dropped this daemon and took partitions " + partitions +
                " (no heartbeat within session.timeout.ms, e.g. the process was paused): stopping, so that the " +
                "open transaction with their uncommitted outputs is aborted; a restart recovers from the journal",
                null);
        }
        LOG.warn("partitions lost (their uncommitted input will be processed again by their new owner): {}",
            partitions);
    }

    @Override
    public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
    {
        final boolean recovering = null != recovery && null != publisher;
        metrics.onAssigned(partitions);
        if (null != group)
        {
            // A journal recovery re-creates the progress of its partitions from their committed offsets, so any
            // progress counts; otherwise a partition's progress counts from where its consumption starts now.
            assignedFrom.keySet().retainAll(consumer.assignment());
            for (final TopicPartition tp : partitions)
            {
                assignedFrom.put(tp, recovering ? Long.MIN_VALUE : startOffset(tp));
            }
            group.update(assignedFrom, consumer.groupMetadata());
        }
        if (!partitions.isEmpty())
        {
            LOG.info("partitions assigned: {}", partitions);
        }
        if (paused)
        {
            // Assigned in a rebalance while the ring was full: the liveness polls must not fetch them either.
            consumer.pause(partitions);
        }
        if (null != state && !partitions.isEmpty())
        {
            if (null == publisher)
            {
                throw new IllegalStateException("partitions assigned before the engine polled");
            }
            state.takeOver(consumer, partitions, publisher);
        }
        if (recovering)
        {
            final Set<TopicPartition> assigned = consumer.assignment();
            final Map<TopicPartition, OffsetAndMetadata> committed =
                throughWakeups(() -> consumer.committed(assigned));
            final JournalRecovery journal = recovery;
            recovery = null;
            journal.replayUncommitted(assigned, committed, publisher).forEach(consumer::seek);
        }
        metrics.onRestored();
    }

    /**
     * Step one of a journal recovery, before the consumer first polls and so joins its group: replays the journal
     * up to the last commit, whose index the committed offsets of the input topics' partitions carry.
     *
     * @return false when Kafka did not answer in time (logged; the next poll tries again).
     */
    private boolean replayCommittedJournal(final EventPublisher publisher)
    {
        final Map<TopicPartition, OffsetAndMetadata> committed;
        try
        {
            final Set<TopicPartition> partitions = new HashSet<>();
            for (final String topic : topics)
            {
                for (final PartitionInfo info : consumer.partitionsFor(topic, RECOVERY_LOOKUP_TIMEOUT))
                {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
            committed = consumer.committed(partitions, RECOVERY_LOOKUP_TIMEOUT);
        }
        catch (final TimeoutException ex)
        {
            LOG.warn("cannot read the committed offsets to recover from the journal yet ({}); trying again",
                ex.toString());
            return false;
        }
        recovery.replayCommitted(committed, publisher);
        return true;
    }

    /** Where consumption of a newly assigned partition starts: its committed offset, or the reset policy's. */
    private long startOffset(final TopicPartition tp)
    {
        try
        {
            return throughWakeups(() -> consumer.position(tp));
        }
        catch (final TimeoutException ex)
        {
            LOG.warn("cannot tell where partition {} starts ({}); its progress is committed as before this " +
                "assignment, which can rewind it if another member moved it on", tp, ex.toString());
            return Long.MIN_VALUE;
        }
    }

    private void startBatch(final ConsumerRecords<byte[], byte[]> records)
    {
        batch = records;
        batchPartitions = new ArrayList<>(records.partitions()).iterator();
        partition = null;
        partitionRecords = null;
        recordIndex = 0;
        countedFrom = 0;
    }

    private int publishBatch(final EventPublisher publisher)
    {
        int published = 0;
        while (true)
        {
            if (null == partitionRecords || recordIndex == partitionRecords.size())
            {
                countPublished();
                if (!batchPartitions.hasNext())
                {
                    batch = null;
                    break;
                }
                partition = batchPartitions.next();
                partitionRecords = batch.records(partition);
                recordIndex = 0;
                countedFrom = 0;
                silentUntil = null == state ? -1 : state.silentUntil(partition);
                continue;
            }
            final EventSlot slot = publisher.tryClaim();
            if (null == slot)
            {
                break;
            }
            final ConsumerRecord<byte[], byte[]> record = partitionRecords.get(recordIndex++);
            slot.input(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
                record.value());
            if (record.offset() < silentUntil)
            {
                slot.silent();
            }
            else if (silentUntil >= 0)
            {
                state.caughtUp(partition);
                silentUntil = -1;
            }
            published++;
            if (recordIndex == partitionRecords.size())
            {
                publishedOffsets.published(partition, record.offset() + 1);
            }
        }
        if (null != partitionRecords && recordIndex > 0 && recordIndex < partitionRecords.size())
        {
            publishedOffsets.published(partition, partitionRecords.get(recordIndex - 1).offset() + 1);
        }
        countPublished();
        publisher.publish();
        if (published > 0)
        {
            publishedOffsets.checkpoint(publisher.lastPublishedSequence());
        }
        return published;
    }

    /** Counts the records of the current partition published since the last count. */
    private void countPublished()
    {
        if (null != partitionRecords && recordIndex > countedFrom)
        {
            metrics.onPublished(partition, recordIndex - countedFrom);
        }
        countedFrom = recordIndex;
    }

    /** The ring is full: pause fetching, keep the group alive, and give the worker a moment. */
    private void waitForRingSpace()
    {
        final long nowNs = System.nanoTime();
        if (!paused)
        {
            consumer.pause(consumer.assignment());
            paused = true;
            metrics.onPaused(nowNs);
        }
        if (nowNs - lastLivenessPollNs >= LIVENESS_POLL_INTERVAL_NS)
        {
            lastLivenessPollNs = nowNs;
            // Paused partitions return nothing; this only runs heartbeats and rebalance callbacks (which pause what
            // they assign while the source is paused).
            final ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(Duration.ZERO);
            if (!unexpected.isEmpty())
            {
                throw new IllegalStateException("the consumer returned " + unexpected.count() + " records of " +
                    unexpected.partitions() + " while the source held its partitions paused");
            }
            metrics.refresh(consumer, nowNs);
        }
        else
        {
            LockSupport.parkNanos(FULL_RING_PARK_NS);
        }
    }

    private void dropUnpublished(final Collection<TopicPartition> partitions)
    {
        if (null == batch)
        {
            return;
        }
        final List<TopicPartition> remaining = new ArrayList<>();
        batchPartitions.forEachRemaining(remaining::add);
        remaining.removeAll(partitions);
        batchPartitions = remaining.iterator();
        if (null != partition && partitions.contains(partition))
        {
            partitionRecords = null;
        }
    }

    private void forget(final Collection<TopicPartition> partitions)
    {
        if (null != state)
        {
            state.forget(partitions);
        }
        if (null != group)
        {
            assignedFrom.keySet().retainAll(consumer.assignment());
            assignedFrom.keySet().removeAll(partitions);
            group.update(assignedFrom, consumer.groupMetadata());
        }
        publishedOffsets.forget(partitions);
    }

    private void commitAssigned(final Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        final Map<TopicPartition, OffsetAndMetadata> assigned = new HashMap<>(offsets);
        assigned.keySet().retainAll(consumer.assignment());
        if (assigned.isEmpty())
        {
            return;
        }
        try
        {
            commitSync(assigned);
        }
        catch (final CommitFailedException | RebalanceInProgressException ex)
        {
            LOG.warn("offset commit failed; the input behind it will be processed again by the partitions' next " +
                "owner: {}", ex.toString());
        }
    }

    /**
     * A blocking consumer call made in {@link #onPartitionsAssigned}, made again when a wakeup aborts it. The engine
     * wakes the consumer to end a poll early (a model swap or pipeline change to publish, a stop), and such a wakeup
     * may land in the callback instead: Kafka then calls it again at the next poll, but with no partitions (it has
     * assigned them already), so what was left of it (the journal recovery, taking partitions over) would never be
     * done. Going on instead delays the change or the stop by one poll at most.
     */
    static <T> T throughWakeups(final Supplier<T> call)
    {
        while (true)
        {
            try
            {
                return call.get();
            }
            catch (final WakeupException ex)
            {
                // Consumed: the next call is not woken by it.
            }
        }
    }

    private void commitSync(final Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        try
        {
            consumer.commitSync(offsets);
        }
        catch (final WakeupException ex)
        {
            // A wakeup meant for a poll may land here instead; the commit still has to happen.
            consumer.commitSync(offsets);
        }
    }
}
