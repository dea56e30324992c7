package dev.ringflow.engine;

import com.lmax.disruptor.EventHandler;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The ring consumer that appends every live input, tick and commit marker to the journal, in parallel with the
 * worker, in groups: one journal entry per ring batch (at most {@value #MAX_GROUP} records, and a commit marker
 * ends its group). Events read back from the journal (recovery, replay) are not appended again.
 * <p>
 * <b>Note:</b> Runs on the {@code ringflow-journal} thread. {@link #journaledSequence()} is what the worker
 * waits on before an event's outputs may leave the engine.
 */
final class JournalHandler implements EventHandler<EventSlot>
{
    /** Records per journal entry at most: bounds how long the worker waits to emit the first of them. */
    static final int MAX_GROUP = 256;

    private final Journal journal;
    private final Engine engine;
    private final EngineMetrics metrics;
    private final AtomicLong journaled = new AtomicLong(-1);
    private int pending;
    /** The index of the last group in the journal, -1 while it is empty. */
    private long lastIndex;

    JournalHandler(final Journal journal, final Engine engine)
    {
        this.journal = journal;
        this.engine = engine;
        this.metrics = engine.metrics();
        this.lastIndex = journal.lastIndex();
    }

    @Override
    public void onEvent(final EventSlot slot, final long sequence, final boolean endOfBatch)
    {
        if (engine.hasFailed())
        {
            return;
        }
        try
        {
            if (!slot.isReplayed())
            {
                journal.append(slot);
                metrics.onJournalAppend();
                pending++;
            }
            // A commit marker ends its group, so that the group's index says exactly what the commit covers.
            if (endOfBatch || pending >= MAX_GROUP || slot.isCommitMarker())
            {
                if (pending > 0)
                {
                    lastIndex = journal.flush();
                    pending = 0;
                }
                if (slot.isCommitMarker())
                {
                    // With nothing new since the last group, the marker covers what that group covered.
                    slot.journalIndex(lastIndex);
                }
                if (endOfBatch)
                {
                    journal.onEndOfBatch();
                }
                journaled.setRelease(sequence);
            }
        }
        catch (final RuntimeException ex)
        {
            engine.fail(new JournalException("cannot append to the journal: " + ex.getMessage(), ex));
        }
    }

    /** The ring sequence up to which every event is in the journal. */
    AtomicLong journaledSequence()
    {
        return journaled;
    }
}
