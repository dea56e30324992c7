package dev.ringflow.engine.stage;

import dev.ringflow.api.KeyState;
import dev.ringflow.windows.SnapshotMismatchException;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The state of a keyed function's keys: a fixed number of double and long slots per key id, in two flat arrays,
 * plus whether each key has been applied to. {@code apply} works on a copy of its key's slots that
 * {@link #commit} writes back, so a function that throws leaves its key's state as it was.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free in steady state (the arrays grow with the number of keys).
 */
final class FunctionKeyState implements KeyState
{
    private final int doubleSlots;
    private final int longSlots;
    private final double[] doubles;
    private final long[] longs;
    private double[] keyDoubles = new double[0];
    private long[] keyLongs = new long[0];
    private boolean[] seen = new boolean[0];
    private int key;

    FunctionKeyState(final int doubleSlots, final int longSlots)
    {
        this.doubleSlots = doubleSlots;
        this.longSlots = longSlots;
        this.doubles = new double[doubleSlots];
        this.longs = new long[longSlots];
    }

    /** Copies key {@code keyId}'s state into the slots {@code apply} sees. */
    void begin(final int keyId)
    {
        if (keyId >= seen.length)
        {
            grow(keyId + 1);
        }
        key = keyId;
        System.arraycopy(keyDoubles, keyId * doubleSlots, doubles, 0, doubleSlots);
        System.arraycopy(keyLongs, keyId * longSlots, longs, 0, longSlots);
    }

    /** Makes the slots as {@code apply} left them the key's state. */
    void commit()
    {
        System.arraycopy(doubles, 0, keyDoubles, key * doubleSlots, doubleSlots);
        System.arraycopy(longs, 0, keyLongs, key * longSlots, longSlots);
        seen[key] = true;
    }

    private void grow(final int minKeys)
    {
        final int keys = Math.max(minKeys, Math.max(16, seen.length << 1));
        keyDoubles = Arrays.copyOf(keyDoubles, keys * doubleSlots);
        keyLongs = Arrays.copyOf(keyLongs, keys * longSlots);
        seen = Arrays.copyOf(seen, keys);
    }

    @Override
    public boolean isNew()
    {
        return !seen[key];
    }

    @Override
    public double getDouble(final int slot)
    {
        return doubles[slot];
    }

    @Override
    public void setDouble(final int slot, final double value)
    {
        doubles[slot] = value;
    }

    @Override
    public long getLong(final int slot)
    {
        return longs[slot];
    }

    @Override
    public void setLong(final int slot, final long value)
    {
        longs[slot] = value;
    }

    /** Writes the slots of keys {@code 0 .. keyLimit-1}. */
    void writeState(final DataOutput out, final int keyLimit) throws IOException
    {
        out.writeInt(doubleSlots);
        out.writeInt(longSlots);
        out.writeInt(keyLimit);
        for (int k = 0; k < keyLimit; k++)
        {
            final boolean known = k < seen.length && seen[k];
            out.writeBoolean(known);
            if (known)
            {
                for (int s = 0, at = k * doubleSlots; s < doubleSlots; s++)
                {
                    out.writeDouble(keyDoubles[at + s]);
                }
                for (int s = 0, at = k * longSlots; s < longSlots; s++)
                {
                    out.writeLong(keyLongs[at + s]);
                }
            }
        }
    }

    void readState(final DataInput in) throws IOException
    {
        final int savedDoubles = in.readInt();
        final int savedLongs = in.readInt();
        if (savedDoubles != doubleSlots || savedLongs != longSlots)
        {
            throw new SnapshotMismatchException("the snapshot's function state has " + savedDoubles + " double and " +
                savedLongs + " long slots per key, the function now declares " + doubleSlots + " and " + longSlots);
        }
        final int keyLimit = in.readInt();
        keyDoubles = new double[0];
        keyLongs = new long[0];
        seen = new boolean[0];
        grow(keyLimit);
        for (int k = 0; k < keyLimit; k++)
        {
            seen[k] = in.readBoolean();
            if (seen[k])
            {
                for (int s = 0, at = k * doubleSlots; s < doubleSlots; s++)
                {
                    keyDoubles[at + s] = in.readDouble();
                }
                for (int s = 0, at = k * longSlots; s < longSlots; s++)
                {
                    keyLongs[at + s] = in.readLong();
                }
            }
        }
    }
}
