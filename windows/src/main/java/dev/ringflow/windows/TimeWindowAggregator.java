package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;

/**
 * Per-key event-time windows: tumbling ({@code advance == size}) and hopping ({@code advance < size}), closed by a
 * watermark.
 * <p>
 * Time is split into panes of {@code gcd(size, advance)}; an element updates one pane in O(1) and a window is the
 * merge of its panes when it fires. The watermark is the largest event time seen minus {@code outOfOrderness}
 * (or later, when {@link #advanceWatermark} is called, e.g. on processing time for idle input). A window
 * {@code [start, start + size)} fires once, when the watermark reaches {@code start + size + allowedLateness},
 * for every key that has elements in it, including keys that have gone quiet. An element whose every window has
 * already fired is late: it is not aggregated and {@link #LATE} tells the caller to route it elsewhere.
 * <p>
 * With the watermark given from outside ({@link #takeWatermarkFromOutside}), a key may run ahead of it by more than
 * the out-of-orderness: its pane and window rings then double as needed, up to {@link #MAX_PANES_PER_KEY} panes,
 * which bounds how far ahead an element may be ({@link #maxLeadMs()}); one further ahead is refused with
 * {@link #TOO_FAR_AHEAD} and changes nothing.
 * <p>
 * <b>Note:</b> Windows closing at the same watermark fire ordered by end, key id and start: the same input always
 * gives the same output sequence.
 * <p>
 * <b>Note:</b> Allocation free in steady state: key state is pooled and reused once all of a key's windows have
 * fired, so memory is bounded by the keys with open windows. A ring that grows stays grown, pooled with its key
 * state. Not thread-safe.
 */
public final class TimeWindowAggregator extends AbstractEventTimeWindows
{
    /**
     * The most panes a key's ring grows to ({@code gcd(size, advance)} each, about 100 bytes): with 1 s panes,
     * 18 hours ahead of the watermark. A window whose size, out-of-orderness and lateness already need more keeps
     * the ring it starts with and never grows.
     */
    public static final int MAX_PANES_PER_KEY = 1 << 16;

    private final long sizeMs;
    private final long advanceMs;
    private final long paneMs;
    private final int paneSlots;
    private final int windowSlots;
    private final int maxPaneSlots;
    private final long maxLeadMs;
    private final ArrayDeque<TimeWindowState> pool = new ArrayDeque<>();
    private TimeWindowState[] states;

    public TimeWindowAggregator(
        final long sizeMs,
        final long advanceMs,
        final long outOfOrdernessMs,
        final long allowedLatenessMs,
        final ValueKind kind,
        final Set<Aggregation> aggregations,
        final int expectedKeys)
    {
        this(sizeMs, advanceMs, outOfOrdernessMs, allowedLatenessMs, 0, kind, aggregations, expectedKeys);
    }

    /**
     * @param earlyResultsMs when positive, an open window also reports its partial result (not
     *                       {@link WindowResult#isFinal() final}) each time the watermark passes another
     *                       {@code earlyResultsMs} after its start, until it closes.
     */
    public TimeWindowAggregator(
        final long sizeMs,
        final long advanceMs,
        final long outOfOrdernessMs,
        final long allowedLatenessMs,
        final long earlyResultsMs,
        final ValueKind kind,
        final Set<Aggregation> aggregations,
        final int expectedKeys)
    {
        super(outOfOrdernessMs, allowedLatenessMs, earlyResultsMs, kind, aggregations);
        if (sizeMs < 1)
        {
            throw new IllegalArgumentException("size must be >= 1, was " + sizeMs);
        }
        if (advanceMs < 1 || advanceMs > sizeMs)
        {
            throw new IllegalArgumentException("advance must be from 1 to size (" + sizeMs + "), was " + advanceMs);
        }
        this.sizeMs = sizeMs;
        this.advanceMs = advanceMs;
        this.paneMs = gcd(sizeMs, advanceMs);
        final long span = sizeMs + outOfOrdernessMs + allowedLatenessMs;
        this.paneSlots = slots(span / paneMs + 3, "panes per key");
        this.windowSlots = slots(span / advanceMs + 3, "windows per key");
        this.maxPaneSlots = Math.max(paneSlots, MAX_PANES_PER_KEY);
        // Open panes of a key lie after watermark - size - lateness and at most maxLead after the watermark: with
        // two spare panes they fit the largest ring, and windows (advance >= pane) fit a ring of as many slots.
        this.maxLeadMs = (maxPaneSlots - 2) * paneMs - sizeMs - allowedLatenessMs;
        this.states = new TimeWindowState[Math.max(16, expectedKeys)];
    }

    @Override
    public long maxLeadMs()
    {
        return maxLeadMs;
    }

    @Override
    public boolean hasOpenWindows(final int keyId)
    {
        return keyId < states.length && null != states[keyId];
    }

    /** Windows waiting for the watermark. */
    @Override
    public int openWindowCount()
    {
        return timers.size();
    }

    /**
     * Moves the watermark to {@code watermarkMs} if that is later, firing every window it closes.
     */
    @Override
    public void advanceWatermark(final long watermarkMs, final WindowListener listener)
    {
        if (moveWatermark(watermarkMs))
        {
            for (int due = dueTimer(); NO_TIMER_DUE != due; due = dueTimer())
            {
                if (EARLY_TIMER_DUE == due)
                {
                    fireEarlyWindow(listener);
                }
                else
                {
                    fireWindow(listener);
                }
            }
        }
    }

    /**
     * Fires every open window now, as at the end of a bounded input.
     */
    @Override
    public void fireAll(final WindowListener listener)
    {
        earlyTimers.clear();
        while (!timers.isEmpty())
        {
            fireWindow(listener);
        }
    }

    /**
     * Adds an element of a {@link ValueKind#DOUBLE} window, first firing the windows its time closes.
     *
     * @return {@link #ACCEPTED}, {@link #LATE} or {@link #TOO_FAR_AHEAD}.
     */
    @Override
    public int addDouble(final int keyId, final long timeMs, final double value, final WindowListener listener)
    {
        return addLong(keyId, timeMs, Double.doubleToRawLongBits(value), listener);
    }

    /**
     * Adds an element of a {@link ValueKind#LONG} window, first firing the windows its time closes. Also adds the
     * elements of a {@link ValueKind#DOUBLE} window, as the raw bits of their value, for {@link #addDouble}.
     *
     * @return {@link #ACCEPTED}, {@link #LATE} or {@link #TOO_FAR_AHEAD}.
     */
    @Override
    public int addLong(final int keyId, final long timeMs, final long value, final WindowListener listener)
    {
        final long lastStart = Math.floorDiv(timeMs, advanceMs) * advanceMs;
        if (elementMovesWatermark(timeMs))
        {
            advanceWatermark(timeMs - outOfOrdernessMs, listener);
        }
        if (lastStart + sizeMs + allowedLatenessMs <= watermarkMs)
        {
            lateCount++;
            return LATE;
        }
        if (timeMs - watermarkMs > maxLeadMs)
        {
            return TOO_FAR_AHEAD;
        }

        final TimeWindowState state = state(keyId);
        final long pane = Math.floorDiv(timeMs, paneMs);
        final int slot = state.paneSlot(pane, maxPaneSlots);
        if (state.paneIndex[slot] != pane)
        {
            state.paneIndex[slot] = pane;
            state.panes.clear(slot);
        }
        state.panes.add(slot, value, timeMs);

        for (long start = lastStart; start > timeMs - sizeMs; start -= advanceMs)
        {
            final long end = start + sizeMs;
            if (end + allowedLatenessMs <= watermarkMs)
            {
                break;
            }
            final int windowSlot = state.windowSlot(start, advanceMs, maxPaneSlots);
            if (state.registeredStart[windowSlot] != start)
            {
                state.registeredStart[windowSlot] = start;
                state.openWindows++;
                timers.push(end, keyId, start);
                if (earlyResultsMs > 0 && start + earlyResultsMs < end + allowedLatenessMs)
                {
                    earlyTimers.push(start + earlyResultsMs, keyId, start);
                }
            }
        }
        return ACCEPTED;
    }

    /** An early timer is due: report the window's partial result if it is still open, and set the next one. */
    private void fireEarlyWindow(final WindowListener listener)
    {
        final long due = earlyTimers.peekEnd();
        final int keyId = earlyTimers.peekKey();
        final long start = earlyTimers.peekStart();
        earlyTimers.pop();
        final TimeWindowState state = keyId < states.length ? states[keyId] : null;
        if (null == state ||
            state.registeredStart[(int)(Math.floorDiv(start, advanceMs) & state.windowMask)] != start)
        {
            return;
        }
        final long end = start + sizeMs;
        if (due + earlyResultsMs < end + allowedLatenessMs)
        {
            earlyTimers.push(due + earlyResultsMs, keyId, start);
        }
        merge(state, keyId, start, end, false);
        if (result.count > 0)
        {
            listener.onWindow(result);
        }
    }

    private void merge(final TimeWindowState state, final int keyId, final long start, final long end,
        final boolean isFinal)
    {
        final WindowResult result = this.result;
        PaneStore.begin(result);
        final long firstPane = Math.floorDiv(start, paneMs);
        final long endPane = Math.floorDiv(end, paneMs);
        for (long pane = firstPane; pane < endPane; pane++)
        {
            final int slot = (int)(pane & state.paneMask);
            if (state.paneIndex[slot] == pane)
            {
                state.panes.mergeInto(result, slot);
            }
        }
        PaneStore.end(result);
        result.timeWindow(keyId, start, end, isFinal);
    }

    /** The first final timer is due: pop it and report the window's result, freeing what only it still needed. */
    private void fireWindow(final WindowListener listener)
    {
        final long end = timers.peekEnd();
        final int keyId = timers.peekKey();
        final long start = timers.peekStart();
        timers.pop();
        final TimeWindowState state = states[keyId];
        merge(state, keyId, start, end, true);
        final long firstPane = Math.floorDiv(start, paneMs);
        state.registeredStart[(int)(Math.floorDiv(start, advanceMs) & state.windowMask)] = TimeWindowState.EMPTY;

        // No later window of this key needs the panes before the next window's start.
        final long nextStartPane = Math.floorDiv(start + advanceMs, paneMs);
        for (long pane = firstPane; pane < nextStartPane; pane++)
        {
            final int slot = (int)(pane & state.paneMask);
            if (state.paneIndex[slot] == pane)
            {
                state.paneIndex[slot] = TimeWindowState.EMPTY;
            }
        }
        if (--state.openWindows == 0)
        {
            states[keyId] = null;
            state.reset();
            pool.push(state);
        }
        if (result.count > 0)
        {
            listener.onWindow(result);
        }
    }

    private TimeWindowState state(final int keyId)
    {
        if (keyId >= states.length)
        {
            states = Arrays.copyOf(states, Math.max(keyId + 1, states.length << 1));
        }
        TimeWindowState state = states[keyId];
        if (null == state)
        {
            state = pool.isEmpty() ? new TimeWindowState(paneSlots, windowSlots, kind, moments) : pool.pop();
            states[keyId] = state;
        }
        return state;
    }

    private static int slots(final long needed, final String what)
    {
        if (needed > 1 << 24)
        {
            throw new IllegalArgumentException("the window needs " + needed + " " + what +
                "; use a larger advance or a smaller size, out-of-orderness or allowed lateness");
        }
        return Integer.highestOneBit((int)needed - 1) << 1;
    }

    private static long gcd(final long a, final long b)
    {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeCheck(out, sizeMs);
        WindowSnapshots.writeCheck(out, advanceMs);
        writeClock(out);
        EventTimeSnapshots.writeLiveCount(out, states);
        for (int keyId = 0; keyId < states.length; keyId++)
        {
            final TimeWindowState state = states[keyId];
            if (null != state)
            {
                out.writeInt(keyId);
                state.writeState(out);
            }
        }
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readCheck(in, sizeMs, "window size (ms)");
        WindowSnapshots.readCheck(in, advanceMs, "window advance (ms)");
        readClock(in);
        for (int keyId = 0; keyId < states.length; keyId++)
        {
            if (null != states[keyId])
            {
                states[keyId].reset();
                pool.push(states[keyId]);
                states[keyId] = null;
            }
        }
        for (int i = 0, live = in.readInt(); i < live; i++)
        {
            state(EventTimeSnapshots.readKeyId(in)).readState(in);
        }
    }
}
