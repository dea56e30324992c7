package dev.ringflow.engine.pipeline;

/**
 * What the workers' keyed state belongs to, and how it follows its input partitions between daemons of one
 * consumer group.
 *
 * @param scope             {@link Scope#KEY} (the default): one state per key, whatever partition its records
 *                          came from; {@link Scope#PARTITION}: one state per input partition, so that a partition
 *                          carries its state when the group moves it to another daemon.
 * @param topic             the compacted topic that per-partition state is published to for another daemon to
 *                          take over; null for {@code <pipeline name>-state}.
 * @param publishIntervalMs how often (at a commit) each owned partition's state is published to {@code topic}; a
 *                          partition that changes owner is also published when it is given up. Its new owner loads
 *                          the latest published state and processes the input after it again, without emitting.
 * @param restoreTimeoutMs  how long taking a partition over may wait for its state (read committed, it also waits
 *                          for an open transaction before the state to end); then the daemon stops.
 * @param standbyReplicas   0 (the default) or 1: with 1, the daemon keeps in memory a warm copy of the latest
 *                          published state of every input partition it does not own, read from {@code topic} as it
 *                          is published, so that taking one of them over (after its owner died or left) needs no
 *                          read of the state topic.
 */
public record StateSpec(Scope scope, String topic, long publishIntervalMs, long restoreTimeoutMs,
    int standbyReplicas)
{
    public static final long DEFAULT_PUBLISH_INTERVAL_MS = 10_000;
    public static final long DEFAULT_RESTORE_TIMEOUT_MS = 120_000;

    /** Without standby replicas. */
    public StateSpec(final Scope scope, final String topic, final long publishIntervalMs, final long restoreTimeoutMs)
    {
        this(scope, topic, publishIntervalMs, restoreTimeoutMs, 0);
    }

    /** With the default restore timeout. */
    public StateSpec(final Scope scope, final String topic, final long publishIntervalMs)
    {
        this(scope, topic, publishIntervalMs, DEFAULT_RESTORE_TIMEOUT_MS);
    }

    public static StateSpec defaults()
    {
        return new StateSpec(Scope.KEY, null, DEFAULT_PUBLISH_INTERVAL_MS);
    }

    /** True when state is kept per input partition. */
    public boolean perPartition()
    {
        return scope == Scope.PARTITION;
    }

    /** The state topic's name for the pipeline {@code pipelineName}. */
    public String topicFor(final String pipelineName)
    {
        return null != topic ? topic : pipelineName + "-state";
    }

    /** What keyed state belongs to. */
    public enum Scope
    {
        /** One state per key: right for one daemon whatever partitions a key's records come from. */
        KEY,
        /**
         * One state per input partition (and key within it), like a Kafka Streams task: needed when several
         * daemons share a consumer group, and exact when each key's records are in one partition.
         */
        PARTITION
    }
}
