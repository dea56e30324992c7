package dev.ringflow.engine;

import com.lmax.disruptor.RingBuffer;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a running engine measures beyond its {@link EngineCounters}: each worker's latencies and busy time, the
 * ring's fill, the journal's appends. The metrics endpoint reads it; nothing here is needed to run a pipeline.
 * <p>
 * <b>Note:</b> Thread-safe for readers. Each value has one writer thread: a worker writes its
 * {@link WorkerMetrics}, the journal thread the append count.
 */
public final class EngineMetrics
{
    private static final int STRIDE = 8;
    private static final int JOURNAL_APPENDS = STRIDE;

    private final AtomicLongArray values = new AtomicLongArray(2 * STRIDE);
    private volatile List<WorkerMetrics> workers = List.of();
    private volatile RingBuffer<EventSlot> ring;

    /** One per worker thread, in worker order. */
    public List<WorkerMetrics> workers()
    {
        return workers;
    }

    /** Records appended to the journal since start (inputs, ticks and commit markers). */
    public long journalAppends()
    {
        return values.get(JOURNAL_APPENDS);
    }

    /** Slots in the ring. */
    public long ringCapacity()
    {
        final RingBuffer<EventSlot> ring = this.ring;
        return null == ring ? 0 : ring.getBufferSize();
    }

    /** Slots published but not yet processed by every consumer: how full the ring is. */
    public long ringUsed()
    {
        final RingBuffer<EventSlot> ring = this.ring;
        return null == ring ? 0 : ring.getBufferSize() - ring.remainingCapacity();
    }

    /** Set once the engine has made its workers and its ring. */
    void attach(final List<WorkerMetrics> workers, final RingBuffer<EventSlot> ring)
    {
        this.workers = List.copyOf(workers);
        this.ring = ring;
    }

    void onJournalAppend()
    {
        values.lazySet(JOURNAL_APPENDS, values.get(JOURNAL_APPENDS) + 1);
    }
}
