package dev.ringflow.api;

/**
 * A field of the records, resolved once by {@link FunctionContext#field}: reading and setting through it costs an
 * array access, not a lookup by name.
 */
public interface FieldRef
{
    /** The field's path as given to {@link FunctionContext#field}. */
    String path();
}
