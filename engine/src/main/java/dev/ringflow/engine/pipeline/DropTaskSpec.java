package dev.ringflow.engine.pipeline;

import java.util.List;

/**
 * Removes the named top-level fields from a JSON event: left out of the output and missing for later tasks.
 */
public record DropTaskSpec(List<String> fields) implements TaskSpec
{
    public static final String TYPE = "drop";

    public DropTaskSpec
    {
        fields = List.copyOf(fields);
    }

    @Override
    public String type()
    {
        return TYPE;
    }
}
