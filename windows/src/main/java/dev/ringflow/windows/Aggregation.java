package dev.ringflow.windows;

/**
 * What a window computes over its elements.
 */
public enum Aggregation
{
    /** Number of elements. */
    COUNT,
    /** Sum; exact (wrapping) {@code long} arithmetic for {@link ValueKind#LONG}. */
    SUM,
    /** Smallest element. */
    MIN,
    /** Largest element. */
    MAX,
    /** Arithmetic mean, a double. */
    MEAN,
    /** Population variance (divides by the element count), a double. */
    VARIANCE,
    /** Population standard deviation, the square root of {@link #VARIANCE}. */
    STDDEV,
    /** Oldest element in the window. */
    FIRST,
    /** Newest element in the window. */
    LAST
}
