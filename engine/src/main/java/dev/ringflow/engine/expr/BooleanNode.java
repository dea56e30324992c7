package dev.ringflow.engine.expr;

/**
 * A node that evaluates to a boolean.
 * <p>
 * <b>Note:</b> Allocation free; returns false as its placeholder when it fails.
 */
abstract class BooleanNode extends Node
{
    abstract boolean evalBoolean(FieldValues event, EvalContext context);

    @Override
    final FieldType type()
    {
        return FieldType.BOOLEAN;
    }
}
