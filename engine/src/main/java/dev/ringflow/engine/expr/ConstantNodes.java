package dev.ringflow.engine.expr;

import java.nio.charset.StandardCharsets;

/**
 * Literals: nodes whose value is fixed at compile time.
 */
final class ConstantNodes
{
    private ConstantNodes()
    {
    }

    static final class NumberConstant extends NumberNode
    {
        final double value;

        NumberConstant(final double value)
        {
            this.value = value;
        }

        @Override
        double evalNumber(final FieldValues event, final EvalContext context)
        {
            return value;
        }
    }

    static final class BooleanConstant extends BooleanNode
    {
        private final boolean value;

        BooleanConstant(final boolean value)
        {
            this.value = value;
        }

        @Override
        boolean evalBoolean(final FieldValues event, final EvalContext context)
        {
            return value;
        }
    }

    static final class StringConstant extends StringNode
    {
        StringConstant(final String value)
        {
            bytes = value.getBytes(StandardCharsets.UTF_8);
            length = bytes.length;
        }

        byte[] value()
        {
            return bytes;
        }

        @Override
        void evalString(final FieldValues event, final EvalContext context)
        {
            // bytes, offset and length were set once, at construction
        }
    }
}
