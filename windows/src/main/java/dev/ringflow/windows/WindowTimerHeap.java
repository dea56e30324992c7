package dev.ringflow.windows;

import java.io.IOException;
import java.io.DataOutput;

import java.io.DataInput;

import java.util.Arrays;

/**
 * A min-heap of window timers (window end, key id, window start) in primitive arrays, ordered by end, then key
 * id, then start, so that windows closing together always fire in the same order (replays are deterministic).
 * <p>
 * <b>Note:</b> Not thread-safe; allocates only to grow.
 */
final class WindowTimerHeap
{
    private long[] ends = new long[64];
    private long[] starts = new long[64];
    private int[] keys = new int[64];
    private int size;

    boolean isEmpty()
    {
        return size == 0;
    }

    int size()
    {
        return size;
    }

    long peekEnd()
    {
        return ends[0];
    }

    long peekStart()
    {
        return starts[0];
    }

    int peekKey()
    {
        return keys[0];
    }

    void push(final long end, final int key, final long start)
    {
        if (size == ends.length)
        {
            ends = Arrays.copyOf(ends, size << 1);
            starts = Arrays.copyOf(starts, size << 1);
            keys = Arrays.copyOf(keys, size << 1);
        }
        int i = size++;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!before(end, key, start, parent))
            {
                break;
            }
            move(parent, i);
            i = parent;
        }
        set(i, end, key, start);
    }

    void pop()
    {
        final int last = --size;
        if (last == 0)
        {
            return;
        }
        final long end = ends[last];
        final int key = keys[last];
        final long start = starts[last];
        int i = 0;
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= size)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < size && before(ends[right], keys[right], starts[right], left) ? right : left;
            if (!before(ends[child], keys[child], starts[child], end, key, start))
            {
                break;
            }
            move(child, i);
            i = child;
        }
        set(i, end, key, start);
    }

    void clear()
    {
        size = 0;
    }

    private boolean before(final long end, final int key, final long start, final int index)
    {
        return before(end, key, start, ends[index], keys[index], starts[index]);
    }

    private static boolean before(final long end, final int key, final long start,
        final long otherEnd, final int otherKey, final long otherStart)
    {
        if (end != otherEnd)
        {
            return end < otherEnd;
        }
        if (key != otherKey)
        {
            return key < otherKey;
        }
        return start < otherStart;
    }

    private void move(final int from, final int to)
    {
        ends[to] = ends[from];
        keys[to] = keys[from];
        starts[to] = starts[from];
    }

    private void set(final int index, final long end, final int key, final long start)
    {
        ends[index] = end;
        keys[index] = key;
        starts[index] = start;
    }

    void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeLongs(out, ends, size);
        WindowSnapshots.writeLongs(out, starts, size);
        WindowSnapshots.writeInts(out, keys, size);
        out.writeInt(size);
    }

    /** Replaces the timers by those {@link #writeState} wrote; the heap order is kept as written. */
    void readState(final DataInput in) throws IOException
    {
        final long[] ends = WindowSnapshots.readLongs(in, 64);
        final long[] starts = WindowSnapshots.readLongs(in, 64);
        final int[] keys = WindowSnapshots.readInts(in, 64);
        if (starts.length != ends.length || keys.length != ends.length)
        {
            throw new java.io.StreamCorruptedException("timer arrays of different lengths");
        }
        this.ends = ends;
        this.starts = starts;
        this.keys = keys;
        this.size = in.readInt();
        if (size < 0 || size > ends.length)
        {
            throw new java.io.StreamCorruptedException("timer count " + size + " out of range");
        }
    }
}
