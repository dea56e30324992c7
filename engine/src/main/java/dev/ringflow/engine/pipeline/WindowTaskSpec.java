package dev.ringflow.engine.pipeline;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;

/**
 * A per-key count window: every {@code slide} elements of a key it emits the aggregate of that key's last
 * {@code min(range, seen)} elements, keyed like its input.
 *
 * @param range       elements in a full window.
 * @param slide       elements between two emissions of a key.
 * @param aggregation what to compute.
 * @param valueKind   how values parse: {@code LONG} exact integers, {@code DOUBLE} floating point.
 */
public record WindowTaskSpec(int range, int slide, Aggregation aggregation, ValueKind valueKind) implements TaskSpec
{
    public static final String TYPE = "window";

    @Override
    public String type()
    {
        return TYPE;
    }
}
