package dev.ringflow.engine.pipeline;

/**
 * How record values are read.
 */
public enum InputFormat
{
    /** The value is one number as text (or any text, for format and filter tasks). */
    TEXT,
    /** The value is a flat JSON object; the source names its key and timestamp fields, windows their value fields. */
    JSON
}
