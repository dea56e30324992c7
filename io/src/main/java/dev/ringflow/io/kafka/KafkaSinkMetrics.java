package dev.ringflow.io.kafka;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link KafkaSink} reports about its producer: records the brokers acknowledged per topic, failed sends,
 * and, with transactions, commits (count, durations, the last one's time) and aborts.
 * <p>
 * <b>Note:</b> Thread-safe: acknowledgements arrive on the producer's I/O thread, commits on a worker, reads on any
 * thread.
 */
public final class KafkaSinkMetrics
{
    /** Commits longer than this are recorded as this. */
    public static final long HIGHEST_COMMIT_NS = 600_000_000_000L;

    private final Map<String, AtomicLong> produced = new ConcurrentHashMap<>();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong aborts = new AtomicLong();
    private final Recorder commitDurations = new Recorder(1, HIGHEST_COMMIT_NS, 2);
    private volatile long lastCommitEpochMs;
    private volatile long lastCommitNs;

    /** Records the brokers acknowledged, by topic (outputs, routed, dead letters and late ones alike). */
    public Map<String, AtomicLong> produced()
    {
        return produced;
    }

    /** Sends the producer reported failed (the first one stops the pipeline). */
    public long sendFailures()
    {
        return sendFailures.get();
    }

    /** Transactions committed. */
    public long commits()
    {
        return commits.get();
    }

    /** Transactions aborted with outputs in them, or whose commit failed. */
    public long aborts()
    {
        return aborts.get();
    }

    /** Wall-clock time of the last committed transaction, epoch ms; 0 before the first. */
    public long lastCommitEpochMs()
    {
        return lastCommitEpochMs;
    }

    /** How long the last committed transaction took to commit, ns; 0 before the first. */
    public long lastCommitNs()
    {
        return lastCommitNs;
    }

    /** Commit durations in nanoseconds since the last call; for one reader thread. */
    public Histogram takeCommitDurations(final Histogram recycle)
    {
        return commitDurations.getIntervalHistogram(recycle);
    }

    void onAcknowledged(final String topic)
    {
        AtomicLong count = produced.get(topic);
        if (null == count)
        {
            count = produced.computeIfAbsent(topic, key -> new AtomicLong());
        }
        count.incrementAndGet();
    }

    void onSendFailed()
    {
        sendFailures.incrementAndGet();
    }

    void onCommitted(final long tookNs)
    {
        commitDurations.recordValue(Math.min(Math.max(0, tookNs), HIGHEST_COMMIT_NS));
        lastCommitNs = tookNs;
        commits.incrementAndGet();
        lastCommitEpochMs = System.currentTimeMillis();
    }

    void onAborted()
    {
        aborts.incrementAndGet();
    }
}
