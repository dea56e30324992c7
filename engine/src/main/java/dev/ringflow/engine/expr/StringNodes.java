package dev.ringflow.engine.expr;

import java.util.Arrays;

/**
 * String equality and the string functions {@code lower} and {@code starts_with}; strings compare byte for byte
 * as UTF-8.
 * <p>
 * <b>Note:</b> An operand whose result is consumed before any other operand is evaluated is read transiently
 * (without copying a field's bytes); so is every operand beside a literal, which has nothing to evaluate.
 */
final class StringNodes
{
    private StringNodes()
    {
    }

    /**
     * @return {@code left = right}, or {@code left != right} when negated.
     */
    static BooleanNode equal(final StringNode left, final StringNode right, final boolean negated)
    {
        if (left instanceof FieldNodes.StringField && right instanceof ConstantNodes.StringConstant)
        {
            return new FieldEqualConstant((FieldNodes.StringField)left, (ConstantNodes.StringConstant)right, negated);
        }
        if (right instanceof FieldNodes.StringField && left instanceof ConstantNodes.StringConstant)
        {
            return new FieldEqualConstant((FieldNodes.StringField)right, (ConstantNodes.StringConstant)left, negated);
        }
        return new StringEqual(left, right, negated);
    }

    /**
     * {@code field = 'literal'}, the commonest string comparison, reading the field's bytes where the event holds
     * them.
     */
    static final class FieldEqualConstant extends BooleanNode
    {
        private final int field;
        private final FieldFailures failures;
        private final byte[] constant;
        private final boolean negated;

        FieldEqualConstant(final FieldNodes.StringField field, final ConstantNodes.StringConstant constant,
            final boolean negated)
        {
            this.field = field.field();
            this.failures = field.failures();
            this.constant = constant.value();
            this.negated = negated;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            if (!FieldNodes.StringField.isString(event, field, failures, context))
            {
                return false;
            }
            final int offset = event.stringOffset(field);
            final byte[] constant = this.constant;
            final boolean equal = Arrays.equals(event.stringBytes(field), offset, offset + event.stringLength(field),
                constant, 0, constant.length);
            return equal != negated;
        }
    }

    static final class StringEqual extends BooleanNode
    {
        private final StringNode first;
        private final StringNode second;
        private final boolean secondIsConstant;
        private final boolean negated;

        StringEqual(final StringNode left, final StringNode right, final boolean negated)
        {
            // Equality is symmetric, and a literal cannot fail, so a literal goes second whichever side it was on.
            final boolean swap = left instanceof ConstantNodes.StringConstant;
            this.first = swap ? right : left;
            this.second = swap ? left : right;
            this.secondIsConstant = second instanceof ConstantNodes.StringConstant;
            this.negated = negated;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            final StringNode first = this.first;
            final StringNode second = this.second;
            if (secondIsConstant)
            {
                first.evalTransient(event, context);
            }
            else
            {
                first.evalString(event, context);
                second.evalTransient(event, context);
            }
            final boolean equal = Arrays.equals(first.bytes, first.offset, first.offset + first.length,
                second.bytes, second.offset, second.offset + second.length);
            return equal != negated;
        }
    }

    /**
     * {@code starts_with(s, prefix)}: true when the bytes of s begin with those of prefix (every string starts
     * with the empty one).
     */
    static final class StartsWith extends BooleanNode
    {
        private final StringNode string;
        private final StringNode prefix;
        private final boolean prefixIsConstant;

        StartsWith(final StringNode string, final StringNode prefix)
        {
            this.string = string;
            this.prefix = prefix;
            this.prefixIsConstant = prefix instanceof ConstantNodes.StringConstant;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            final StringNode string = this.string;
            final StringNode prefix = this.prefix;
            if (prefixIsConstant)
            {
                string.evalTransient(event, context);
            }
            else
            {
                string.evalString(event, context);
                prefix.evalTransient(event, context);
            }
            final int prefixLength = prefix.length;
            return string.length >= prefixLength && Arrays.equals(string.bytes, string.offset,
                string.offset + prefixLength, prefix.bytes, prefix.offset, prefix.offset + prefixLength);
        }
    }

    /**
     * {@code lower(s)}: each code point mapped by {@link Character#toLowerCase(int)}, Unicode's simple
     * (one-to-one, locale- and context-free) lower-case mapping; bytes that are not well-formed UTF-8 are copied.
     */
    static final class Lower extends StringNode
    {
        private final StringNode operand;
        private byte[] buffer = new byte[64];

        Lower(final StringNode operand)
        {
            this.operand = operand;
        }

        @Override
        void evalString(final FieldValues event, final EvalContext context)
        {
            final StringNode operand = this.operand;
            operand.evalTransient(event, context);
            final int inputLength = operand.length;
            // The simple mapping lengthens a code point by at most half its UTF-8 bytes (U+023A, 2 -> U+2C65, 3).
            final int capacity = inputLength + (inputLength >> 1) + 1;
            if (capacity > buffer.length)
            {
                buffer = new byte[Math.max(capacity, 2 * buffer.length)];
            }
            final byte[] in = operand.bytes;
            final byte[] out = buffer;
            final int end = operand.offset + inputLength;
            int i = operand.offset;
            int o = 0;
            while (i < end)
            {
                final int b = in[i];
                if (b >= 0)
                {
                    out[o++] = (byte)(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
                    i++;
                }
                else
                {
                    final int sequenceLength = Utf8.sequenceLength(in, i, end);
                    if (0 == sequenceLength)
                    {
                        out[o++] = (byte)b;
                        i++;
                    }
                    else
                    {
                        o = Utf8.encode(Character.toLowerCase(Utf8.decode(in, i, sequenceLength)), out, o);
                        i += sequenceLength;
                    }
                }
            }
            result(out, 0, o);
        }
    }
}
