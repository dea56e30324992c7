package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.expr.EvalContext;
import dev.ringflow.engine.expr.Expression;
import dev.ringflow.engine.expr.FieldType;

/**
 * A filter's {@code where}: passes the events for which the condition holds. An event the condition cannot be
 * evaluated on (a field it needs is missing, null or of the wrong kind) is bad input, with the reason.
 */
final class WhereStage extends FieldStage
{
    private final Expression condition;

    WhereStage(final String where, final JsonEvents events)
    {
        super(events);
        this.condition = Expression.compile(where, events.table(), FieldType.BOOLEAN);
    }

    @Override
    boolean onEvent(final JsonEvent event, final RecordBuffer in, final int index, final OutputList outputs)
    {
        final EvalContext context = events.context();
        final boolean keep = condition.evalBoolean(event, context);
        if (context.failed())
        {
            outputs.deadLetter(context.failure());
            return false;
        }
        return keep;
    }
}
