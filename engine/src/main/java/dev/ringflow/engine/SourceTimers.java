package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.PipelineSpec;

import java.util.concurrent.TimeUnit;

/**
 * What the source thread does on a clock between polls: idle-watermark ticks, snapshot requests and commits.
 * <p>
 * <b>Note:</b> Used only by the source thread, once per poll; allocation free.
 */
final class SourceTimers
{
    final long snapshotIntervalNs;
    private final Engine engine;
    private final EventPublisher publisher;
    private final long commitIntervalNs;
    private final long idleWatermarkNs;
    /** With partition-scoped state: how often partition state is published; 0 otherwise. */
    private final long statePublishIntervalNs;
    private long nextStatePublishNs;
    private long nextCommitNs;
    private long nextSnapshotNs;
    private long publishedAtSnapshot = -2;
    private long lastInputNs;
    private long lastTickNs;

    SourceTimers(final Engine engine, final EventPublisher publisher, final PipelineSpec spec,
        final boolean snapshots)
    {
        this.engine = engine;
        this.publisher = publisher;
        commitIntervalNs = TimeUnit.MILLISECONDS.toNanos(spec.engine().commitIntervalMs());
        idleWatermarkNs = TimeUnit.MILLISECONDS.toNanos(spec.engine().idleWatermarkMs());
        snapshotIntervalNs = snapshots ? TimeUnit.MILLISECONDS.toNanos(spec.journal().snapshotIntervalMs()) : 0;
        statePublishIntervalNs = spec.state().perPartition() ?
            TimeUnit.MILLISECONDS.toNanos(spec.state().publishIntervalMs()) : 0;
        final long nowNs = System.nanoTime();
        nextStatePublishNs = nowNs + statePublishIntervalNs;
        nextCommitNs = nowNs + commitIntervalNs;
        nextSnapshotNs = nowNs + snapshotIntervalNs;
        lastInputNs = nowNs;
        lastTickNs = nowNs;
    }

    /** After a poll that published {@code published} events. */
    void onPoll(final int published, final long nowNs)
    {
        if (engine.hasPendingChanges())
        {
            engine.publishPendingChanges();
        }
        if (published > 0)
        {
            lastInputNs = nowNs;
        }
        else if (idleWatermarkNs > 0 && nowNs - lastInputNs >= idleWatermarkNs &&
            nowNs - lastTickNs >= idleWatermarkNs >> 1)
        {
            engine.publishTick(TimeUnit.NANOSECONDS.toMillis(nowNs - lastInputNs));
            lastTickNs = nowNs;
        }
        if (snapshotIntervalNs > 0 && nowNs - nextSnapshotNs >= 0)
        {
            // Nothing but the last snapshot's own marker since then: the state has not changed.
            if (publisher.lastPublishedSequence() > publishedAtSnapshot + 1)
            {
                publishedAtSnapshot = publisher.lastPublishedSequence();
                publisher.requestSnapshot();
            }
            nextSnapshotNs = nowNs + snapshotIntervalNs;
        }
        if (statePublishIntervalNs > 0 && nowNs - nextStatePublishNs >= 0)
        {
            // With the next commit: the workers publish only partitions that changed since.
            publisher.requestStatePublish();
            nextStatePublishNs = nowNs + statePublishIntervalNs;
        }
        if (nowNs - nextCommitNs >= 0)
        {
            engine.commitProcessed();
            nextCommitNs = nowNs + commitIntervalNs;
        }
        else if (publisher.isSnapshotDue())
        {
            // The marker asking for it did not fit in the ring: try again without waiting.
            publisher.publish();
            publisher.publishCommitMarker(false);
        }
    }
}
