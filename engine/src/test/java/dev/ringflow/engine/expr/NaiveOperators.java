package dev.ringflow.engine.expr;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The operators and functions of {@link NaiveExpression}'s model, each evaluated the plain way: boxed values,
 * Java's double operators, {@link String#equals}, and an exception for a failure.
 */
final class NaiveOperators
{
    private NaiveOperators()
    {
    }

    static final class Negate extends NaiveExpression
    {
        private final NaiveExpression operand;

        Negate(final NaiveExpression operand)
        {
            super(Type.NUMBER, UNARY);
            this.operand = operand;
        }

        @Override
        Object eval(final Map<String, Object> event)
        {
            return -operand.number(event);
        }

        @Override
        String render(final Random random)
        {
            return "-" + space(random) + inner(operand, UNARY, random);
        }
    }

    static final class Not extends NaiveExpression
    {
        private final NaiveExpression operand;

        Not(final NaiveExpression operand)
        {
            super(Type.BOOLEAN, NOT);
            this.operand = operand;
        }

        @Override
        Object eval(final Map<String, Object> event)
        {
            return !operand.bool(event);
        }

        @Override
        String render(final Random random)
        {
            return keyword("not", random).substring(1) + inner(operand, NOT, random);
        }
    }

    /**
     * {@code or and = != < <= > >= + - * / %}; {@code =} and {@code !=} compare values of the operands' type.
     */
    static final class Binary extends NaiveExpression
    {
        private final String operator;
        private final NaiveExpression left;
        private final NaiveExpression right;

        Binary(final String operator, final NaiveExpression left, final NaiveExpression right)
        {
            super(resultType(operator), levelOf(operator));
            this.operator = operator;
            this.left = left;
            this.right = right;
        }

        private static Type resultType(final String operator)
        {
            return "+-*/%".contains(operator) ? Type.NUMBER : Type.BOOLEAN;
        }

        private static int levelOf(final String operator)
        {
            switch (operator)
            {
                case "or": return OR;
                case "and": return AND;
                case "+": case "-": return ADDITIVE;
                case "*": case "/": case "%": return MULTIPLICATIVE;
                default: return COMPARISON;
            }
        }

        @Override
        Object eval(final Map<String, Object> event)
        {
            switch (operator)
            {
                case "or": return left.bool(event) || right.bool(event);
                case "and": return left.bool(event) && right.bool(event);
                case "=": return equal(event);
                case "!=": return !equal(event);
                default: break;
            }
            final double l = left.number(event);
            final double r = right.number(event);
            switch (operator)
            {
                case "<": return l < r;
                case "<=": return l <= r;
                case ">": return l > r;
                case ">=": return l >= r;
                case "+": return l + r;
                case "-": return l - r;
                case "*": return l * r;
                case "/": return l / r;
                default: return l % r;
            }
        }

        private boolean equal(final Map<String, Object> event)
        {
            final Object l = left.eval(event);
            final Object r = right.eval(event);
            return Type.NUMBER == left.type ? (double)(Double)l == (double)(Double)r : l.equals(r);
        }

        @Override
        String render(final Random random)
        {
            final String symbol;
            switch (operator)
            {
                case "or": case "and": symbol = keyword(operator, random); break;
                case "=": symbol = space(random) + (random.nextBoolean() ? "=" : "==") + space(random); break;
                case "!=": symbol = space(random) + (random.nextBoolean() ? "!=" : "<>") + space(random); break;
                default: symbol = space(random) + operator + space(random); break;
            }
            final boolean comparison = COMPARISON == level;
            return inner(left, comparison ? ADDITIVE : level, random) + symbol +
                inner(right, comparison ? ADDITIVE : level + 1, random);
        }
    }

    static final class InList extends NaiveExpression
    {
        private final NaiveExpression operand;
        private final boolean negated;
        private final List<NaiveExpression> literals;

        InList(final NaiveExpression operand, final boolean negated, final List<NaiveExpression> literals)
        {
            super(Type.BOOLEAN, COMPARISON);
            this.operand = operand;
            this.negated = negated;
            this.literals = literals;
        }

        @Override
        Object eval(final Map<String, Object> event)
        {
            final Object value = operand.eval(event);
            boolean found = false;
            for (final NaiveExpression literal : literals)
            {
                final Object candidate = literal.eval(event);
                found |= Type.NUMBER == operand.type ?
                    (double)(Double)value == (double)(Double)candidate : value.equals(candidate);
            }
            return found != negated;
        }

        @Override
        String render(final Random random)
        {
            final StringBuilder list = new StringBuilder();
            for (final NaiveExpression literal : literals)
            {
                list.append(list.length() > 0 ? "," + space(random) : "").append(literal.render(random));
            }
            return inner(operand, ADDITIVE, random) + (negated ? keyword("not", random) + "in " : keyword("in", random)) +
                "[" + space(random) + list + space(random) + "]";
        }
    }

    static final class IsNull extends NaiveExpression
    {
        private final NaiveExpression.Field field;
        private final boolean negated;

        IsNull(final NaiveExpression.Field field, final boolean negated)
        {
            super(Type.BOOLEAN, COMPARISON);
            this.field = field;
            this.negated = negated;
        }

        @Override
        Object eval(final Map<String, Object> event)
        {
            final Object value = field.raw(event);
            return (NaiveExpression.Field.MISSING == value || null == value) != negated;
        }

        @Override
        String render(final Random random)
        {
            final String nullWord = keyword("null", random).trim();
            switch (random.nextInt(4))
            {
                case 0: return nullWord + space(random) + (negated ? "!=" : "=") + space(random) + field.render(random);
                case 1: return field.render(random) + space(random) + (negated ? "<>" : "==") + space(random) + nullWord;
                default: return field.render(random) + keyword("is", random) + (negated ? "not " : "") + nullWord;
            }
        }
    }

    /**
     * {@code abs log exp sqrt min max if lower starts_with}.
     */
    static final class Call extends NaiveExpression
    {
        private final String name;
        private final List<NaiveExpression> arguments;

        Call(final Type type, final String name, final List<NaiveExpression> arguments)
        {
            super(type, PRIMARY);
            this.name = name;
            this.arguments = arguments;
        }

        @Override
        Object eval(final Map<String, Object> event)
        {
            switch (name)
            {
                case "abs": return Math.abs(argument(0).number(event));
                case "log": return StrictMath.log(argument(0).number(event));
                case "exp": return StrictMath.exp(argument(0).number(event));
                case "sqrt": return Math.sqrt(argument(0).number(event));
                case "lower": return lower(argument(0).string(event));
                case "starts_with": return argument(0).string(event).startsWith(argument(1).string(event));
                case "if": return argument(0).bool(event) ? argument(1).eval(event) : argument(2).eval(event);
                default:
                    double result = argument(0).number(event);
                    for (int i = 1; i < arguments.size(); i++)
                    {
                        final double next = argument(i).number(event);
                        result = "min".equals(name) ? Math.min(result, next) : Math.max(result, next);
                    }
                    return result;
            }
        }

        private static String lower(final String text)
        {
            final StringBuilder lowered = new StringBuilder();
            text.codePoints().forEach(codePoint -> lowered.appendCodePoint(Character.toLowerCase(codePoint)));
            return lowered.toString();
        }

        private NaiveExpression argument(final int index)
        {
            return arguments.get(index);
        }

        @Override
        boolean typed()
        {
            return !"if".equals(name) || argument(1).typed() || argument(2).typed();
        }

        @Override
        String render(final Random random)
        {
            final StringBuilder text = new StringBuilder(keyword(name, random).trim()).append('(').append(space(random));
            for (int i = 0; i < arguments.size(); i++)
            {
                text.append(i > 0 ? "," + space(random) : "").append(inner(argument(i), OR, random));
            }
            return text.append(space(random)).append(')').toString();
        }
    }
}
