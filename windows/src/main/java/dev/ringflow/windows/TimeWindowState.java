package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * One key's open time windows: a ring of panes (pane index {@code p} in slot {@code p & paneMask}) and a ring of
 * the window starts that have a timer. Both rings double when a key runs further ahead of the watermark than they
 * hold, which a watermark taken over several input partitions allows.
 * <p>
 * <b>Note:</b> Owned by one {@link TimeWindowAggregator}; pooled and reused when a key's windows have all fired.
 * Allocates only to grow.
 */
final class TimeWindowState
{
    static final long EMPTY = Long.MIN_VALUE;

    long[] paneIndex;
    int paneMask;
    final PaneStore panes;
    long[] registeredStart;
    int windowMask;
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

    /** The slot of {@code pane}, the ring grown first (up to {@code maxSlots}) if another open pane holds it. */
    int paneSlot(final long pane, final int maxSlots)
    {
        int slot = (int)(pane & paneMask);
        while (paneIndex[slot] != pane && paneIndex[slot] != EMPTY)
        {
            checkGrowth(paneIndex.length, maxSlots);
            growPanes();
            slot = (int)(pane & paneMask);
        }
        return slot;
    }

    /** The slot of the window at {@code start}, the ring grown first if another open window holds it. */
    int windowSlot(final long start, final long advanceMs, final int maxSlots)
    {
        final long index = Math.floorDiv(start, advanceMs);
        int slot = (int)(index & windowMask);
        while (registeredStart[slot] != start && registeredStart[slot] != EMPTY)
        {
            checkGrowth(registeredStart.length, maxSlots);
            growWindows(advanceMs);
            slot = (int)(index & windowMask);
        }
        return slot;
    }

    private static void checkGrowth(final int slots, final int maxSlots)
    {
        if (slots >= maxSlots)
        {
            // The aggregator's maximum lead keeps a key's open panes and windows within maxSlots: a bug, not input.
            throw new IllegalStateException("a key's window ring would grow past " + maxSlots + " slots");
        }
    }

    /**
     * Doubles the pane ring. A pane in slot {@code s} of the old ring goes to {@code s} or {@code s + old size} of
     * the new one; two panes in different slots of a ring are in different slots of its double, so nothing collides.
     */
    void growPanes()
    {
        final int slots = paneIndex.length;
        paneIndex = Arrays.copyOf(paneIndex, slots << 1);
        Arrays.fill(paneIndex, slots, slots << 1, EMPTY);
        panes.ensureCapacity(slots << 1);
        paneMask = (slots << 1) - 1;
        for (int slot = 0; slot < slots; slot++)
        {
            final long pane = paneIndex[slot];
            if (pane != EMPTY && (pane & slots) != 0)
            {
                paneIndex[slot + slots] = pane;
                panes.copy(slot + slots, slot);
                paneIndex[slot] = EMPTY;
            }
        }
    }

    /** Doubles the ring of window starts, as {@link #growPanes} does the panes ({@code advance} maps a start to its index). */
    void growWindows(final long advanceMs)
    {
        final int slots = registeredStart.length;
        registeredStart = Arrays.copyOf(registeredStart, slots << 1);
        Arrays.fill(registeredStart, slots, slots << 1, EMPTY);
        windowMask = (slots << 1) - 1;
        for (int slot = 0; slot < slots; slot++)
        {
            final long start = registeredStart[slot];
            if (start != EMPTY && (Math.floorDiv(start, advanceMs) & slots) != 0)
            {
                registeredStart[slot + slots] = start;
                registeredStart[slot] = EMPTY;
            }
        }
    }

    /** Writes the key's panes, registered windows and open-window count for a snapshot. */
    void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeLongs(out, paneIndex, paneIndex.length);
        panes.writeState(out, paneIndex.length);
        WindowSnapshots.writeLongs(out, registeredStart, registeredStart.length);
        out.writeInt(openWindows);
    }

    /** Replaces the key's state by what {@link #writeState} wrote, taking the ring sizes it was written with. */
    void readState(final DataInput in) throws IOException
    {
        paneIndex = ring(WindowSnapshots.readLongs(in, 0), "pane");
        paneMask = paneIndex.length - 1;
        if (panes.readState(in) != paneIndex.length)
        {
            throw new StreamCorruptedException("pane ring and pane store of different sizes");
        }
        registeredStart = ring(WindowSnapshots.readLongs(in, 0), "window");
        windowMask = registeredStart.length - 1;
        openWindows = in.readInt();
    }

    private static long[] ring(final long[] values, final String what) throws IOException
    {
        if (Integer.bitCount(values.length) != 1)
        {
            throw new StreamCorruptedException(what + " ring of " + values.length + " slots, not a power of two");
        }
        return values;
    }
}
