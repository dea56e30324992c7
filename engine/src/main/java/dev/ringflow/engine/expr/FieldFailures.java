package dev.ringflow.engine.expr;

/**
 * The failure reasons of reading one field as one type, built once at compile time, e.g.
 * {@code field 'amount' is missing}.
 * <p>
 * <b>Note:</b> Immutable.
 */
final class FieldFailures
{
    private final String missing;
    private final String isNull;
    private final String wrongKind;

    FieldFailures(final String path, final FieldType type)
    {
        final String field = "field '" + path + "'";
        missing = field + " is missing";
        isNull = field + " is null";
        wrongKind = field + " is not " + ExpressionCompiler.article(type);
    }

    /**
     * @param kind a {@link FieldValues} kind other than the one the field was to be read as.
     */
    String reason(final int kind)
    {
        switch (kind)
        {
            case FieldValues.MISSING:
                return missing;
            case FieldValues.NULL:
                return isNull;
            default:
                return wrongKind;
        }
    }
}
