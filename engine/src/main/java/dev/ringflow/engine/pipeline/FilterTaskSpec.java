package dev.ringflow.engine.pipeline;

/**
 * Keeps the events for which a condition holds and drops the rest: with JSON input a boolean expression over the
 * event's fields ({@code where}); with text input, bounds on the numeric value (a value that is not a number is
 * bad input).
 *
 * @param min   lower bound, inclusive; {@code -Infinity} for none.
 * @param max   upper bound, inclusive; {@code +Infinity} for none.
 * @param where a boolean expression, or null for bounds.
 */
public record FilterTaskSpec(double min, double max, String where) implements TaskSpec
{
    public static final String TYPE = "filter";

    /** Bounds on the numeric value of text input. */
    public FilterTaskSpec(final double min, final double max)
    {
        this(min, max, null);
    }

    /** A condition on the fields of JSON input. */
    public FilterTaskSpec(final String where)
    {
        this(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, where);
    }

    @Override
    public String type()
    {
        return TYPE;
    }
}
