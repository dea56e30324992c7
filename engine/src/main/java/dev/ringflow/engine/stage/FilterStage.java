package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.ByteSlice;

/**
 * Passes records whose numeric value lies within inclusive bounds; drops the others. Non-numbers are bad input.
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
    public void onRecord(final RecordBuffer in, final int index, final RecordBuffer out, final OutputList outputs)
    {
        final ByteSlice value = in.value(index);
        final double number = numbers.parseDouble(value.bytes(), value.isNull() ? 0 : value.length());
        if (numbers.lastParseFailed())
        {
            outputs.deadLetter(NOT_A_NUMBER);
        }
        else if (number >= min && number <= max)
        {
            out.value(out.addWithKeyOf(in, index)).set(value);
        }
    }
}
