package dev.ringflow.engine.pipeline;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;

import java.util.List;

/**
 * A per-key global window: every {@code slide} elements of a key it emits the aggregates of all that key's
 * elements so far (running totals, all-time extremes).
 *
 * @param slide        elements between two emissions of a key.
 * @param aggregations what to compute.
 * @param valueKind    how values parse.
 * @param valueFields  with JSON input, the number fields to aggregate; empty for text input.
 * @param output       the aggregate alone as text (the default), or a JSON object.
 */
public record GlobalWindowTaskSpec(int slide, List<Aggregation> aggregations, ValueKind valueKind,
    List<String> valueFields, OutputFormat output) implements TaskSpec
{
    public static final String TYPE = "global-window";

    public GlobalWindowTaskSpec
    {
        aggregations = null == aggregations ? List.of() : List.copyOf(aggregations);
        valueFields = null == valueFields ? List.of() : List.copyOf(valueFields);
    }

    @Override
    public String type()
    {
        return TYPE;
    }
}
