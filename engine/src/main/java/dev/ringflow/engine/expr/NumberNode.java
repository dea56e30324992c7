package dev.ringflow.engine.expr;

/**
 * A node that evaluates to a double.
 * <p>
 * <b>Note:</b> Allocation free; returns NaN as its placeholder when it fails.
 */
abstract class NumberNode extends Node
{
    abstract double evalNumber(FieldValues event, EvalContext context);

    @Override
    final FieldType type()
    {
        return FieldType.NUMBER;
    }
}
