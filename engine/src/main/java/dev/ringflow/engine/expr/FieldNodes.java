package dev.ringflow.engine.expr;

import java.util.Arrays;

/**
 * Nodes that read a field of the event: as a number, boolean or string, or whether it is null.
 * <p>
 * <b>Note:</b> A field read as one type fails when it is missing, null or of another kind.
 */
final class FieldNodes
{
    private FieldNodes()
    {
    }

    static final class NumberField extends NumberNode
    {
        private final int field;
        private final FieldFailures failures;

        NumberField(final int field, final FieldFailures failures)
        {
            this.field = field;
            this.failures = failures;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            final int field = this.field;
            final int kind = event.kind(field);
            if (FieldValues.NUMBER == kind)
            {
                return event.number(field);
            }
            context.fail(failures.reason(kind));
            return Double.NaN;
        }
    }

    static final class BooleanField extends BooleanNode
    {
        private final int field;
        private final FieldFailures failures;

        BooleanField(final int field, final FieldFailures failures)
        {
            this.field = field;
            this.failures = failures;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            final int field = this.field;
            final int kind = event.kind(field);
            if (FieldValues.BOOLEAN == kind)
            {
                return event.bool(field);
            }
            context.fail(failures.reason(kind));
            return false;
        }
    }

    /**
     * Copies the field's bytes into a buffer of its own for {@link #evalString}; points at the event's bytes for
     * {@link #evalTransient}.
     */
    static final class StringField extends StringNode
    {
        private final int field;
        private final FieldFailures failures;
        private byte[] copy = new byte[64];

        StringField(final int field, final FieldFailures failures)
        {
            this.field = field;
            this.failures = failures;
        }

        int field()
        {
            return field;
        }

        FieldFailures failures()
        {
            return failures;
        }

        /**
         * True when the event's {@code field} holds a string; else fails the evaluation with the reason (missing,
         * null or another kind) and returns false. For the nodes that read a string field's bytes where they lie.
         */
        static boolean isString(
            final FieldValues event, final int field, final FieldFailures failures, final EvalContext context)
        {
            final int kind = event.kind(field);
            if (FieldValues.STRING == kind)
            {
                return true;
            }
            context.fail(failures.reason(kind));
            return false;
        }

        @Override
        void evalString(final FieldValues event, final EvalContext context)
        {
            evalTransient(event, context);
            final int length = this.length;
            if (length > copy.length)
            {
                copy = Arrays.copyOf(copy, Math.max(length, 2 * copy.length));
            }
            System.arraycopy(bytes, offset, copy, 0, length);
            result(copy, 0, length);
        }

        @Override
        void evalTransient(final FieldValues event, final EvalContext context)
        {
            final int field = this.field;
            if (isString(event, field, failures, context))
            {
                result(event.stringBytes(field), event.stringOffset(field), event.stringLength(field));
            }
            else
            {
                result(EMPTY, 0, 0);
            }
        }
    }

    /**
     * True for a missing or null field (or the opposite when negated); never fails.
     */
    static final class IsNull extends BooleanNode
    {
        private final int field;
        private final boolean negated;

        IsNull(final int field, final boolean negated)
        {
            this.field = field;
            this.negated = negated;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            final int kind = event.kind(field);
            return (FieldValues.MISSING == kind || FieldValues.NULL == kind) != negated;
        }
    }
}
