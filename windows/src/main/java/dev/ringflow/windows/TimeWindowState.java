package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * One key's open time windows: a ring of panes (pane index {@code p} in slot {@code p & paneMask}) and a ring of
 * the window starts that have a timer.
 * <p>
 * <b>Note:</b> Owned by one {@link TimeWindowAggregator}; pooled and reused when a key's windows have all fired.
 */
final class TimeWindowState
{
    static final long EMPTY = Long.MIN_VALUE;

    final long[] paneIndex;
    final int paneMask;
    final PaneStore panes;
    final long[] registeredStart;
    final int windowMask;
    /** Timers pending for this key; the state returns to the pool when it reaches zero. */
    int openWindows;

    TimeWindowState(final int paneSlots, final int windowSlots, final ValueKind kind, final boolean moments)
    {
        paneIndex = new long[paneSlots];
        paneMask = paneSlots - 1;
        panes = new PaneStore(paneSlots, kind, moments);
        registeredStart = new long[windowSlots];
        windowMask = windowSlots - 1;
        reset();
    }

    void reset()
    {
        Arrays.fill(paneIndex, EMPTY);
        Arrays.fill(registeredStart, EMPTY);
        openWindows = 0;
    }

    /** Writes the key's panes, registered windows and open-window count for a snapshot. */
    void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeLongs(out, paneIndex, paneIndex.length);
        panes.writeState(out, paneIndex.length);
        WindowSnapshots.writeLongs(out, registeredStart, registeredStart.length);
        out.writeInt(openWindows);
    }

    /** Replaces the key's state by what {@link #writeState} wrote. */
    void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readLongs(in, paneIndex);
        panes.readState(in);
        WindowSnapshots.readLongs(in, registeredStart);
        openWindows = in.readInt();
    }
}
