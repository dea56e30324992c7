package dev.ringflow.engine.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Computes fields of a JSON event from expressions and sets them, in the order given: a later expression sees the
 * fields set before it. A new field is appended to the event; an existing one keeps its place with its new value.
 *
 * @param fields field name to expression, in order.
 */
public record SetTaskSpec(Map<String, String> fields) implements TaskSpec
{
    public static final String TYPE = "set";

    public SetTaskSpec
    {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public String type()
    {
        return TYPE;
    }
}
