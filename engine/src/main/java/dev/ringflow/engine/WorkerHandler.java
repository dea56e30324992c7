package dev.ringflow.engine;

import com.lmax.disruptor.EventHandler;
import dev.ringflow.engine.stage.PipelineProcessor;

/**
 * The ring consumer that runs the pipeline's fused stages (decode, transform, filter, window) on each event, then
 * hands the results to the sink.
 * <p>
 * <b>Note:</b> Runs on the {@code ringflow-worker-N} thread; allocation free in steady state.
 */
final class WorkerHandler implements EventHandler<EventSlot>
{
    static final String INTERNAL_ERROR = "internal error while processing the event";

    private final PipelineProcessor processor;
    private final EngineCounters counters;
    private final BadInputLog badInputLog = new BadInputLog();
    private final SinkHandler sink;

    WorkerHandler(final PipelineProcessor processor, final EngineCounters counters, final SinkHandler sink)
    {
        this.processor = processor;
        this.counters = counters;
        this.sink = sink;
    }

    @Override
    public void onEvent(final EventSlot slot, final long sequence, final boolean endOfBatch)
    {
        if (slot.isCommitMarker())
        {
            sink.onEvent(slot, sequence, endOfBatch);
            return;
        }
        if (!slot.isTick())
        {
            counters.onEventIn();
        }
        try
        {
            processor.process(slot);
        }
        catch (final RuntimeException ex)
        {
            slot.outputs().clear();
            slot.deadLetter(INTERNAL_ERROR);
            badInputLog.onInternalError(slot, ex);
        }
        final OutputList outputs = slot.outputs();
        for (int i = 0, size = outputs.size(); i < size; i++)
        {
            final int kind = outputs.kind(i);
            if (kind == OutputList.DEAD_LETTER)
            {
                counters.onBadInput();
                badInputLog.onBadInput(slot);
            }
            else if (kind == OutputList.LATE)
            {
                counters.onLate();
            }
        }
        sink.onEvent(slot, sequence, endOfBatch);
    }
}
