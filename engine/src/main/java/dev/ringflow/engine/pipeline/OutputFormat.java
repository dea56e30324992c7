package dev.ringflow.engine.pipeline;

/**
 * How a window writes its results.
 */
public enum OutputFormat
{
    /** The aggregate alone as text, e.g. {@code 15}; one aggregation only. */
    TEXT,
    /** A JSON object with the key, the window bounds, the element count and every requested aggregate. */
    JSON
}
