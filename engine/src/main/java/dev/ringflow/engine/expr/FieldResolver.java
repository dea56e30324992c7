package dev.ringflow.engine.expr;

/**
 * Compile-time mapping of field paths to the ids an expression reads them by through {@link FieldValues}.
 * <p>
 * <b>Note:</b> Called only while {@link Expression#compile compiling}, never while evaluating.
 */
public interface FieldResolver
{
    /**
     * @param path a field name or a dot-separated path into nested objects, e.g. {@code "merchant.country"}.
     * @return the field's id, registering the path if it has not been seen.
     */
    int fieldId(String path);

    /**
     * @return {@link FieldType#UNKNOWN} for a field of the input event (JSON is dynamically typed), or the type of
     * a field computed earlier in the pipeline.
     */
    FieldType fieldType(String path);
}
