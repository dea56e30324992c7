package dev.ringflow.engine;

import java.util.concurrent.atomic.AtomicLongArray;

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

    /**
     * One cache line per counter, and a line before the first: the worker writes them for every event, and
     * unpadded (five AtomicLongs allocated beside the engine's own objects) they may share lines with fields other
     * threads read.
     */
    private static final int STRIDE = 8;
    private static final int EVENTS_IN = STRIDE;
    private static final int EVENTS_OUT = 2 * STRIDE;
    private static final int BAD_INPUT = 3 * STRIDE;
    private static final int DEAD_LETTERED = 4 * STRIDE;
    private static final int LATE = 5 * STRIDE;
    private static final int REPLAYED = 6 * STRIDE;
    private final AtomicLongArray counts = new AtomicLongArray(7 * STRIDE);

    /** Events processed by the worker. */
    public long eventsIn()
    {
        long total = counts.get(EVENTS_IN);
        for (final EngineCounters part : parts)
        {
            total += part.counts.get(EVENTS_IN);
        }
        return total;
    }

    /** Of {@link #eventsIn()}, the events that came from the journal (a recovery's replay), not from live input. */
    public long replayed()
    {
        long total = counts.get(REPLAYED);
        for (final EngineCounters part : parts)
        {
            total += part.counts.get(REPLAYED);
        }
        return total;
    }

    /** Output records handed to the sink (an event can produce none, one or several). */
    public long eventsOut()
    {
        long total = counts.get(EVENTS_OUT);
        for (final EngineCounters part : parts)
        {
            total += part.counts.get(EVENTS_OUT);
        }
        return total;
    }

    /** Events that could not be processed (values that do not parse, ...). */
    public long badInput()
    {
        long total = counts.get(BAD_INPUT);
        for (final EngineCounters part : parts)
        {
            total += part.counts.get(BAD_INPUT);
        }
        return total;
    }

    /** Bad input handed to the dead-letter destination. */
    public long deadLettered()
    {
        long total = counts.get(DEAD_LETTERED);
        for (final EngineCounters part : parts)
        {
            total += part.counts.get(DEAD_LETTERED);
        }
        return total;
    }

    /** Elements later than their time windows' allowed lateness (sent to the late topic if there is one). */
    public long late()
    {
        long total = counts.get(LATE);
        for (final EngineCounters part : parts)
        {
            total += part.counts.get(LATE);
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
        counts.lazySet(LATE, counts.get(LATE) + 1);
    }

    void onEventIn()
    {
        counts.lazySet(EVENTS_IN, counts.get(EVENTS_IN) + 1);
    }

    void onReplayed()
    {
        counts.lazySet(REPLAYED, counts.get(REPLAYED) + 1);
    }

    void onEventOut()
    {
        counts.lazySet(EVENTS_OUT, counts.get(EVENTS_OUT) + 1);
    }

    void onBadInput()
    {
        counts.lazySet(BAD_INPUT, counts.get(BAD_INPUT) + 1);
    }

    void onDeadLettered()
    {
        counts.lazySet(DEAD_LETTERED, counts.get(DEAD_LETTERED) + 1);
    }
}
