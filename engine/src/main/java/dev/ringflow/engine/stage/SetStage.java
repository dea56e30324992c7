package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.expr.EvalContext;
import dev.ringflow.engine.expr.Expression;
import dev.ringflow.engine.expr.FieldType;

import java.util.Map;

/**
 * Sets computed fields on each event, in order; an event on which an expression cannot be evaluated is bad input.
 */
final class SetStage extends FieldStage
{
    private final int[] fields;
    private final Expression[] expressions;

    SetStage(final Map<String, String> computed, final JsonEvents events)
    {
        super(events);
        fields = new int[computed.size()];
        expressions = new Expression[computed.size()];
        int i = 0;
        for (final Map.Entry<String, String> field : computed.entrySet())
        {
            // Compiled before the field is defined: an expression reading the field it sets reads the old value.
            expressions[i] = Expression.compile(field.getValue(), events.table());
            fields[i] = events.table().define(field.getKey(), expressions[i].type());
            i++;
        }
    }

    @Override
    boolean onEvent(final JsonEvent event, final RecordBuffer in, final int index, final OutputList outputs)
    {
        final EvalContext context = events.context();
        for (int i = 0; i < fields.length; i++)
        {
            final Expression expression = expressions[i];
            final int field = fields[i];
            final FieldType type = expression.type();
            if (type == FieldType.NUMBER)
            {
                final double value = expression.evalNumber(event, context);
                if (!context.failed())
                {
                    event.setNumber(field, value);
                }
            }
            else if (type == FieldType.BOOLEAN)
            {
                final boolean value = expression.evalBoolean(event, context);
                if (!context.failed())
                {
                    event.setBoolean(field, value);
                }
            }
            else
            {
                expression.evalString(event, context);
                if (!context.failed())
                {
                    event.setString(field, context.stringBytes(), 0, context.stringLength());
                }
            }
            if (context.failed())
            {
                outputs.deadLetter(context.failure());
                return false;
            }
        }
        return true;
    }
}
