package dev.ringflow.engine;

import com.lmax.disruptor.EventHandler;
import dev.ringflow.engine.stage.PipelineProcessor;

/**
 * The ring consumer that runs the pipeline's fused stages (decode, transform, filter, window) on each event.
 * <p>
 * <b>Note:</b> Runs on the {@code ringflow-worker-N} thread; allocation free in steady state.
 */
final class WorkerHandler implements EventHandler<EventSlot>
{
    private final PipelineProcessor processor;
    private final EngineCounters counters;
    private final BadInputLog badInputLog = new BadInputLog();

    WorkerHandler(final PipelineProcessor processor, final EngineCounters counters)
    {
        this.processor = processor;
        this.counters = counters;
    }

    @Override
    public void onEvent(final EventSlot slot, final long sequence, final boolean endOfBatch)
    {
        counters.onEventIn();
        try
        {
            processor.process(slot);
        }
        catch (final RuntimeException ex)
        {
            slot.outcomeDeadLetter("internal error: " + ex);
        }
        if (slot.outcome() == EventSlot.OUTCOME_DEAD_LETTER)
        {
            counters.onBadInput();
            badInputLog.onBadInput(slot);
        }
    }
}
