package dev.ringflow.engine.pipeline;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;

import java.util.List;

/**
 * A per-key count window: every {@code slide} elements of a key it emits the aggregates of that key's last
 * {@code min(range, seen)} elements, keyed like its input.
 *
 * @param range        elements in a full window.
 * @param slide        elements between two emissions of a key.
 * @param aggregations what to compute (at least one; exactly one for text output).
 * @param valueKind    how values parse: {@code LONG} exact integers, {@code DOUBLE} floating point.
 * @param valueFields  with JSON input, the number fields to aggregate (each gets every aggregation); empty
 *                     for text input, where the whole value is the number.
 * @param output       the aggregate alone as text, or a JSON object.
 */
public record WindowTaskSpec(int range, int slide, List<Aggregation> aggregations, ValueKind valueKind,
    List<String> valueFields, OutputFormat output) implements TaskSpec
{
    public static final String TYPE = "window";

    public WindowTaskSpec
    {
        aggregations = null == aggregations ? List.of() : List.copyOf(aggregations);
        valueFields = null == valueFields ? List.of() : List.copyOf(valueFields);
    }

    /** A window with one aggregation written as text. */
    public WindowTaskSpec(final int range, final int slide, final Aggregation aggregation, final ValueKind valueKind)
    {
        this(range, slide, null == aggregation ? List.of() : List.of(aggregation), valueKind, List.of(),
            OutputFormat.TEXT);
    }

    @Override
    public String type()
    {
        return TYPE;
    }
}
