package dev.ringflow.engine;

import com.lmax.disruptor.EventHandler;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The ring consumer that appends every live input, tick and commit marker to the journal, in parallel with the
 * worker. Events read back from the journal (recovery, replay) are not appended again.
 * <p>
 * <b>Note:</b> Runs on the {@code ringflow-journal} thread. {@link #journaledSequence()} is what the worker
 * waits on before an event's outputs may leave the engine.
 */
final class JournalHandler implements EventHandler<EventSlot>
{
    private final Journal journal;
    private final Engine engine;
    private final AtomicLong journaled = new AtomicLong(-1);

    JournalHandler(final Journal journal, final Engine engine)
    {
        this.journal = journal;
        this.engine = engine;
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
                slot.journalIndex(journal.append(slot));
            }
            if (endOfBatch)
            {
                journal.onEndOfBatch();
            }
            journaled.setRelease(sequence);
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
