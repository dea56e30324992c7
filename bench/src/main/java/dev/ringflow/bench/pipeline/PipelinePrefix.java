package dev.ringflow.bench.pipeline;

import dev.ringflow.engine.pipeline.PipelineSpec;

/**
 * A pipeline cut after its first tasks, for benchmarks that add a pipeline's tasks one at a time: each task only
 * reads what earlier tasks made, so every prefix of a valid pipeline runs.
 */
final class PipelinePrefix
{
    private PipelinePrefix()
    {
    }

    /**
     * @throws IllegalArgumentException when {@code tasks} is negative or more than the pipeline has.
     */
    static PipelineSpec firstTasks(final PipelineSpec spec, final int tasks)
    {
        if (tasks < 0 || tasks > spec.tasks().size())
        {
            throw new IllegalArgumentException("tasks must be 0.." + spec.tasks().size() + ", was " + tasks);
        }
        return new PipelineSpec(spec.name(), spec.source(), spec.tasks().subList(0, tasks), spec.sink(), spec.kafka(),
            spec.engine(), spec.journal(), spec.state());
    }
}
