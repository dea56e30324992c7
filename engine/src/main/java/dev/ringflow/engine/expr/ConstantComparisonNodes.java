package dev.ringflow.engine.expr;

/**
 * {@code = != < <= > >=} of a number against a literal, the commonest comparison, with one call fewer than a
 * comparison of two nodes; IEEE 754 semantics as in {@link NumberComparisonNodes}.
 */
final class ConstantComparisonNodes
{
    private ConstantComparisonNodes()
    {
    }

    static BooleanNode create(final Syntax.Operator operator, final NumberNode left, final double right)
    {
        switch (operator)
        {
            case EQUAL: return new EqualConstant(left, right);
            case NOT_EQUAL: return new NotEqualConstant(left, right);
            case LESS: return new LessConstant(left, right);
            case LESS_EQUAL: return new LessEqualConstant(left, right);
            case GREATER: return new GreaterConstant(left, right);
            case GREATER_EQUAL: return new GreaterEqualConstant(left, right);
            default: throw new IllegalArgumentException(operator.symbol);
        }
    }

    static final class EqualConstant extends BooleanNode
    {
        private final NumberNode left;
        private final double right;

        EqualConstant(final NumberNode left, final double right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) == right;
        }
    }

    static final class NotEqualConstant extends BooleanNode
    {
        private final NumberNode left;
        private final double right;

        NotEqualConstant(final NumberNode left, final double right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) != right;
        }
    }

    static final class LessConstant extends BooleanNode
    {
        private final NumberNode left;
        private final double right;

        LessConstant(final NumberNode left, final double right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) < right;
        }
    }

    static final class LessEqualConstant extends BooleanNode
    {
        private final NumberNode left;
        private final double right;

        LessEqualConstant(final NumberNode left, final double right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) <= right;
        }
    }

    static final class GreaterConstant extends BooleanNode
    {
        private final NumberNode left;
        private final double right;

        GreaterConstant(final NumberNode left, final double right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) > right;
        }
    }

    static final class GreaterEqualConstant extends BooleanNode
    {
        private final NumberNode left;
        private final double right;

        GreaterEqualConstant(final NumberNode left, final double right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) >= right;
        }
    }
}
