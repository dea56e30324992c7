package dev.ringflow.io.kafka;

import dev.ringflow.engine.EventPublisher;
import dev.ringflow.engine.PartitionState;
import dev.ringflow.engine.SinkException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

/**
 * The source's side of partition-scoped state ({@link StateTopic}): a newly assigned partition is taken over with
 * the state its committed offset points to, from the offset that state covers, and its input from there to the
 * committed offset is processed again silently (the previous owner committed its outputs); a partition given up
 * publishes its last state into the transaction that commits its offsets.
 * <p>
 * <b>Note:</b> Runs on the source thread, in the consumer's rebalance callbacks and its batch publishing.
 */
final class PartitionTakeOver implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(PartitionTakeOver.class);

    private final StateTopic state;
    private final KafkaSourceMetrics metrics;
    /** Partitions taken over below their committed offset: their input up to it is processed for its state only. */
    private final Map<TopicPartition, Long> silentBelow = new HashMap<>();

    PartitionTakeOver(final StateTopic state, final KafkaSourceMetrics metrics)
    {
        this.state = state;
        this.metrics = metrics;
        metrics.standby(state.standby());
        metrics.localCopies(state.localCopies());
        state.startStandby();
    }

    /** @throws SinkException when the standby's thread died. */
    void check()
    {
        state.checkStandby();
    }

    /**
     * Publishes a take-over of each of {@code partitions} and seeks those whose state lies below their committed
     * offset back to where it does.
     *
     * @throws SinkException when a partition's state cannot be read whole, or lies past its committed offset.
     */
    void takeOver(final KafkaConsumer<byte[], byte[]> consumer, final Collection<TopicPartition> partitions,
        final EventPublisher publisher)
    {
        metrics.onRestoringState(partitions.toString());
        final long deadlineNs = state.takeOverDeadlineNs();
        try
        {
            final Map<TopicPartition, OffsetAndMetadata> committed =
                KafkaSource.throughWakeups(() -> consumer.committed(new HashSet<>(partitions)));
            for (final TopicPartition tp : partitions)
            {
                final OffsetAndMetadata offset = committed.get(tp);
                final long startNs = System.nanoTime();
                final long startOffset = null == offset ? KafkaSource.throughWakeups(() -> consumer.position(tp)) :
                    offset.offset();
                final StateTopic.Restored restored = state.restore(tp, offset, startOffset, deadlineNs);
                metrics.onTakeOver(null == restored.state() ? 0 : restored.state().length, System.nanoTime() - startNs,
                    restored.from());
                publisher.publishChange(PartitionState.takeOver(tp.topic(), tp.partition(),
                    restored.coveredOffset(), restored.state(), restored.origin()));
                if (null != offset && restored.coveredOffset() < offset.offset())
                {
                    consumer.seek(tp, restored.coveredOffset());
                    silentBelow.put(tp, offset.offset());
                    LOG.info("{}: processing offsets {} to {} again for their state (their outputs are committed)",
                        tp, restored.coveredOffset(), offset.offset() - 1);
                }
                else if (null != offset && restored.coveredOffset() > offset.offset())
                {
                    throw new SinkException("the state of " + tp + " covers input up to offset " +
                        restored.coveredOffset() + ", past its committed offset " + offset.offset() + ": the " +
                        "offsets were reset by hand; reset the state topic too (or delete it) and restart", null);
                }
            }
        }
        finally
        {
            metrics.onRestoringState(null);
        }
    }

    /** Publishes a give-up of each of {@code partitions}: their state goes into the transaction the drain commits. */
    void giveUp(final Collection<TopicPartition> partitions, final EventPublisher publisher)
    {
        state.release(partitions);
        for (final TopicPartition tp : partitions)
        {
            publisher.publishChange(PartitionState.giveUp(tp.topic(), tp.partition(), "rebalance"));
        }
    }

    /** The offset below which {@code partition}'s input is processed silently, or -1. */
    long silentUntil(final TopicPartition partition)
    {
        return silentBelow.isEmpty() ? -1 : silentBelow.getOrDefault(partition, -1L);
    }

    /** {@code partition}'s input reached its committed offset: from there on it emits again. */
    void caughtUp(final TopicPartition partition)
    {
        silentBelow.remove(partition);
    }

    void forget(final Collection<TopicPartition> partitions)
    {
        state.forget(partitions);
        partitions.forEach(silentBelow::remove);
    }

    @Override
    public void close()
    {
        state.close();
    }
}
