package dev.ringflow.api;

/**
 * What a field of a record holds.
 */
public enum FieldKind
{
    /** The record has no such field (or a task removed it). */
    MISSING,
    /** JSON {@code null}. */
    NULL,
    BOOLEAN,
    NUMBER,
    STRING,
    /** A JSON object or array: its contents are read through the handles of nested paths. */
    OTHER
}
