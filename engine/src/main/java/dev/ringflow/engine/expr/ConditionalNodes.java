package dev.ringflow.engine.expr;

/**
 * {@code if(condition, then, otherwise)} for each type: evaluates the condition, then only the branch it picks.
 */
final class ConditionalNodes
{
    private ConditionalNodes()
    {
    }

    static final class NumberIf extends NumberNode
    {
        private final BooleanNode condition;
        private final NumberNode then;
        private final NumberNode otherwise;

        NumberIf(final BooleanNode condition, final NumberNode then, final NumberNode otherwise)
        {
            this.condition = condition;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return condition.evalBoolean(event, context) ?
                then.evalNumber(event, context) : otherwise.evalNumber(event, context);
        }
    }

    static final class BooleanIf extends BooleanNode
    {
        private final BooleanNode condition;
        private final BooleanNode then;
        private final BooleanNode otherwise;

        BooleanIf(final BooleanNode condition, final BooleanNode then, final BooleanNode otherwise)
        {
            this.condition = condition;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return condition.evalBoolean(event, context) ?
                then.evalBoolean(event, context) : otherwise.evalBoolean(event, context);
        }
    }

    /**
     * Takes on the picked branch's result without copying it.
     */
    static final class StringIf extends StringNode
    {
        private final BooleanNode condition;
        private final StringNode then;
        private final StringNode otherwise;

        StringIf(final BooleanNode condition, final StringNode then, final StringNode otherwise)
        {
            this.condition = condition;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        void evalString(final FieldValues event, final EvalContext context)
        {
            final StringNode picked = condition.evalBoolean(event, context) ? then : otherwise;
            picked.evalString(event, context);
            take(picked);
        }

        @Override
        void evalTransient(final FieldValues event, final EvalContext context)
        {
            final StringNode picked = condition.evalBoolean(event, context) ? then : otherwise;
            picked.evalTransient(event, context);
            take(picked);
        }

        private void take(final StringNode picked)
        {
            result(picked.bytes, picked.offset, picked.length);
        }
    }
}
