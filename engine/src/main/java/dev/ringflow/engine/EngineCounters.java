package dev.ringflow.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of what the engine did, for status lines and metrics.
 * <p>
 * <b>Note:</b> Each counter has one writer thread (single-writer increments with release stores) and any
 * number of readers.
 */
public final class EngineCounters
{
    private final AtomicLong eventsIn = new AtomicLong();
    private final AtomicLong eventsOut = new AtomicLong();
    private final AtomicLong badInput = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong late = new AtomicLong();

    /** Events processed by the worker. */
    public long eventsIn()
    {
        return eventsIn.get();
    }

    /** Output records handed to the sink (an event can produce none, one or several). */
    public long eventsOut()
    {
        return eventsOut.get();
    }

    /** Events that could not be processed (values that do not parse, ...). */
    public long badInput()
    {
        return badInput.get();
    }

    /** Bad input handed to the dead-letter destination. */
    public long deadLettered()
    {
        return deadLettered.get();
    }

    /** Elements later than their time windows' allowed lateness (sent to the late topic if there is one). */
    public long late()
    {
        return late.get();
    }

    void onLate()
    {
        late.lazySet(late.get() + 1);
    }

    void onEventIn()
    {
        eventsIn.lazySet(eventsIn.get() + 1);
    }

    void onEventOut()
    {
        eventsOut.lazySet(eventsOut.get() + 1);
    }

    void onBadInput()
    {
        badInput.lazySet(badInput.get() + 1);
    }

    void onDeadLettered()
    {
        deadLettered.lazySet(deadLettered.get() + 1);
    }
}
