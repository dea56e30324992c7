package dev.ringflow.io.journal;

import dev.ringflow.engine.EventPublisher;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.Source;

/**
 * Feeds a range of a journal into the engine, as the live run saw it: inputs, ticks and pipeline changes in journal
 * order (commit markers are skipped). For {@code ringflow replay}: the same engine code as the daemon, so the same journal and
 * pipeline give the same outputs.
 * <p>
 * <b>Note:</b> Runs on the engine's source thread. {@link #isExhausted()} turns true once the last record of the
 * range has been published.
 */
public final class JournalSource implements Source
{
    private static final int MAX_BATCH = 4096;

    private final JournalReader reader;
    private final long fromIndex;
    private final long toIndex;
    private boolean positioned;
    private final EventSlot scratch = new EventSlot();
    private volatile boolean exhausted;
    private volatile long published;

    /**
     * @param fromIndex the first index to replay (or anything below the journal's first: from the start).
     * @param toIndex   the last index to replay, inclusive ({@link Long#MAX_VALUE}: to the end).
     */
    public JournalSource(final JournalReader reader, final long fromIndex, final long toIndex)
    {
        this.reader = reader;
        this.fromIndex = fromIndex;
        this.toIndex = toIndex;
    }

    @Override
    public int poll(final EventPublisher publisher)
    {
        if (exhausted)
        {
            return 0;
        }
        if (!positioned)
        {
            // Chronicle tailers belong to the thread that first uses them: position it on the source thread.
            reader.moveTo(fromIndex);
            positioned = true;
        }
        int count = 0;
        while (count < MAX_BATCH)
        {
            if (!reader.next(scratch) || reader.index() > toIndex)
            {
                exhausted = true;
                break;
            }
            if (scratch.isCommitMarker())
            {
                continue;
            }
            copy(scratch, publisher.claim());
            count++;
        }
        publisher.publish();
        published += count;
        return count;
    }

    /** True once every record of the range has been handed to the engine. */
    public boolean isExhausted()
    {
        return exhausted;
    }

    /** Records handed to the engine so far. */
    public long published()
    {
        return published;
    }

    /** The index of the last record read. */
    public long index()
    {
        return reader.index();
    }

    /** Copies a record read from the journal into a ring slot, marked as replayed. */
    public static void copy(final EventSlot from, final EventSlot to)
    {
        if (from.isTick())
        {
            to.tick(from.idleMs());
        }
        else if (from.isChange())
        {
            to.change(from.change());
        }
        else
        {
            to.input(from.sourceTopic(), from.sourcePartition(), from.sourceOffset(), from.timestampMs());
            to.key().set(from.key());
            to.input().set(from.input());
        }
        // An input journaled as silent (another daemon emitted its outputs) stays silent in a replay.
        to.replayed(from.emits());
        to.journalIndex(from.journalIndex());
    }

    @Override
    public void commit(final long processedSequence)
    {
        // A journal is read, never acknowledged.
    }

    @Override
    public void wakeup()
    {
        // poll never blocks.
    }

    @Override
    public void close()
    {
        reader.close();
    }
}
