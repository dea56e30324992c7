package dev.ringflow.engine.stage;

/**
 * A {@code learn} task's model as exported: its version ({@code <name or learn>@<updates>}, as the events it
 * scores carry it) and the model in Ringflow's linear JSON format.
 */
public record LearnedModel(String version, String json)
{
}
