package dev.ringflow.engine;

import dev.ringflow.engine.stage.LearnTaskMetrics;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One worker's latency recorders (one per {@link LatencyStage}), busy time and last snapshot, for the metrics
 * endpoint. Latency is sampled: one live input in {@value #LATENCY_SAMPLE_INTERVAL}, and at light load the first
 * input after {@value #LATENCY_SAMPLE_MAX_GAP_NS} ns without a sample.
 * <p>
 * <b>Note:</b> Written by the worker's thread only (HdrHistogram {@link SingleWriterRecorder}s and single-writer
 * ordered stores); read by any thread. Recording is allocation free: values past {@link #HIGHEST_TRACKABLE_NS}
 * are clamped to it instead of growing the histogram.
 */
public final class WorkerMetrics
{
    /** The largest latency recorded as itself; longer ones count as this. */
    public static final long HIGHEST_TRACKABLE_NS = 60_000_000_000L;
    /** 2 digits: each recorded value is within 1% of the true one, at about 30 KB per histogram. */
    public static final int SIGNIFICANT_DIGITS = 2;
    /**
     * One live input in this many has its latency recorded: timing every input (three clock reads and four
     * histogram updates) halved the in-memory engine's throughput, 1 in 64 costs a few percent.
     */
    public static final int LATENCY_SAMPLE_INTERVAL = 64;
    /** At light load the next input is sampled when none has been for this long, whatever the count. */
    public static final long LATENCY_SAMPLE_MAX_GAP_NS = 1_000_000;

    private static final int STRIDE = 8;
    private static final int BUSY_NS = STRIDE;
    private static final int SNAPSHOTS = 2 * STRIDE;
    private static final int SNAPSHOT_BYTES = 3 * STRIDE;
    private static final int SNAPSHOT_NS = 4 * STRIDE;
    private static final int SNAPSHOT_EPOCH_MS = 5 * STRIDE;
    private static final int BATCH_START_NS = 6 * STRIDE;

    private final int worker;
    private final SingleWriterRecorder[] recorders = new SingleWriterRecorder[LatencyStage.values().length];
    /** Padded like {@link EngineCounters}: written per batch by the worker, read by the metrics thread. */
    private final AtomicLongArray values = new AtomicLongArray(7 * STRIDE);
    /** The figures of the worker's current pipeline's learn tasks; replaced when the pipeline changes. */
    private volatile List<LearnTaskMetrics> learnTasks = List.of();
    private volatile List<List<LearnTaskMetrics>> learnTaskGroups = List.of();
    private volatile List<List<dev.ringflow.engine.stage.ScoreTaskMetrics>> scoreTaskGroups = List.of();
    private volatile List<dev.ringflow.engine.stage.ScoreTaskMetrics> scoreTasks = List.of();
    /** What {@link #busyNs()} last answered: it never answers less (a counter must not go back). */
    private final AtomicLong busyNsReported = new AtomicLong();

    WorkerMetrics(final int worker)
    {
        this.worker = worker;
        for (int i = 0; i < recorders.length; i++)
        {
            recorders[i] = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        }
    }

    /** The worker's index: {@code ringflow-worker-N}. */
    public int worker()
    {
        return worker;
    }

    /**
     * The latencies recorded for {@code stage} since the last call for it, in nanoseconds. For one reader thread
     * per stage (the metrics thread).
     *
     * @param recycle the histogram this method returned last time for the stage, or null: reusing it spares an
     *                allocation of the histogram's counts.
     */
    public Histogram takeInterval(final LatencyStage stage, final Histogram recycle)
    {
        return recorders[stage.ordinal()].getIntervalHistogram(recycle);
    }

    /**
     * Nanoseconds this worker has spent processing batches since it started, including the batch it is in: a
     * worker stuck in one long batch (a slow commit) shows busy, not idle.
     */
    public long busyNs()
    {
        final long batchStartNs = values.get(BATCH_START_NS);
        final long busyNs = values.get(BUSY_NS) + (0 == batchStartNs ? 0 : System.nanoTime() - batchStartNs);
        return busyNsReported.accumulateAndGet(busyNs, Math::max);
    }

    /** Snapshots this worker has written. */
    public long snapshots()
    {
        return values.get(SNAPSHOTS);
    }

    /** The size of this worker's last snapshot in bytes, 0 before the first. */
    public long lastSnapshotBytes()
    {
        return values.get(SNAPSHOT_BYTES);
    }

    /** How long writing this worker's last snapshot took, in nanoseconds. */
    public long lastSnapshotNs()
    {
        return values.get(SNAPSHOT_NS);
    }

    /** Wall-clock time the last snapshot was written, epoch milliseconds; 0 before the first. */
    public long lastSnapshotEpochMs()
    {
        return values.get(SNAPSHOT_EPOCH_MS);
    }

    /** The figures of the learn tasks of the pipeline the worker runs now, in task order. */
    public List<LearnTaskMetrics> learnTasks()
    {
        return learnTasks;
    }

    /**
     * With partition-scoped state, the figures of each processor's tasks: the pipeline's own first (no input of its
     * own), then each input partition's. With key-scoped state, one group.
     */
    public List<List<LearnTaskMetrics>> learnTaskGroups()
    {
        return learnTaskGroups;
    }

    /** See {@link #learnTaskGroups()}. */
    public List<List<dev.ringflow.engine.stage.ScoreTaskMetrics>> scoreTaskGroups()
    {
        return scoreTaskGroups;
    }

    void taskGroups(final List<List<LearnTaskMetrics>> learn,
        final List<List<dev.ringflow.engine.stage.ScoreTaskMetrics>> score)
    {
        learnTaskGroups = List.copyOf(learn);
        scoreTaskGroups = List.copyOf(score);
        learnTasks = learn.get(0);
        scoreTasks = score.get(0);
    }

    /** The figures of the running pipeline's score tasks on this worker, in task order. */
    public List<dev.ringflow.engine.stage.ScoreTaskMetrics> scoreTasks()
    {
        return scoreTasks;
    }

    void onInput(final long polledNs, final long startNs, final long processedNs, final long doneNs)
    {
        final SingleWriterRecorder[] recorders = this.recorders;
        record(recorders[0], doneNs - polledNs);
        record(recorders[1], startNs - polledNs);
        record(recorders[2], processedNs - startNs);
        record(recorders[3], doneNs - processedNs);
    }

    void onBatchStart(final long nowNs)
    {
        values.lazySet(BATCH_START_NS, nowNs);
    }

    void onBusy(final long busyNs)
    {
        values.lazySet(BUSY_NS, values.get(BUSY_NS) + busyNs);
        values.lazySet(BATCH_START_NS, 0);
    }

    void onSnapshot(final long bytes, final long tookNs, final long epochMs)
    {
        values.lazySet(SNAPSHOT_BYTES, bytes);
        values.lazySet(SNAPSHOT_NS, tookNs);
        values.lazySet(SNAPSHOT_EPOCH_MS, epochMs);
        values.lazySet(SNAPSHOTS, values.get(SNAPSHOTS) + 1);
    }

    private static void record(final SingleWriterRecorder recorder, final long valueNs)
    {
        recorder.recordValue(valueNs < 0 ? 0 : Math.min(valueNs, HIGHEST_TRACKABLE_NS));
    }
}
