package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;

/**
 * Per-key event-time session windows: elements less than {@code gap} apart belong to one session
 * {@code [first element time, last element time + gap)}; an element that bridges two sessions merges them, as
 * Flink's session windows do. A session fires once, when the watermark (the largest event time minus
 * {@code outOfOrderness}) reaches its end plus {@code allowedLateness}. An element whose session, merged with
 * whatever it touches, has already passed that point is late: not aggregated, and reported as {@link #LATE}.
 * <p>
 * With the watermark given from outside ({@link #takeWatermarkFromOutside}) a key may have sessions open far ahead
 * of it; they are kept like any others.
 * <p>
 * <b>Note:</b> Sessions closing at the same watermark fire ordered by end, key id and start.
 * <p>
 * <b>Note:</b> Allocation free in steady state: key state is pooled, arrays only grow. Not thread-safe.
 */
public final class SessionWindowAggregator extends AbstractEventTimeWindows
{
    private final long gapMs;
    private final ArrayDeque<SessionWindowState> pool = new ArrayDeque<>();
    private SessionWindowState[] states;
    private int openSessions;

    public SessionWindowAggregator(
        final long gapMs,
        final long outOfOrdernessMs,
        final long allowedLatenessMs,
        final ValueKind kind,
        final Set<Aggregation> aggregations,
        final int expectedKeys)
    {
        this(gapMs, outOfOrdernessMs, allowedLatenessMs, 0, kind, aggregations, expectedKeys);
    }

    /**
     * @param earlyResultsMs when positive, an open session also reports its partial result (not
     *                       {@link WindowResult#isFinal() final}) each time the watermark passes another
     *                       {@code earlyResultsMs} after its start, until it closes.
     */
    public SessionWindowAggregator(
        final long gapMs,
        final long outOfOrdernessMs,
        final long allowedLatenessMs,
        final long earlyResultsMs,
        final ValueKind kind,
        final Set<Aggregation> aggregations,
        final int expectedKeys)
    {
        super(outOfOrdernessMs, allowedLatenessMs, earlyResultsMs, kind, aggregations);
        if (gapMs < 1)
        {
            throw new IllegalArgumentException("gap must be >= 1, was " + gapMs);
        }
        this.gapMs = gapMs;
        this.states = new SessionWindowState[Math.max(16, expectedKeys)];
    }

    /** Any: a key's sessions are kept in arrays that grow with them. */
    @Override
    public long maxLeadMs()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public boolean hasOpenWindows(final int keyId)
    {
        return keyId < states.length && null != states[keyId];
    }

    /** Sessions waiting for the watermark. */
    @Override
    public int openWindowCount()
    {
        return openSessions;
    }

    /** Moves the watermark to {@code watermarkMs} if that is later, firing every session it closes. */
    @Override
    public void advanceWatermark(final long watermarkMs, final WindowListener listener)
    {
        if (moveWatermark(watermarkMs))
        {
            for (int due = dueTimer(); NO_TIMER_DUE != due; due = dueTimer())
            {
                if (EARLY_TIMER_DUE == due)
                {
                    fireEarlySession(listener);
                }
                else
                {
                    fireSession(listener);
                }
            }
        }
    }

    /** Fires every open session now, as at the end of a bounded input. */
    @Override
    public void fireAll(final WindowListener listener)
    {
        earlyTimers.clear();
        while (!timers.isEmpty())
        {
            fireSession(listener);
        }
    }

    @Override
    public int addDouble(final int keyId, final long timeMs, final double value, final WindowListener listener)
    {
        return addLong(keyId, timeMs, Double.doubleToRawLongBits(value), listener);
    }

    /** Adds an element; for a {@link ValueKind#DOUBLE} window {@link #addDouble} passes the raw bits of its value. */
    @Override
    public int addLong(final int keyId, final long timeMs, final long value, final WindowListener listener)
    {
        if (elementMovesWatermark(timeMs))
        {
            advanceWatermark(timeMs - outOfOrdernessMs, listener);
        }
        final SessionWindowState existing = keyId < states.length ? states[keyId] : null;
        long start = timeMs;
        long end = timeMs + gapMs;
        if (null != existing)
        {
            for (int i = 0; i < existing.size; i++)
            {
                if (existing.starts[i] < end && start < existing.ends[i])
                {
                    start = Math.min(start, existing.starts[i]);
                    end = Math.max(end, existing.ends[i]);
                }
            }
        }
        if (end + allowedLatenessMs <= watermarkMs)
        {
            lateCount++;
            return LATE;
        }

        final SessionWindowState state = null != existing ? existing : state(keyId);
        int target = -1;
        for (int i = 0; i < state.size; i++)
        {
            if (state.starts[i] < end && start < state.ends[i])
            {
                if (target < 0)
                {
                    target = i;
                }
                else
                {
                    state.panes.mergeSlot(target, i);
                    final boolean lastMovesIntoTarget = target == state.size - 1;
                    state.remove(i);
                    openSessions--;
                    if (lastMovesIntoTarget)
                    {
                        target = i;
                    }
                    else
                    {
                        i--;
                    }
                }
            }
        }
        if (target < 0)
        {
            target = state.add(start, end);
            openSessions++;
            timers.push(end, keyId, start);
            if (earlyResultsMs > 0)
            {
                earlyTimers.push(start + earlyResultsMs, keyId, start);
            }
        }
        else if (state.starts[target] != start || state.ends[target] != end)
        {
            state.starts[target] = start;
            state.ends[target] = end;
            timers.push(end, keyId, start);
        }
        state.panes.add(target, value, timeMs);
        return ACCEPTED;
    }

    /** The first final timer is due: pop it and report the session's result unless the session has changed since. */
    private void fireSession(final WindowListener listener)
    {
        final long end = timers.peekEnd();
        final int keyId = timers.peekKey();
        final long start = timers.peekStart();
        timers.pop();
        final SessionWindowState state = states[keyId];
        final int index = null == state ? -1 : state.find(start, end);
        if (index < 0)
        {
            // Superseded: the session grew or merged after this timer was set.
            return;
        }
        merge(state, index, keyId, start, end, true);
        state.remove(index);
        openSessions--;
        if (state.size == 0)
        {
            states[keyId] = null;
            pool.push(state);
        }
        listener.onWindow(result);
    }

    /** An early timer is due: report the session's partial result if it is still open, and set the next one. */
    private void fireEarlySession(final WindowListener listener)
    {
        final long due = earlyTimers.peekEnd();
        final int keyId = earlyTimers.peekKey();
        final long start = earlyTimers.peekStart();
        earlyTimers.pop();
        final SessionWindowState state = keyId < states.length ? states[keyId] : null;
        final int index = null == state ? -1 : state.findByStart(start);
        if (index < 0)
        {
            return;
        }
        earlyTimers.push(due + earlyResultsMs, keyId, start);
        merge(state, index, keyId, start, state.ends[index], false);
        listener.onWindow(result);
    }

    private void merge(
        final SessionWindowState state,
        final int index,
        final int keyId,
        final long start,
        final long end,
        final boolean isFinal)
    {
        final WindowResult result = this.result;
        PaneStore.begin(result);
        state.panes.mergeInto(result, index);
        PaneStore.end(result);
        result.timeWindow(keyId, start, end, isFinal);
    }

    private SessionWindowState state(final int keyId)
    {
        if (keyId >= states.length)
        {
            states = Arrays.copyOf(states, Math.max(keyId + 1, states.length << 1));
        }
        SessionWindowState state = states[keyId];
        if (null == state)
        {
            state = pool.isEmpty() ? new SessionWindowState(kind, moments) : pool.pop();
            states[keyId] = state;
        }
        return state;
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeCheck(out, gapMs);
        writeClock(out);
        out.writeInt(openSessions);
        EventTimeSnapshots.writeLiveCount(out, states);
        for (int keyId = 0; keyId < states.length; keyId++)
        {
            final SessionWindowState state = states[keyId];
            if (null != state)
            {
                out.writeInt(keyId);
                WindowSnapshots.writeLongs(out, state.starts, state.size);
                WindowSnapshots.writeLongs(out, state.ends, state.size);
                state.panes.writeState(out, state.size);
            }
        }
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readCheck(in, gapMs, "session gap (ms)");
        readClock(in);
        openSessions = in.readInt();
        for (int keyId = 0; keyId < states.length; keyId++)
        {
            if (null != states[keyId])
            {
                states[keyId].size = 0;
                pool.push(states[keyId]);
                states[keyId] = null;
            }
        }
        for (int i = 0, live = in.readInt(); i < live; i++)
        {
            final SessionWindowState state = state(EventTimeSnapshots.readKeyId(in));
            state.starts = WindowSnapshots.readLongs(in, 2);
            state.ends = WindowSnapshots.readLongs(in, state.starts.length);
            state.size = state.panes.readState(in);
            if (state.ends.length != state.starts.length || state.size > state.starts.length)
            {
                throw new java.io.StreamCorruptedException("session arrays of different lengths");
            }
        }
    }
}
