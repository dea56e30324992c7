package dev.ringflow.engine.expr;

/**
 * An expression that cannot be compiled: a syntax or type error, with the 1-based column of the expression text
 * where it lies, e.g. {@code unknown function 'foo' at column 5}.
 * <p>
 * <b>Note:</b> Columns count Unicode code points, so a character outside the BMP counts as one column.
 */
public final class ExpressionException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int column;

    ExpressionException(final String reason, final int column)
    {
        super(reason + " at column " + column);
        this.reason = reason;
        this.column = column;
    }

    /**
     * @param text  the expression.
     * @param index the char index in {@code text} where the problem lies.
     */
    static ExpressionException at(final String text, final int index, final String reason)
    {
        return new ExpressionException(reason, text.codePointCount(0, Math.min(index, text.length())) + 1);
    }

    /**
     * @return the problem without its position, e.g. {@code unknown function 'foo'}.
     */
    public String reason()
    {
        return reason;
    }

    /**
     * @return the 1-based column (in code points) of the expression text where the problem lies; one past the
     * end for an expression that ends too early.
     */
    public int column()
    {
        return column;
    }
}
