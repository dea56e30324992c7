package dev.ringflow.io.kafka;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link KafkaSource} reports about its consumer: records taken in per partition, lag per partition,
 * rebalances, time spent paused by backpressure, and whether it is assigned, restored and connected.
 * <p>
 * <b>Note:</b> Written by the source thread only; read by any thread.
 */
public final class KafkaSourceMetrics
{
    /** How often the source asks its consumer for lag and connections: it is not free, and metrics are coarse. */
    static final long REFRESH_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);

    /** Counts of one assigned partition. */
    public static final class PartitionMetrics
    {
        private volatile long consumed;
        private volatile long lag = -1;

        /** Records of this partition published into the ring since the daemon started. */
        public long consumed()
        {
            return consumed;
        }

        /** Records between the consumer's position and the end of the partition; -1 until the consumer knows. */
        public long lag()
        {
            return lag;
        }
    }

    private final Map<TopicPartition, PartitionMetrics> partitions = new ConcurrentHashMap<>();
    private final AtomicLong rebalances = new AtomicLong();
    private final AtomicLong partitionsLost = new AtomicLong();
    private volatile boolean assigned;
    private volatile boolean restored;
    private volatile boolean connected = true;
    private volatile long pausedNs;
    private long pausedSinceNs;
    private long nextRefreshNs;

    /** The partitions assigned now, with their counts. */
    public Map<TopicPartition, PartitionMetrics> partitions()
    {
        return partitions;
    }

    /** Assignments received from the group coordinator (each rebalance that reached this member). */
    public long rebalances()
    {
        return rebalances.get();
    }

    /** With partition-scoped state: partitions taken over (with state or empty), since start. */
    public long stateTakeOvers()
    {
        return stateTakeOvers.get();
    }

    /** With partition-scoped state: bytes of state read from the state topic by take-overs, since start. */
    public long stateBytesTakenOver()
    {
        return stateBytes.get();
    }

    /** With partition-scoped state: time spent reading state from the state topic, since start. */
    public long stateTakeOverNs()
    {
        return stateNs.get();
    }

    /** With {@code state.standby-replicas: 1}: take-overs whose state came from the standby copy, since start. */
    public long stateTakeOversFromStandby()
    {
        return standbyTakeOvers.get();
    }

    /**
     * With a journal: take-overs whose state came from the journal's copy of this daemon's own last publish (a
     * restart of the same daemon), since start.
     */
    public long stateTakeOversFromJournal()
    {
        return localTakeOvers.get();
    }

    /** With a journal: bytes of state read from the journal's copies by take-overs, since start. */
    public long stateBytesFromJournal()
    {
        return localBytes.get();
    }

    /** With a journal: time spent reading the journal's copies by take-overs, since start. */
    public long stateTakeOverNsFromJournal()
    {
        return localNs.get();
    }

    /** True with {@code state.standby-replicas: 1}. */
    public boolean hasStandby()
    {
        return null != standby;
    }

    /** Bytes of state the standby holds for partitions this daemon does not own; 0 without. */
    public long standbyBytes()
    {
        final StandbyReplica replica = standby;
        return null == replica ? 0 : replica.bytes();
    }

    /** Input partitions whose latest published state the standby holds whole; 0 without. */
    public int standbyPartitions()
    {
        final StandbyReplica replica = standby;
        return null == replica ? 0 : replica.partitions();
    }

    void standby(final StandbyReplica replica)
    {
        standby = replica;
    }

    void localCopies(final LocalStateCopies copies)
    {
        localCopies = copies;
    }

    /**
     * With partition-scoped state and a journal: bytes written to the journal's copies of the states this daemon
     * published, since start.
     */
    public long stateCopyBytesWritten()
    {
        final LocalStateCopies copies = localCopies;
        return null == copies ? 0 : copies.bytesWritten();
    }

    /** With partition-scoped state and a journal: time the copy thread spent writing those copies, since start. */
    public long stateCopyWriteNs()
    {
        final LocalStateCopies copies = localCopies;
        return null == copies ? 0 : copies.writeNs();
    }

    /**
     * @param from where the state came from: the standby's and the journal's copies are counted apart, and not as
     *             read from the topic.
     */
    void onTakeOver(final long bytes, final long tookNs, final StateTopic.From from)
    {
        stateTakeOvers.incrementAndGet();
        switch (from)
        {
            case STANDBY -> standbyTakeOvers.incrementAndGet();
            case LOCAL ->
            {
                localTakeOvers.incrementAndGet();
                localBytes.addAndGet(bytes);
                localNs.addAndGet(tookNs);
            }
            default ->
            {
                stateBytes.addAndGet(bytes);
                stateNs.addAndGet(tookNs);
            }
        }
    }

    /** Partitions taken away without a revoke (the member missed its session). */
    public long partitionsLost()
    {
        return partitionsLost.get();
    }

    /** True once the group has assigned this member its partitions (possibly none) for the first time. */
    public boolean isAssigned()
    {
        return assigned;
    }

    /** True once the journal recovery that runs on the first assignment (if any) has published its replay. */
    public boolean isRestored()
    {
        return restored;
    }

    /** The partitions whose state is being taken over from the state topic, or null. */
    public String restoringState()
    {
        return restoringState;
    }

    void onRestoringState(final String partitions)
    {
        restoringState = partitions;
    }

    /** False while the consumer has no open connection to any broker. */
    public boolean isConnected()
    {
        return connected;
    }

    /** Nanoseconds the source has held its partitions paused because the ring was full, including now. */
    public long backpressureNs()
    {
        final long since = pausedSinceNs;
        return pausedNs + (0 == since ? 0 : Math.max(0, System.nanoTime() - since));
    }

    private volatile String restoringState;
    private final java.util.concurrent.atomic.AtomicLong stateTakeOvers = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong stateBytes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong stateNs = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong standbyTakeOvers =
        new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong localTakeOvers = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong localBytes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong localNs = new java.util.concurrent.atomic.AtomicLong();
    private volatile StandbyReplica standby;
    private volatile LocalStateCopies localCopies;

    void onAssigned(final Collection<TopicPartition> assigned)
    {
        for (final TopicPartition tp : assigned)
        {
            partitions.computeIfAbsent(tp, key -> new PartitionMetrics());
        }
        rebalances.incrementAndGet();
        this.assigned = true;
    }

    void onRestored()
    {
        restored = true;
    }

    void onRemoved(final Collection<TopicPartition> removed, final boolean lost)
    {
        partitions.keySet().removeAll(removed);
        if (lost)
        {
            partitionsLost.addAndGet(removed.size());
        }
    }

    void onPublished(final TopicPartition tp, final int records)
    {
        final PartitionMetrics partition = partitions.computeIfAbsent(tp, key -> new PartitionMetrics());
        partition.consumed += records;
    }

    void onPaused(final long nowNs)
    {
        pausedSinceNs = nowNs;
    }

    void onResumed(final long nowNs)
    {
        pausedNs += nowNs - pausedSinceNs;
        pausedSinceNs = 0;
    }

    /** At most every {@link #REFRESH_INTERVAL_NS}: reads lag and connections from the consumer's own figures. */
    void refresh(final KafkaConsumer<?, ?> consumer, final long nowNs)
    {
        if (nowNs - nextRefreshNs < 0)
        {
            return;
        }
        nextRefreshNs = nowNs + REFRESH_INTERVAL_NS;
        for (final Map.Entry<TopicPartition, PartitionMetrics> entry : partitions.entrySet())
        {
            final OptionalLong lag = consumer.currentLag(entry.getKey());
            if (lag.isPresent())
            {
                entry.getValue().lag = lag.getAsLong();
            }
        }
        for (final Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet())
        {
            if ("connection-count".equals(metric.getKey().name()) &&
                "consumer-metrics".equals(metric.getKey().group()) &&
                metric.getValue().metricValue() instanceof Number count)
            {
                connected = count.doubleValue() > 0;
            }
        }
    }
}
