package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.expr.EvalContext;
import dev.ringflow.engine.expr.Expression;
import dev.ringflow.engine.expr.FieldType;

/**
 * Sends the events for which a condition holds, as they are now, to another topic; they go on to the next task
 * only if the route says {@code continue}. An event the condition cannot be evaluated on is bad input.
 */
final class RouteStage extends FieldStage
{
    private final Expression when;
    private final String topic;
    private final boolean continueFlow;

    RouteStage(final String when, final String topic, final boolean continueFlow, final JsonEvents events)
    {
        super(events);
        this.when = Expression.compile(when, events.table(), FieldType.BOOLEAN);
        this.topic = topic;
        this.continueFlow = continueFlow;
    }

    @Override
    boolean onEvent(final JsonEvent event, final RecordBuffer in, final int index, final OutputList outputs)
    {
        final EvalContext context = events.context();
        final boolean matches = when.evalBoolean(event, context);
        if (context.failed())
        {
            outputs.deadLetter(context.failure());
            return false;
        }
        if (!matches)
        {
            return true;
        }
        final int routed = outputs.add(OutputList.ROUTED, in.timeMs(index), topic);
        outputs.key(routed).set(in.key(index));
        final ByteSlice value = outputs.value(routed);
        events.write(event, value);
        if (continueFlow)
        {
            events.remember(event, value);
        }
        return continueFlow;
    }
}
