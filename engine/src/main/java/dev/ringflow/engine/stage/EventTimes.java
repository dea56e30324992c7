package dev.ringflow.engine.stage;

/**
 * What an event time in milliseconds since 1970 may be: from 0 (1970-01-01) to the last millisecond of year 9999.
 * A time outside is bad input, dead-lettered with one of these reasons, never a watermark jump of thousands of
 * years; within the range, window arithmetic (time plus size, lateness and out-of-orderness) cannot overflow.
 * <p>
 * The rule for units: a time after year 9999 that would be before it in microseconds (up to 1000 times the
 * limit) is reported as {@link #MICROSECONDS}; a larger one (every long is below a million times the limit) as
 * {@link #NANOSECONDS}.
 */
final class EventTimes
{
    /** 9999-12-31T23:59:59.999Z. */
    static final long MAX_MS = 253_402_300_799_999L;
    static final String NEGATIVE = "event time is negative (before 1970): expected milliseconds since 1970";
    static final String MICROSECONDS = "event time is after year 9999 in milliseconds: it looks like microseconds";
    static final String NANOSECONDS = "event time is after year 9999 in milliseconds: it looks like nanoseconds";

    private EventTimes()
    {
    }

    /** Null for a sane event time, else why it is not one (a constant). */
    static String problem(final long timeMs)
    {
        if (timeMs < 0)
        {
            return NEGATIVE;
        }
        if (timeMs <= MAX_MS)
        {
            return null;
        }
        return timeMs / 1_000 <= MAX_MS ? MICROSECONDS : NANOSECONDS;
    }
}
