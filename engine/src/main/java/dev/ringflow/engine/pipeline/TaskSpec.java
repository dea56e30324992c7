package dev.ringflow.engine.pipeline;

/**
 * One step of a pipeline, applied to every event in order.
 */
public sealed interface TaskSpec permits FormatTaskSpec, FilterTaskSpec, WindowTaskSpec, TimeWindowTaskSpec,
    SessionWindowTaskSpec, GlobalWindowTaskSpec, SetTaskSpec, SelectTaskSpec, DropTaskSpec, KeyByTaskSpec,
    RouteTaskSpec, FeaturesTaskSpec, AnomalyTaskSpec, LearnTaskSpec, FunctionTaskSpec, ScoreTaskSpec
{
    /** The {@code type} name of the task in a pipeline file. */
    String type();
}
