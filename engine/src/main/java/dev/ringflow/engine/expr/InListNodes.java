package dev.ringflow.engine.expr;

import java.util.Arrays;

/**
 * {@code x in [...]} and {@code x not in [...]} against literals of x's type: true when x equals one of them
 * (for numbers by {@code ==}, so NaN is in no list and -0 is in [0]; for strings byte for byte).
 */
final class InListNodes
{
    private InListNodes()
    {
    }

    static final class NumberInList extends BooleanNode
    {
        private final NumberNode operand;
        private final double[] values;
        private final boolean negated;

        NumberInList(final NumberNode operand, final double[] values, final boolean negated)
        {
            this.operand = operand;
            this.values = values.clone();
            this.negated = negated;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            final double value = operand.evalNumber(event, context);
            final double[] values = this.values;
            for (final double candidate : values)
            {
                if (candidate == value)
                {
                    return !negated;
                }
            }
            return negated;
        }
    }

    /**
     * @return {@code operand in [values]}, or {@code not in} when negated.
     */
    static BooleanNode strings(final StringNode operand, final byte[][] values, final boolean negated)
    {
        return operand instanceof FieldNodes.StringField ?
            new FieldInList((FieldNodes.StringField)operand, values, negated) :
            new StringInList(operand, values, negated);
    }

    /**
     * {@code field in ['a', 'b']}, reading the field's bytes where the event holds them.
     */
    static final class FieldInList extends BooleanNode
    {
        private final int field;
        private final FieldFailures failures;
        private final byte[][] values;
        private final boolean negated;

        FieldInList(final FieldNodes.StringField field, final byte[][] values, final boolean negated)
        {
            this.field = field.field();
            this.failures = field.failures();
            this.values = values.clone();
            this.negated = negated;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            final int field = this.field;
            if (!FieldNodes.StringField.isString(event, field, failures, context))
            {
                return false;
            }
            final byte[] bytes = event.stringBytes(field);
            final int offset = event.stringOffset(field);
            final int end = offset + event.stringLength(field);
            final byte[][] values = this.values;
            for (final byte[] candidate : values)
            {
                if (Arrays.equals(bytes, offset, end, candidate, 0, candidate.length))
                {
                    return !negated;
                }
            }
            return negated;
        }
    }

    static final class StringInList extends BooleanNode
    {
        private final StringNode operand;
        private final byte[][] values;
        private final boolean negated;

        StringInList(final StringNode operand, final byte[][] values, final boolean negated)
        {
            this.operand = operand;
            this.values = values.clone();
            this.negated = negated;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            final StringNode operand = this.operand;
            operand.evalTransient(event, context);
            final byte[] bytes = operand.bytes;
            final int offset = operand.offset;
            final int end = offset + operand.length;
            final byte[][] values = this.values;
            for (final byte[] candidate : values)
            {
                if (Arrays.equals(bytes, offset, end, candidate, 0, candidate.length))
                {
                    return !negated;
                }
            }
            return negated;
        }
    }

    static final class BooleanInList extends BooleanNode
    {
        private final BooleanNode operand;
        private final boolean containsTrue;
        private final boolean containsFalse;
        private final boolean negated;

        BooleanInList(final BooleanNode operand, final boolean containsTrue, final boolean containsFalse,
            final boolean negated)
        {
            this.operand = operand;
            this.containsTrue = containsTrue;
            this.containsFalse = containsFalse;
            this.negated = negated;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            final boolean contained = operand.evalBoolean(event, context) ? containsTrue : containsFalse;
            return contained != negated;
        }
    }
}
