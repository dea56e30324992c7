package dev.ringflow.windows;

/**
 * One key's open sessions: start, end (last element time + gap) and mergeable aggregates, one slot per session,
 * unordered (a key rarely has more than a few open at once).
 * <p>
 * <b>Note:</b> Owned by one {@link SessionWindowAggregator}; pooled and reused when a key has no open session.
 */
final class SessionWindowState
{
    long[] starts;
    long[] ends;
    final PaneStore panes;
    int size;

    SessionWindowState(final ValueKind kind, final boolean moments)
    {
        starts = new long[2];
        ends = new long[2];
        panes = new PaneStore(2, kind, moments);
    }

    int add(final long start, final long end)
    {
        if (size == starts.length)
        {
            starts = java.util.Arrays.copyOf(starts, size << 1);
            ends = java.util.Arrays.copyOf(ends, size << 1);
            panes.ensureCapacity(size << 1);
        }
        final int index = size++;
        starts[index] = start;
        ends[index] = end;
        panes.clear(index);
        return index;
    }

    /** Removes session {@code index} by moving the last one into its place. */
    void remove(final int index)
    {
        final int last = --size;
        if (index != last)
        {
            starts[index] = starts[last];
            ends[index] = ends[last];
            panes.copy(index, last);
        }
    }

    int findByStart(final long start)
    {
        for (int i = 0; i < size; i++)
        {
            if (starts[i] == start)
            {
                return i;
            }
        }
        return -1;
    }

    int find(final long start, final long end)
    {
        for (int i = 0; i < size; i++)
        {
            if (starts[i] == start && ends[i] == end)
            {
                return i;
            }
        }
        return -1;
    }
}
