package dev.ringflow.engine.pipeline;

/**
 * Keeps events whose numeric value lies within inclusive bounds and drops the rest. A value that is not a number
 * is bad input.
 *
 * @param min lower bound, inclusive; {@code -Infinity} for none.
 * @param max upper bound, inclusive; {@code +Infinity} for none.
 */
public record FilterTaskSpec(double min, double max) implements TaskSpec
{
    public static final String TYPE = "filter";

    @Override
    public String type()
    {
        return TYPE;
    }
}
