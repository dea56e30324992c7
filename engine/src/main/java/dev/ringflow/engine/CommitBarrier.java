package dev.ringflow.engine;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lines the workers up at a commit marker when keyed work is sharded across several of them and the sink commits
 * the source's progress with its output (Kafka transactions). Every worker stops at the marker with everything
 * before it handed to the sink; worker 0 then merges their progress and commits once; the others wait for that
 * commit before they emit anything after the marker, so no output of a later event slips into the transaction.
 * <p>
 * <b>Note:</b> With one worker there is no barrier: the worker commits at the marker itself.
 */
final class CommitBarrier
{
    private final int workers;
    private final SourceProgress[] snapshots;
    private final SourceProgress merged = new SourceProgress();
    private final AtomicLongArray arrived;
    private volatile long committed = -1;
    private final Engine engine;

    CommitBarrier(final int workers, final Engine engine)
    {
        this.workers = workers;
        this.engine = engine;
        this.snapshots = new SourceProgress[workers];
        for (int i = 0; i < workers; i++)
        {
            snapshots[i] = new SourceProgress();
        }
        this.arrived = new AtomicLongArray(workers);
        for (int i = 0; i < workers; i++)
        {
            arrived.set(i, -1);
        }
    }

    /**
     * Called by each worker at the commit marker at ring {@code sequence}. Returns for worker 0 once every worker
     * has arrived, with the merged progress; for the others once worker 0 has committed.
     *
     * @return the progress of all workers up to the marker (worker 0), or null (the others).
     */
    SourceProgress arrive(final int worker, final long sequence, final SourceProgress progress, final IdleStrategy idle)
    {
        snapshots[worker].copyFrom(progress);
        arrived.setRelease(worker, sequence);
        idle.reset();
        if (worker != 0)
        {
            while (committed < sequence)
            {
                checkEngine();
                idle.idle();
            }
            return null;
        }
        for (int i = 1; i < workers; i++)
        {
            while (arrived.getAcquire(i) < sequence)
            {
                checkEngine();
                idle.idle();
            }
        }
        merged.clear();
        for (final SourceProgress snapshot : snapshots)
        {
            merged.mergeFrom(snapshot);
        }
        return merged;
    }

    /** Worker 0 has committed the marker at {@code sequence}: the others may go on. */
    void committed(final long sequence)
    {
        committed = sequence;
    }

    static IdleStrategy idleStrategy()
    {
        return new BackoffIdleStrategy(100, 10, 1_000, 100_000);
    }

    private void checkEngine()
    {
        if (engine.hasFailed())
        {
            throw new SinkException("the engine failed while workers waited at a commit", engine.failure());
        }
    }
}
