package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;

/**
 * Passes events whose numeric value lies within inclusive bounds; drops the others. Non-numbers are bad input.
 */
final class FilterStage implements Stage
{
    static final String NOT_A_NUMBER = "value is not a number";

    private final double min;
    private final double max;
    private final AsciiNumbers numbers;

    FilterStage(final double min, final double max, final AsciiNumbers numbers)
    {
        this.min = min;
        this.max = max;
        this.numbers = numbers;
    }

    @Override
    public boolean onEvent(final EventSlot slot)
    {
        final ByteSlice value = slot.value();
        final double number = numbers.parseDouble(value.bytes(), value.isNull() ? 0 : value.length());
        if (numbers.lastParseFailed())
        {
            slot.outcomeDeadLetter(NOT_A_NUMBER);
            return false;
        }
        if (number < min || number > max)
        {
            slot.outcomeNone();
            return false;
        }
        return true;
    }
}
