package dev.ringflow.windows;

/**
 * How a window's values are represented.
 */
public enum ValueKind
{
    /** Integers: exact {@code long} arithmetic; count, sum, min, max, first and last stay integers. */
    LONG,
    /** Floating point: compensated sums that do not drift over long runs. */
    DOUBLE
}
