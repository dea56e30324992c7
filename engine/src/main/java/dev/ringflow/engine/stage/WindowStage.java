package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.CountWindowAggregator;
import dev.ringflow.windows.ValueKind;
import dev.ringflow.windows.WindowResult;

import java.util.EnumSet;

/**
 * Feeds the parsed value into a per-key count window; when the window fires, the value becomes the aggregate
 * as text (integer text for exact integer aggregates), otherwise the event produces nothing.
 */
final class WindowStage implements Stage
{
    static final String NOT_AN_INTEGER = "value is not an integer";
    static final String NOT_A_FINITE_NUMBER = "value is not a finite number";

    private final CountWindowAggregator window;
    private final Aggregation aggregation;
    private final boolean isLong;
    private final KeyInterner keys;
    private final AsciiNumbers numbers;

    WindowStage(
        final int range,
        final int slide,
        final Aggregation aggregation,
        final ValueKind kind,
        final KeyInterner keys,
        final AsciiNumbers numbers)
    {
        this.window = new CountWindowAggregator(range, slide, kind, EnumSet.of(aggregation), 1024);
        this.aggregation = aggregation;
        this.isLong = kind == ValueKind.LONG;
        this.keys = keys;
        this.numbers = numbers;
    }

    @Override
    public boolean onEvent(final EventSlot slot)
    {
        final ByteSlice value = slot.value();
        final int length = value.isNull() ? 0 : value.length();
        final boolean fired;
        if (isLong)
        {
            final long number = numbers.parseLong(value.bytes(), length);
            if (numbers.lastParseFailed())
            {
                slot.outcomeDeadLetter(NOT_AN_INTEGER);
                return false;
            }
            fired = window.addLong(keys.intern(slot.key()), number);
        }
        else
        {
            final double number = numbers.parseDouble(value.bytes(), length);
            if (numbers.lastParseFailed())
            {
                slot.outcomeDeadLetter(NOT_A_FINITE_NUMBER);
                return false;
            }
            fired = window.addDouble(keys.intern(slot.key()), number);
        }
        if (!fired)
        {
            slot.outcomeNone();
            return false;
        }

        final WindowResult result = window.result();
        value.clear();
        if (result.isIntegral(aggregation))
        {
            AsciiNumbers.appendLong(value, result.longValue(aggregation));
        }
        else
        {
            numbers.appendDouble(value, result.doubleValue(aggregation));
        }
        return true;
    }
}
