package dev.ringflow.engine.expr;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Type-checks a {@link Syntax} tree and compiles it to a tree of {@link Node}s, resolving field paths to ids.
 * <p>
 * A field takes the type its resolver declares; failing that, the type its use demands (the other side of an
 * {@code =}, the literals of an {@code in} list, the expected type of the whole expression); failing that,
 * NUMBER. So {@code a = b} of two input fields compares numbers, and {@code a = 'x'} strings.
 * <p>
 * <b>Note:</b> Compile time only; one instance per compilation.
 */
final class ExpressionCompiler
{
    private static final int MAX_DESCRIBED_LENGTH = 40;

    private final String text;
    private final FieldResolver resolver;
    private final Set<String> fieldPaths = new LinkedHashSet<>();

    ExpressionCompiler(final String text, final FieldResolver resolver)
    {
        this.text = text;
        this.resolver = resolver;
    }

    /**
     * @return the distinct paths of the fields compiled so far, in order of first appearance.
     */
    List<String> fieldPaths()
    {
        return List.copyOf(fieldPaths);
    }

    /**
     * @param expected the type the context expects, or {@link FieldType#UNKNOWN}; only fields (and {@code if}s of
     *                 fields) take it on, so the result may still be of another type.
     */
    Node compile(final Syntax syntax, final FieldType expected)
    {
        if (syntax instanceof Syntax.NumberLiteral)
        {
            return new ConstantNodes.NumberConstant(((Syntax.NumberLiteral)syntax).value);
        }
        if (syntax instanceof Syntax.StringLiteral)
        {
            return new ConstantNodes.StringConstant(((Syntax.StringLiteral)syntax).value);
        }
        if (syntax instanceof Syntax.BooleanLiteral)
        {
            return new ConstantNodes.BooleanConstant(((Syntax.BooleanLiteral)syntax).value);
        }
        if (syntax instanceof Syntax.FieldReference)
        {
            return field((Syntax.FieldReference)syntax, expected);
        }
        if (syntax instanceof Syntax.Negate)
        {
            return new ArithmeticNodes.Negate(number(((Syntax.Negate)syntax).operand));
        }
        if (syntax instanceof Syntax.Not)
        {
            return new LogicNodes.Not(bool(((Syntax.Not)syntax).operand));
        }
        if (syntax instanceof Syntax.Binary)
        {
            return binary((Syntax.Binary)syntax);
        }
        if (syntax instanceof Syntax.InList)
        {
            return inList((Syntax.InList)syntax);
        }
        if (syntax instanceof Syntax.IsNull)
        {
            final Syntax.IsNull isNull = (Syntax.IsNull)syntax;
            return isNull(isNull.operand, isNull.negated, "'is null' applies to field references only");
        }
        if (syntax instanceof Syntax.Call)
        {
            return call((Syntax.Call)syntax, expected);
        }
        throw ExpressionException.at(text, syntax.start,
            "null can only be compared with a field, as in 'x = null' or 'x is null'");
    }

    /**
     * @throws ExpressionException if the syntax is not of the type.
     */
    Node as(final Syntax syntax, final FieldType type)
    {
        final Node node = compile(syntax, type);
        if (node.type() != type)
        {
            throw ExpressionException.at(text, syntax.start,
                "expected " + article(type) + " but " + describe(syntax) + " is " + article(node.type()));
        }
        return node;
    }

    NumberNode number(final Syntax syntax)
    {
        return (NumberNode)as(syntax, FieldType.NUMBER);
    }

    NumberNode[] numbers(final List<Syntax> syntaxes)
    {
        final NumberNode[] nodes = new NumberNode[syntaxes.size()];
        for (int i = 0; i < nodes.length; i++)
        {
            nodes[i] = number(syntaxes.get(i));
        }
        return nodes;
    }

    BooleanNode bool(final Syntax syntax)
    {
        return (BooleanNode)as(syntax, FieldType.BOOLEAN);
    }

    StringNode string(final Syntax syntax)
    {
        return (StringNode)as(syntax, FieldType.STRING);
    }

    /**
     * @return the syntax's type as far as it is known without context: {@link FieldType#UNKNOWN} for an input
     * field, or an {@code if} of input fields.
     */
    FieldType inferredType(final Syntax syntax)
    {
        if (syntax instanceof Syntax.NumberLiteral || syntax instanceof Syntax.Negate)
        {
            return FieldType.NUMBER;
        }
        if (syntax instanceof Syntax.StringLiteral)
        {
            return FieldType.STRING;
        }
        if (syntax instanceof Syntax.FieldReference)
        {
            return declaredType(((Syntax.FieldReference)syntax).path);
        }
        if (syntax instanceof Syntax.Binary)
        {
            return ((Syntax.Binary)syntax).operator.isArithmetic() ? FieldType.NUMBER : FieldType.BOOLEAN;
        }
        if (syntax instanceof Syntax.Call)
        {
            final Syntax.Call call = (Syntax.Call)syntax;
            final BuiltInFunction function = BuiltInFunction.find(call.name);
            return null == function || !function.accepts(call.arguments.size()) ?
                FieldType.UNKNOWN : function.resultType(this, call.arguments);
        }
        if (syntax instanceof Syntax.NullLiteral)
        {
            return FieldType.UNKNOWN;
        }
        return FieldType.BOOLEAN;
    }

    static String article(final FieldType type)
    {
        switch (type)
        {
            case NUMBER: return "a number";
            case BOOLEAN: return "a boolean";
            case STRING: return "a string";
            default: return "of unknown type";
        }
    }

    private Node field(final Syntax.FieldReference reference, final FieldType expected)
    {
        final String path = reference.path;
        final FieldType declared = declaredType(path);
        final FieldType type = FieldType.UNKNOWN != declared ? declared :
            FieldType.UNKNOWN != expected ? expected : FieldType.NUMBER;
        final int id = fieldId(path);
        final FieldFailures failures = new FieldFailures(path, type);
        switch (type)
        {
            case NUMBER: return new FieldNodes.NumberField(id, failures);
            case BOOLEAN: return new FieldNodes.BooleanField(id, failures);
            default: return new FieldNodes.StringField(id, failures);
        }
    }

    private Node binary(final Syntax.Binary binary)
    {
        final Syntax.Operator operator = binary.operator;
        switch (operator)
        {
            case OR:
                return new LogicNodes.Or(bool(binary.left), bool(binary.right));
            case AND:
                return new LogicNodes.And(bool(binary.left), bool(binary.right));
            case EQUAL:
            case NOT_EQUAL:
                return equality(binary, Syntax.Operator.NOT_EQUAL == operator);
            case LESS:
            case LESS_EQUAL:
            case GREATER:
            case GREATER_EQUAL:
                return NumberComparisonNodes.create(operator, number(binary.left), number(binary.right));
            default:
                return ArithmeticNodes.create(operator, number(binary.left), number(binary.right));
        }
    }

    private Node equality(final Syntax.Binary binary, final boolean negated)
    {
        final Syntax left = binary.left;
        final Syntax right = binary.right;
        if (left instanceof Syntax.NullLiteral || right instanceof Syntax.NullLiteral)
        {
            final Syntax other = left instanceof Syntax.NullLiteral ? right : left;
            return isNull(other, negated, "only a field can be compared with null");
        }
        final FieldType leftType = inferredType(left);
        final FieldType type = FieldType.UNKNOWN != leftType ? leftType :
            FieldType.UNKNOWN != inferredType(right) ? inferredType(right) : FieldType.NUMBER;
        switch (type)
        {
            case NUMBER:
                return NumberComparisonNodes.create(binary.operator, number(left), number(right));
            case BOOLEAN:
                return new LogicNodes.BooleanEqual(bool(left), bool(right), negated);
            default:
                return StringNodes.equal(string(left), string(right), negated);
        }
    }

    private Node isNull(final Syntax operand, final boolean negated, final String notAFieldReason)
    {
        if (!(operand instanceof Syntax.FieldReference))
        {
            throw ExpressionException.at(text, operand.start, notAFieldReason);
        }
        return new FieldNodes.IsNull(fieldId(((Syntax.FieldReference)operand).path), negated);
    }

    private Node inList(final Syntax.InList inList)
    {
        final List<Syntax> elements = inList.elements;
        final FieldType operandType = inferredType(inList.operand);
        final FieldType type = FieldType.UNKNOWN != operandType ? operandType : inferredType(elements.get(0));
        final Node operand = as(inList.operand, type);
        for (final Syntax element : elements)
        {
            as(element, type);
        }
        switch (type)
        {
            case NUMBER:
                final double[] numbers = new double[elements.size()];
                for (int i = 0; i < numbers.length; i++)
                {
                    numbers[i] = ((Syntax.NumberLiteral)elements.get(i)).value;
                }
                return new InListNodes.NumberInList((NumberNode)operand, numbers, inList.negated);
            case STRING:
                final byte[][] strings = new byte[elements.size()][];
                for (int i = 0; i < strings.length; i++)
                {
                    strings[i] = ((Syntax.StringLiteral)elements.get(i)).value.getBytes(StandardCharsets.UTF_8);
                }
                return InListNodes.strings((StringNode)operand, strings, inList.negated);
            default:
                boolean containsTrue = false;
                boolean containsFalse = false;
                for (final Syntax element : elements)
                {
                    containsTrue |= ((Syntax.BooleanLiteral)element).value;
                    containsFalse |= !((Syntax.BooleanLiteral)element).value;
                }
                return new InListNodes.BooleanInList((BooleanNode)operand, containsTrue, containsFalse, inList.negated);
        }
    }

    private Node call(final Syntax.Call call, final FieldType expected)
    {
        final BuiltInFunction function = BuiltInFunction.find(call.name);
        if (null == function)
        {
            throw ExpressionException.at(text, call.start, "unknown function '" + call.name + "'");
        }
        final int count = call.arguments.size();
        if (!function.accepts(count))
        {
            throw ExpressionException.at(text, call.start,
                "function '" + function.functionName + "' " + function.arity() + " but was given " + count);
        }
        return function.compile(this, call.arguments, expected);
    }

    private int fieldId(final String path)
    {
        fieldPaths.add(path);
        return resolver.fieldId(path);
    }

    private FieldType declaredType(final String path)
    {
        return Objects.requireNonNull(resolver.fieldType(path), "fieldType");
    }

    /**
     * @return how a type error names the syntax: {@code field 'amount'}, a literal as written, or an
     * expression's (abbreviated) text in quotes.
     */
    private String describe(final Syntax syntax)
    {
        if (syntax instanceof Syntax.FieldReference)
        {
            return "field '" + ((Syntax.FieldReference)syntax).path + "'";
        }
        final String source = text.substring(syntax.start, syntax.end);
        if (syntax instanceof Syntax.NumberLiteral || syntax instanceof Syntax.StringLiteral ||
            syntax instanceof Syntax.BooleanLiteral)
        {
            return source;
        }
        return "'" + (source.length() > MAX_DESCRIBED_LENGTH ?
            source.substring(0, MAX_DESCRIBED_LENGTH - 3) + "..." : source) + "'";
    }
}
