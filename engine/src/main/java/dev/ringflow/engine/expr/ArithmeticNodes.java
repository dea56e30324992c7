package dev.ringflow.engine.expr;

/**
 * {@code + - * / %} and unary minus on doubles, with IEEE 754 semantics: division by zero gives an infinity or
 * NaN, and {@code %} is Java's remainder (its sign is the dividend's).
 */
final class ArithmeticNodes
{
    private ArithmeticNodes()
    {
    }

    static NumberNode create(final Syntax.Operator operator, final NumberNode left, final NumberNode right)
    {
        switch (operator)
        {
            case ADD: return new Add(left, right);
            case SUBTRACT: return new Subtract(left, right);
            case MULTIPLY: return new Multiply(left, right);
            case DIVIDE: return new Divide(left, right);
            case REMAINDER: return new Remainder(left, right);
            default: throw new IllegalArgumentException(operator.symbol);
        }
    }

    static final class Add extends NumberNode
    {
        private final NumberNode left;
        private final NumberNode right;

        Add(final NumberNode left, final NumberNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) + right.evalNumber(event, context);
        }
    }

    static final class Subtract extends NumberNode
    {
        private final NumberNode left;
        private final NumberNode right;

        Subtract(final NumberNode left, final NumberNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) - right.evalNumber(event, context);
        }
    }

    static final class Multiply extends NumberNode
    {
        private final NumberNode left;
        private final NumberNode right;

        Multiply(final NumberNode left, final NumberNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) * right.evalNumber(event, context);
        }
    }

    static final class Divide extends NumberNode
    {
        private final NumberNode left;
        private final NumberNode right;

        Divide(final NumberNode left, final NumberNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) / right.evalNumber(event, context);
        }
    }

    static final class Remainder extends NumberNode
    {
        private final NumberNode left;
        private final NumberNode right;

        Remainder(final NumberNode left, final NumberNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) % right.evalNumber(event, context);
        }
    }

    static final class Negate extends NumberNode
    {
        private final NumberNode operand;

        Negate(final NumberNode operand)
        {
            this.operand = operand;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return -operand.evalNumber(event, context);
        }
    }
}
