package dev.ringflow.engine;

import com.lmax.disruptor.EventHandler;

/**
 * The last ring consumer: hands each event's outcome to the sink once the worker is done with it.
 * <p>
 * <b>Note:</b> Runs on the {@code ringflow-sink} thread. A sink failure stops the engine: output that cannot be
 * written must not be acknowledged upstream.
 */
final class SinkHandler implements EventHandler<EventSlot>
{
    private final Sink sink;
    private final boolean deadLetters;
    private final EngineCounters counters;
    private final Engine engine;

    SinkHandler(final Sink sink, final boolean deadLetters, final EngineCounters counters, final Engine engine)
    {
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.counters = counters;
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
            if (slot.outcome() == EventSlot.OUTCOME_OUTPUT)
            {
                sink.onOutput(slot);
                counters.onEventOut();
            }
            else if (slot.outcome() == EventSlot.OUTCOME_DEAD_LETTER && deadLetters)
            {
                sink.onDeadLetter(slot);
                counters.onDeadLettered();
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
}
