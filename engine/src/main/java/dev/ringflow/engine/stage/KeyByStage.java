package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.expr.EvalContext;
import dev.ringflow.engine.expr.Expression;
import dev.ringflow.engine.expr.FieldType;
import dev.ringflow.engine.expr.FieldValues;

import java.util.regex.Pattern;

/**
 * Re-keys each event by a field or an expression: strings key as their text, numbers as their JSON text (a field's
 * number exactly as the input wrote it), booleans as {@code true}/{@code false}. An event without a key value (the
 * field missing or null, or the expression failing) is bad input.
 */
final class KeyByStage extends FieldStage
{
    private static final Pattern FIELD_PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private final ByteSlice key = new ByteSlice();
    /** The field keyed by, or -1 to key by {@link #expression}. */
    private final int field;
    private final Expression expression;
    private final String noKeyReason;

    KeyByStage(final String keyBy, final JsonEvents events)
    {
        super(events);
        final String text = keyBy.trim();
        if (FIELD_PATH.matcher(text).matches() && events.table().fieldType(text) == FieldType.UNKNOWN)
        {
            field = events.table().fieldId(text);
            expression = null;
        }
        else
        {
            field = -1;
            expression = Expression.compile(text, events.table());
        }
        noKeyReason = "field '" + text + "' is missing or null: no key to key by";
    }

    @Override
    boolean onEvent(final JsonEvent event, final RecordBuffer in, final int index, final OutputList outputs)
    {
        return null == expression ? keyByField(event, outputs) : keyByExpression(event, outputs);
    }

    private boolean keyByField(final JsonEvent event, final OutputList outputs)
    {
        switch (event.kind(field))
        {
            case FieldValues.STRING -> key.set(event.stringBytes(field), event.stringOffset(field),
                event.stringLength(field));
            case FieldValues.NUMBER -> event.copyNumberText(field, key, events);
            case FieldValues.BOOLEAN -> setBoolean(event.bool(field));
            default ->
            {
                outputs.deadLetter(noKeyReason);
                return false;
            }
        }
        return true;
    }

    private boolean keyByExpression(final JsonEvent event, final OutputList outputs)
    {
        final EvalContext context = events.context();
        final Expression expression = this.expression;
        switch (expression.type())
        {
            case NUMBER ->
            {
                final double value = expression.evalNumber(event, context);
                key.clear();
                if (!context.failed())
                {
                    events.writeNumber(value, key);
                }
            }
            case BOOLEAN ->
            {
                setBoolean(expression.evalBoolean(event, context));
            }
            default ->
            {
                expression.evalString(event, context);
                if (!context.failed())
                {
                    key.set(context.stringBytes(), 0, context.stringLength());
                }
            }
        }
        if (context.failed())
        {
            outputs.deadLetter(context.failure());
            return false;
        }
        return true;
    }

    private void setBoolean(final boolean value)
    {
        key.set(value ? TRUE : FALSE, 0, value ? 4 : 5);
    }

    @Override
    void onPassed(final RecordBuffer out, final int index, final JsonEvent event)
    {
        out.ownKey(index).set(key);
    }
}
