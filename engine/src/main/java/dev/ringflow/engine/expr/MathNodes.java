package dev.ringflow.engine.expr;

/**
 * The number functions {@code abs}, {@code min}, {@code max}, {@code log}, {@code exp} and {@code sqrt}.
 * <p>
 * <b>Note:</b> {@code log} and {@code exp} are {@link StrictMath}'s, so that an event replayed on another machine
 * or JVM gives bit-identical results; {@code min} and {@code max} are {@link Math}'s (NaN if any argument is NaN,
 * and -0 below 0). All arguments are evaluated, left to right.
 */
final class MathNodes
{
    private MathNodes()
    {
    }

    static final class Abs extends NumberNode
    {
        private final NumberNode operand;

        Abs(final NumberNode operand)
        {
            this.operand = operand;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return Math.abs(operand.evalNumber(event, context));
        }
    }

    static final class Log extends NumberNode
    {
        private final NumberNode operand;

        Log(final NumberNode operand)
        {
            this.operand = operand;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return StrictMath.log(operand.evalNumber(event, context));
        }
    }

    static final class Exp extends NumberNode
    {
        private final NumberNode operand;

        Exp(final NumberNode operand)
        {
            this.operand = operand;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return StrictMath.exp(operand.evalNumber(event, context));
        }
    }

    static final class Sqrt extends NumberNode
    {
        private final NumberNode operand;

        Sqrt(final NumberNode operand)
        {
            this.operand = operand;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return Math.sqrt(operand.evalNumber(event, context));
        }
    }

    static final class Min extends NumberNode
    {
        private final NumberNode[] arguments;

        Min(final NumberNode[] arguments)
        {
            this.arguments = arguments.clone();
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            final NumberNode[] arguments = this.arguments;
            double min = arguments[0].evalNumber(event, context);
            for (int i = 1; i < arguments.length; i++)
            {
                min = Math.min(min, arguments[i].evalNumber(event, context));
            }
            return min;
        }
    }

    static final class Max extends NumberNode
    {
        private final NumberNode[] arguments;

        Max(final NumberNode[] arguments)
        {
            this.arguments = arguments.clone();
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            final NumberNode[] arguments = this.arguments;
            double max = arguments[0].evalNumber(event, context);
            for (int i = 1; i < arguments.length; i++)
            {
                max = Math.max(max, arguments[i].evalNumber(event, context));
            }
            return max;
        }
    }
}
