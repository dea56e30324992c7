package dev.ringflow.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running totals of what the engine did, for status lines and metrics.
 * <p>
 * <b>Note:</b> Each counter has one writer thread (single-writer increments with release stores) and any
 * number of readers. With several workers each writes its own part ({@link #newPart()}), and the totals add
 * the parts up.
 */
public final class EngineCounters
{
    private final java.util.List<EngineCounters> parts = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final AtomicLong eventsIn = new AtomicLong();
    private final AtomicLong eventsOut = new AtomicLong();
    private final AtomicLong badInput = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong late = new AtomicLong();

    /** Events processed by the worker. */
    public long eventsIn()
    {
        long total = eventsIn.get();
        for (final EngineCounters part : parts)
        {
            total += part.eventsIn.get();
        }
        return total;
    }

    /** Output records handed to the sink (an event can produce none, one or several). */
    public long eventsOut()
    {
        long total = eventsOut.get();
        for (final EngineCounters part : parts)
        {
            total += part.eventsOut.get();
        }
        return total;
    }

    /** Events that could not be processed (values that do not parse, ...). */
    public long badInput()
    {
        long total = badInput.get();
        for (final EngineCounters part : parts)
        {
            total += part.badInput.get();
        }
        return total;
    }

    /** Bad input handed to the dead-letter destination. */
    public long deadLettered()
    {
        long total = deadLettered.get();
        for (final EngineCounters part : parts)
        {
            total += part.deadLettered.get();
        }
        return total;
    }

    /** Elements later than their time windows' allowed lateness (sent to the late topic if there is one). */
    public long late()
    {
        long total = late.get();
        for (final EngineCounters part : parts)
        {
            total += part.late.get();
        }
        return total;
    }

    /** A part of these totals for one more writer thread. */
    EngineCounters newPart()
    {
        final EngineCounters part = new EngineCounters();
        parts.add(part);
        return part;
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
