package dev.ringflow.engine.stage;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.FilterTaskSpec;
import dev.ringflow.engine.pipeline.FormatTaskSpec;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.TaskSpec;
import dev.ringflow.engine.pipeline.WindowTaskSpec;

/**
 * A pipeline's tasks compiled into stages and fused into one pass over a slot: the work of one worker.
 * <p>
 * <b>Note:</b> Not thread-safe: one instance per worker thread, holding that worker's keyed state.
 * <p>
 * <b>Note:</b> Allocation free in steady state for integer windows, formats and filters.
 */
public final class PipelineProcessor
{
    private final Stage[] stages;

    public PipelineProcessor(final PipelineSpec spec)
    {
        final KeyInterner keys = new KeyInterner();
        final AsciiNumbers numbers = new AsciiNumbers();
        stages = new Stage[spec.tasks().size()];
        for (int i = 0; i < stages.length; i++)
        {
            stages[i] = compile(spec.tasks().get(i), keys, numbers);
        }
    }

    /**
     * Runs every stage over the slot's input and leaves the outcome in the slot.
     */
    public void process(final EventSlot slot)
    {
        slot.value().set(slot.input());
        final Stage[] stages = this.stages;
        for (final Stage stage : stages)
        {
            if (!stage.onEvent(slot))
            {
                return;
            }
        }
        slot.outcomeOutput();
    }

    private static Stage compile(final TaskSpec task, final KeyInterner keys, final AsciiNumbers numbers)
    {
        if (task instanceof WindowTaskSpec window)
        {
            return new WindowStage(
                window.range(), window.slide(), window.aggregation(), window.valueKind(), keys, numbers);
        }
        if (task instanceof FormatTaskSpec format)
        {
            return new FormatStage(format.template());
        }
        if (task instanceof FilterTaskSpec filter)
        {
            return new FilterStage(filter.min(), filter.max(), numbers);
        }
        throw new IllegalArgumentException("no stage for task type " + task.type());
    }
}
