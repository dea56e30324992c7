package dev.ringflow.engine.expr;

/**
 * {@code = != < <= > >=} on doubles with IEEE 754 semantics: NaN is unequal to everything, itself included, and
 * {@code -0 = 0}; both operands are evaluated, left first.
 */
final class NumberComparisonNodes
{
    private NumberComparisonNodes()
    {
    }

    /**
     * @return a comparison, against a constant when either operand is a literal.
     */
    static BooleanNode create(final Syntax.Operator operator, final NumberNode left, final NumberNode right)
    {
        if (left instanceof ConstantNodes.NumberConstant && !(right instanceof ConstantNodes.NumberConstant))
        {
            // A literal cannot fail, so evaluating it second changes nothing: 1000 < x is x > 1000.
            return create(mirror(operator), right, left);
        }
        if (right instanceof ConstantNodes.NumberConstant)
        {
            return ConstantComparisonNodes.create(operator, left, ((ConstantNodes.NumberConstant)right).value);
        }
        switch (operator)
        {
            case EQUAL: return new Equal(left, right);
            case NOT_EQUAL: return new NotEqual(left, right);
            case LESS: return new Less(left, right);
            case LESS_EQUAL: return new LessEqual(left, right);
            case GREATER: return new Greater(left, right);
            case GREATER_EQUAL: return new GreaterEqual(left, right);
            default: throw new IllegalArgumentException(operator.symbol);
        }
    }

    private static Syntax.Operator mirror(final Syntax.Operator operator)
    {
        switch (operator)
        {
            case LESS: return Syntax.Operator.GREATER;
            case LESS_EQUAL: return Syntax.Operator.GREATER_EQUAL;
            case GREATER: return Syntax.Operator.LESS;
            case GREATER_EQUAL: return Syntax.Operator.LESS_EQUAL;
            default: return operator;
        }
    }

    static final class Equal extends BooleanNode
    {
        private final NumberNode left;
        private final NumberNode right;

        Equal(final NumberNode left, final NumberNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) == right.evalNumber(event, context);
        }
    }

    static final class NotEqual extends BooleanNode
    {
        private final NumberNode left;
        private final NumberNode right;

        NotEqual(final NumberNode left, final NumberNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) != right.evalNumber(event, context);
        }
    }

    static final class Less extends BooleanNode
    {
        private final NumberNode left;
        private final NumberNode right;

        Less(final NumberNode left, final NumberNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) < right.evalNumber(event, context);
        }
    }

    static final class LessEqual extends BooleanNode
    {
        private final NumberNode left;
        private final NumberNode right;

        LessEqual(final NumberNode left, final NumberNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) <= right.evalNumber(event, context);
        }
    }

    static final class Greater extends BooleanNode
    {
        private final NumberNode left;
        private final NumberNode right;

        Greater(final NumberNode left, final NumberNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) > right.evalNumber(event, context);
        }
    }

    static final class GreaterEqual extends BooleanNode
    {
        private final NumberNode left;
        private final NumberNode right;

        GreaterEqual(final NumberNode left, final NumberNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalNumber(event, context) >= right.evalNumber(event, context);
        }
    }
}
