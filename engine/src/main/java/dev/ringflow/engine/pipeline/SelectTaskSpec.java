package dev.ringflow.engine.pipeline;

import java.util.List;

/**
 * Keeps only the named top-level fields of a JSON event (and fields set later); the others are left out of the
 * output and missing for later tasks.
 */
public record SelectTaskSpec(List<String> fields) implements TaskSpec
{
    public static final String TYPE = "select";

    public SelectTaskSpec
    {
        fields = List.copyOf(fields);
    }

    @Override
    public String type()
    {
        return TYPE;
    }
}
