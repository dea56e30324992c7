package dev.ringflow.engine.expr;

import java.util.List;
import java.util.Objects;

/**
 * A compiled pipeline expression, such as {@code amount * fx > 1000 and country != 'FR'}, evaluated against one
 * event at a time.
 * <p>
 * <b>Note:</b> Not thread-safe: its nodes keep scratch buffers, so compile one instance per worker.
 * <p>
 * <b>Note:</b> Evaluation is allocation free in steady state (buffers only grow, to the longest strings seen) and
 * never throws on bad data: a missing or null field, or one of the wrong kind, makes the evaluation fail with a
 * reason in the {@link EvalContext}, such as {@code field 'amount' is missing}. So does a NUMBER expression whose
 * result is NaN or infinite ({@code expression gives NaN}), since no output format can hold it; inside the
 * expression, arithmetic follows IEEE 754 (division by zero gives an infinity or NaN, and comparisons with NaN
 * are false).
 */
public final class Expression
{
    static final String GIVES_NAN = "expression gives NaN";
    static final String GIVES_INFINITY = "expression gives Infinity";
    static final String GIVES_NEGATIVE_INFINITY = "expression gives -Infinity";

    private final String text;
    private final FieldType type;
    private final List<String> fieldPaths;
    private final NumberNode numberRoot;
    private final BooleanNode booleanRoot;
    private final StringNode stringRoot;

    private Expression(final String text, final Node root, final List<String> fieldPaths)
    {
        this.text = text;
        this.type = root.type();
        this.fieldPaths = fieldPaths;
        this.numberRoot = root instanceof NumberNode ? (NumberNode)root : null;
        this.booleanRoot = root instanceof BooleanNode ? (BooleanNode)root : null;
        this.stringRoot = root instanceof StringNode ? (StringNode)root : null;
    }

    /**
     * Compiles an expression, inferring its type; a lone input field (or an {@code if} of input fields) is read
     * as a NUMBER.
     *
     * @throws ExpressionException for a syntax or type error, with its column.
     */
    public static Expression compile(final String text, final FieldResolver resolver)
    {
        return compile(text, resolver, FieldType.UNKNOWN);
    }

    /**
     * Compiles an expression that must have the given type, e.g. BOOLEAN for a {@code where:} condition; input
     * fields whose type nothing else decides take it on, so {@code where: "is_test"} reads a boolean field.
     *
     * @param type the type the expression must have, or {@link FieldType#UNKNOWN} to infer it.
     * @throws ExpressionException for a syntax or type error, with its column.
     */
    public static Expression compile(final String text, final FieldResolver resolver, final FieldType type)
    {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(type, "type");
        final Syntax syntax = ExpressionParser.parse(text);
        final ExpressionCompiler compiler = new ExpressionCompiler(text, resolver);
        final Node root = FieldType.UNKNOWN == type ? compiler.compile(syntax, type) : compiler.as(syntax, type);
        return new Expression(text, root, compiler.fieldPaths());
    }

    /**
     * @return NUMBER, BOOLEAN or STRING.
     */
    public FieldType type()
    {
        return type;
    }

    public String text()
    {
        return text;
    }

    /**
     * @return the distinct paths of the fields the expression reads, in order of first appearance.
     */
    public List<String> fieldPaths()
    {
        return fieldPaths;
    }

    /**
     * Evaluates a NUMBER expression; on failure {@code context.failed()} is true and the value is meaningless.
     *
     * @throws IllegalStateException if the expression is not a NUMBER.
     */
    public double evalNumber(final FieldValues event, final EvalContext context)
    {
        final NumberNode root = numberRoot;
        if (null == root)
        {
            throw wrongType(FieldType.NUMBER);
        }
        context.reset();
        final double value = root.evalNumber(event, context);
        if (Double.isNaN(value))
        {
            context.fail(GIVES_NAN);
        }
        else if (Double.isInfinite(value))
        {
            context.fail(value > 0 ? GIVES_INFINITY : GIVES_NEGATIVE_INFINITY);
        }
        return value;
    }

    /**
     * Evaluates a BOOLEAN expression; on failure {@code context.failed()} is true and the value is false.
     *
     * @throws IllegalStateException if the expression is not a BOOLEAN.
     */
    public boolean evalBoolean(final FieldValues event, final EvalContext context)
    {
        final BooleanNode root = booleanRoot;
        if (null == root)
        {
            throw wrongType(FieldType.BOOLEAN);
        }
        context.reset();
        final boolean value = root.evalBoolean(event, context);
        return value && !context.failed();
    }

    /**
     * Evaluates a STRING expression into the context's buffer: {@link EvalContext#stringBytes()} from index 0,
     * {@link EvalContext#stringLength()} bytes; on failure {@code context.failed()} is true and the length is 0.
     *
     * @throws IllegalStateException if the expression is not a STRING.
     */
    public void evalString(final FieldValues event, final EvalContext context)
    {
        final StringNode root = stringRoot;
        if (null == root)
        {
            throw wrongType(FieldType.STRING);
        }
        context.reset();
        root.evalTransient(event, context);
        if (!context.failed())
        {
            context.setString(root.bytes, root.offset, root.length);
        }
    }

    @Override
    public String toString()
    {
        return text;
    }

    private IllegalStateException wrongType(final FieldType asked)
    {
        return new IllegalStateException("expression '" + text + "' is " + ExpressionCompiler.article(type) +
            ", not " + ExpressionCompiler.article(asked));
    }
}
