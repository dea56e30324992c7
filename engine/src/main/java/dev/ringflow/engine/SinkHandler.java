package dev.ringflow.engine;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands each event's records to the sink once the worker is done with it, and keeps the commit invariant.
 * <p>
 * <b>The commit invariant</b> (docs/recovery.md): an input offset is committed only together with every output of
 * the inputs before it, in one sink commit (a Kafka transaction), and only after those inputs are in the journal.
 * This class is where it holds: at a commit marker it waits until the journal has reached the marker, then commits
 * the progress of every input before the marker, with every output they produced already handed to the sink (with
 * several workers, merged and committed once by {@link CommitBarrier}). Nothing else commits input under
 * exactly-once delivery.
 * <p>
 * <b>Note:</b> Runs on the worker thread, fused after the pipeline's stages: a second ring consumer would have
 * to wait for the worker, and Disruptor consumers wait for the consumers before them by spinning, which takes a
 * whole core on a 2-core machine. A sink failure stops the engine: output that cannot be written must not be
 * acknowledged upstream.
 */
final class SinkHandler
{
    private final Sink sink;
    private final boolean deadLetters;
    private final boolean lateRecords;
    private final EngineCounters counters;
    private final Engine engine;
    private final SourceProgress progress = new SourceProgress();
    private final IdleStrategy journalWait = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
    private AtomicLong journaledSequence;
    private CommitBarrier barrier;
    private int worker;
    private final IdleStrategy barrierWait = CommitBarrier.idleStrategy();

    SinkHandler(final Sink sink, final boolean deadLetters, final boolean lateRecords, final EngineCounters counters,
        final Engine engine)
    {
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.lateRecords = lateRecords;
        this.counters = counters;
        this.engine = engine;
    }

    /** Gates output on the journal: nothing leaves before the event that caused it is journaled. */
    /** The next offset of every partition this worker has processed input of: snapshots carry it. */
    SourceProgress progress()
    {
        return progress;
    }

    void journaledSequence(final AtomicLong journaledSequence)
    {
        this.journaledSequence = journaledSequence;
    }

    /** With several workers: this handler is worker {@code worker}'s, and commits go through {@code barrier}. */
    void barrier(final CommitBarrier barrier, final int worker)
    {
        this.barrier = barrier;
        this.worker = worker;
    }

    /**
     * @param outputs what the worker produced for {@code slot}; null for control slots (markers, snapshot loads),
     *     which produce nothing.
     */
    void onEvent(final EventSlot slot, final OutputList outputs, final long sequence, final boolean endOfBatch)
    {
        if (engine.hasFailed())
        {
            return;
        }
        try
        {
            if (slot.isCommitMarker())
            {
                onCommitMarker(slot, sequence);
                return;
            }
            progress.onProcessed(slot);
            final int size = null != outputs && slot.emits() ? outputs.size() : 0;
            if (size > 0)
            {
                awaitJournaled(sequence);
            }
            for (int i = 0; i < size; i++)
            {
                final int kind = outputs.kind(i);
                if (kind == OutputList.OUTPUT || kind == OutputList.ROUTED)
                {
                    emit(kind, outputs, i, slot);
                    counters.onEventOut();
                }
                else if (kind == OutputList.DEAD_LETTER && deadLetters)
                {
                    emit(kind, outputs, i, slot);
                    counters.onDeadLettered();
                }
                else if (kind == OutputList.LATE && lateRecords)
                {
                    emit(kind, outputs, i, slot);
                }
            }
            if (endOfBatch)
            {
                sink.onEndOfBatch();
            }
        }
        catch (final RuntimeException ex)
        {
            engine.fail(ex);
        }
    }

    /** Partition state to commit with the next commit marker: see {@link Sink#onPartitionState}. */
    void onPartitionState(final String topic, final int partition, final long coveredOffset, final byte[] state)
    {
        if (!engine.hasFailed())
        {
            sink.onPartitionState(topic, partition, coveredOffset, state);
        }
    }

    /** Rare, so kept out of {@link #onEvent}: a smaller event path is inlined whole by the JIT. */
    private void onCommitMarker(final EventSlot slot, final long sequence)
    {
        awaitJournaled(sequence);
        if (!engine.sinkCommitsProgress())
        {
            // A marker that only asks for a snapshot: what it covers must be delivered before the snapshot can
            // stand in for the journal before it.
            sink.flush();
            return;
        }
        if (null == barrier)
        {
            sink.commit(progress, slot.journalIndex());
            return;
        }
        final SourceProgress all = barrier.arrive(worker, sequence, progress, barrierWait);
        if (null != all)
        {
            sink.commit(all, slot.journalIndex());
            barrier.committed(sequence);
        }
    }

    private void awaitJournaled(final long sequence)
    {
        final AtomicLong journaled = journaledSequence;
        if (null == journaled || journaled.getAcquire() >= sequence)
        {
            return;
        }
        journalWait.reset();
        while (journaled.getAcquire() < sequence)
        {
            if (engine.hasFailed())
            {
                throw new JournalException("the journal failed; output not journaled is not emitted");
            }
            journalWait.idle();
        }
    }

    private void emit(final int kind, final OutputList outputs, final int index, final EventSlot slot)
    {
        sink.onRecord(kind, outputs.key(index), outputs.value(index), outputs.timestampMs(index),
            outputs.reason(index), slot);
    }
}
