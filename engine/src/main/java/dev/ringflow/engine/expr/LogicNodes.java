package dev.ringflow.engine.expr;

/**
 * {@code and}, {@code or}, {@code not}, and {@code = !=} on booleans; {@code and} and {@code or} evaluate their
 * right operand only when the left one does not decide, so {@code x is not null and x > 3} never reads a missing x.
 */
final class LogicNodes
{
    private LogicNodes()
    {
    }

    static final class And extends BooleanNode
    {
        private final BooleanNode left;
        private final BooleanNode right;

        And(final BooleanNode left, final BooleanNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalBoolean(event, context) && right.evalBoolean(event, context);
        }
    }

    static final class Or extends BooleanNode
    {
        private final BooleanNode left;
        private final BooleanNode right;

        Or(final BooleanNode left, final BooleanNode right)
        {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return left.evalBoolean(event, context) || right.evalBoolean(event, context);
        }
    }

    static final class Not extends BooleanNode
    {
        private final BooleanNode operand;

        Not(final BooleanNode operand)
        {
            this.operand = operand;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return !operand.evalBoolean(event, context);
        }
    }

    static final class BooleanEqual extends BooleanNode
    {
        private final BooleanNode left;
        private final BooleanNode right;
        private final boolean negated;

        BooleanEqual(final BooleanNode left, final BooleanNode right, final boolean negated)
        {
            this.left = left;
            this.right = right;
            this.negated = negated;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            final boolean left = this.left.evalBoolean(event, context);
            return (left == right.evalBoolean(event, context)) != negated;
        }
    }
}
