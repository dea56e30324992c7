package dev.ringflow.engine.expr;

/**
 * The type of an expression, or of a field as far as it is known when an expression is compiled.
 */
public enum FieldType
{
    /** A double. */
    NUMBER,
    BOOLEAN,
    /** UTF-8 text. */
    STRING,
    /** A field of the input event: it is read as whichever type its use in the expression demands. */
    UNKNOWN
}
