package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Reads and writes window state for snapshots: primitive arrays with their lengths, and configuration checks that
 * refuse to load a snapshot into a window defined differently.
 * <p>
 * <b>Note:</b> Snapshots are taken and loaded rarely, off the per-element path: these methods may allocate.
 */
public final class WindowSnapshots
{
    private WindowSnapshots()
    {
    }

    /** Writes a value that the reader must find equal: a window parameter. */
    public static void writeCheck(final DataOutput out, final long value) throws IOException
    {
        out.writeLong(value);
    }

    /**
     * Reads a value written by {@link #writeCheck} and fails unless it equals {@code expected}.
     *
     * @param what names the parameter in the error, e.g. "range".
     */
    public static void readCheck(final DataInput in, final long expected, final String what) throws IOException
    {
        final long actual = in.readLong();
        if (actual != expected)
        {
            throw new SnapshotMismatchException("the snapshot was taken with " + what + " " + actual +
                ", the pipeline now has " + expected);
        }
    }

    public static void writeLongs(final DataOutput out, final long[] values, final int length) throws IOException
    {
        out.writeInt(length);
        for (int i = 0; i < length; i++)
        {
            out.writeLong(values[i]);
        }
    }

    /** Reads longs written by {@link #writeLongs} into {@code into}, which must be long enough; returns the count. */
    public static int readLongs(final DataInput in, final long[] into) throws IOException
    {
        final int length = readLength(in, into.length);
        for (int i = 0; i < length; i++)
        {
            into[i] = in.readLong();
        }
        return length;
    }

    /** Reads longs written by {@link #writeLongs} into a new array of at least {@code minLength}. */
    public static long[] readLongs(final DataInput in, final int minLength) throws IOException
    {
        final int length = readLength(in, Integer.MAX_VALUE);
        final long[] values = new long[Math.max(length, minLength)];
        for (int i = 0; i < length; i++)
        {
            values[i] = in.readLong();
        }
        return values;
    }

    public static void writeDoubles(final DataOutput out, final double[] values, final int length) throws IOException
    {
        out.writeInt(length);
        for (int i = 0; i < length; i++)
        {
            out.writeDouble(values[i]);
        }
    }

    public static int readDoubles(final DataInput in, final double[] into) throws IOException
    {
        final int length = readLength(in, into.length);
        for (int i = 0; i < length; i++)
        {
            into[i] = in.readDouble();
        }
        return length;
    }

    public static double[] readDoubles(final DataInput in, final int minLength) throws IOException
    {
        final int length = readLength(in, Integer.MAX_VALUE);
        final double[] values = new double[Math.max(length, minLength)];
        for (int i = 0; i < length; i++)
        {
            values[i] = in.readDouble();
        }
        return values;
    }

    public static void writeInts(final DataOutput out, final int[] values, final int length) throws IOException
    {
        out.writeInt(length);
        for (int i = 0; i < length; i++)
        {
            out.writeInt(values[i]);
        }
    }

    public static int[] readInts(final DataInput in, final int minLength) throws IOException
    {
        final int length = readLength(in, Integer.MAX_VALUE);
        final int[] values = new int[Math.max(length, minLength)];
        for (int i = 0; i < length; i++)
        {
            values[i] = in.readInt();
        }
        return values;
    }

    public static void writeBytes(final DataOutput out, final byte[] values, final int length) throws IOException
    {
        out.writeInt(length);
        out.write(values, 0, length);
    }

    public static byte[] readBytes(final DataInput in, final int minLength) throws IOException
    {
        final int length = readLength(in, Integer.MAX_VALUE);
        final byte[] values = new byte[Math.max(length, minLength)];
        in.readFully(values, 0, length);
        return values;
    }

    private static int readLength(final DataInput in, final int max) throws IOException
    {
        final int length = in.readInt();
        if (length < 0 || length > max)
        {
            throw new java.io.StreamCorruptedException("array length " + length + " out of range 0.." + max);
        }
        return length;
    }
}
