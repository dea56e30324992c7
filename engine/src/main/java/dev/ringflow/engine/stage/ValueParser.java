package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.windows.ValueKind;

/**
 * Parses a record value as a window's value kind, dead-lettering the event when it does not parse.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free. The parsed value is valid until the next call.
 */
final class ValueParser
{
    static final String NOT_AN_INTEGER = "value is not an integer";
    static final String NOT_A_FINITE_NUMBER = "value is not a finite number";

    private final boolean isLong;
    private final AsciiNumbers numbers;
    long longValue;
    double doubleValue;

    ValueParser(final ValueKind kind, final AsciiNumbers numbers)
    {
        this.isLong = kind == ValueKind.LONG;
        this.numbers = numbers;
    }

    boolean isLong()
    {
        return isLong;
    }

    /**
     * @return true if {@code value} parsed into {@link #longValue} or {@link #doubleValue}; false after recording
     * a dead letter on {@code slot}.
     */
    boolean parse(final ByteSlice value, final EventSlot slot)
    {
        final int length = value.isNull() ? 0 : value.length();
        if (isLong)
        {
            longValue = numbers.parseLong(value.bytes(), length);
        }
        else
        {
            doubleValue = numbers.parseDouble(value.bytes(), length);
        }
        if (numbers.lastParseFailed())
        {
            slot.deadLetter(isLong ? NOT_AN_INTEGER : NOT_A_FINITE_NUMBER);
            return false;
        }
        return true;
    }
}
