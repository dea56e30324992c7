package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Set;

/**
 * The clock that {@link TimeWindowAggregator} and {@link SessionWindowAggregator} share: the checked lateness
 * parameters, the watermark and how elements move it, the late count, and the final and early timer heaps with the
 * rule for which timer fires next.
 * <p>
 * <b>Note:</b> It has no abstract methods on purpose: each aggregator pops and fires its own timers from its own
 * final class, so the per-element path makes no virtual call. Not thread-safe.
 */
abstract class AbstractEventTimeWindows implements EventTimeWindows
{
    /** From {@link #dueTimer()}: no timer is due at the watermark. */
    static final int NO_TIMER_DUE = 0;
    /** From {@link #dueTimer()}: the first early timer fires next. */
    static final int EARLY_TIMER_DUE = 1;
    /** From {@link #dueTimer()}: the first final timer fires next. */
    static final int FINAL_TIMER_DUE = 2;

    final long outOfOrdernessMs;
    final long allowedLatenessMs;
    final long earlyResultsMs;
    final ValueKind kind;
    final boolean moments;
    final WindowResult result;
    final WindowTimerHeap timers = new WindowTimerHeap();
    final WindowTimerHeap earlyTimers = new WindowTimerHeap();
    long watermarkMs = Long.MIN_VALUE;
    long lateCount;
    private boolean watermarkFromElements = true;

    AbstractEventTimeWindows(
        final long outOfOrdernessMs,
        final long allowedLatenessMs,
        final long earlyResultsMs,
        final ValueKind kind,
        final Set<Aggregation> aggregations)
    {
        if (earlyResultsMs < 0)
        {
            throw new IllegalArgumentException("early-results interval must be >= 0, was " + earlyResultsMs);
        }
        if (outOfOrdernessMs < 0)
        {
            throw new IllegalArgumentException("out-of-orderness must be >= 0, was " + outOfOrdernessMs);
        }
        if (allowedLatenessMs < 0)
        {
            throw new IllegalArgumentException("allowed lateness must be >= 0, was " + allowedLatenessMs);
        }
        if (null == kind || null == aggregations || aggregations.isEmpty())
        {
            throw new IllegalArgumentException("kind and at least one aggregation are required");
        }
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.earlyResultsMs = earlyResultsMs;
        this.kind = kind;
        this.moments = PaneStore.needsMoments(aggregations);
        this.result = new WindowResult(kind);
    }

    @Override
    public final void takeWatermarkFromOutside()
    {
        watermarkFromElements = false;
    }

    @Override
    public final long watermarkMs()
    {
        return watermarkMs;
    }

    /** Elements rejected as late so far. */
    @Override
    public final long lateCount()
    {
        return lateCount;
    }

    /**
     * True when an element at {@code timeMs} moves the watermark to {@code timeMs - outOfOrdernessMs}: it is later
     * than the watermark and elements move it, or it is the first time there is any watermark at all.
     */
    final boolean elementMovesWatermark(final long timeMs)
    {
        return timeMs - outOfOrdernessMs > watermarkMs && (watermarkFromElements || watermarkMs == Long.MIN_VALUE);
    }

    /** Sets the watermark to {@code watermarkMs} when that is later; false, and nothing to fire, when it is not. */
    final boolean moveWatermark(final long watermarkMs)
    {
        if (watermarkMs <= this.watermarkMs)
        {
            return false;
        }
        this.watermarkMs = watermarkMs;
        return true;
    }

    /**
     * Which timer fires next at the current watermark. A final timer is due once the watermark has passed the
     * window's end by the allowed lateness, an early one once the watermark reaches it; an early timer goes first
     * unless it is later than the due final timer's end plus lateness, so results come out in watermark order.
     *
     * @return {@link #NO_TIMER_DUE}, {@link #EARLY_TIMER_DUE} or {@link #FINAL_TIMER_DUE}.
     */
    final int dueTimer()
    {
        final boolean finalDue = !timers.isEmpty() && timers.peekEnd() <= watermarkMs - allowedLatenessMs;
        final boolean earlyDue = !earlyTimers.isEmpty() && earlyTimers.peekEnd() <= watermarkMs;
        if (earlyDue && (!finalDue || earlyTimers.peekEnd() <= timers.peekEnd() + allowedLatenessMs))
        {
            return EARLY_TIMER_DUE;
        }
        return finalDue ? FINAL_TIMER_DUE : NO_TIMER_DUE;
    }

    /** Writes the lateness parameters (for checking), the watermark, the late count and both timer heaps. */
    final void writeClock(final DataOutput out) throws IOException
    {
        EventTimeSnapshots.writeClock(out, outOfOrdernessMs, allowedLatenessMs, earlyResultsMs, kind, watermarkMs,
            lateCount, timers, earlyTimers);
    }

    /** Reads what {@link #writeClock} wrote, checking the parameters against this window's. */
    final void readClock(final DataInput in) throws IOException
    {
        final long[] clock = EventTimeSnapshots.readClock(in, outOfOrdernessMs, allowedLatenessMs, earlyResultsMs,
            kind, timers, earlyTimers);
        watermarkMs = clock[0];
        lateCount = clock[1];
    }
}
