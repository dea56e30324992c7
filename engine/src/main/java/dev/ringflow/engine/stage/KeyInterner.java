package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;

import java.util.Arrays;

/**
 * Maps record keys (byte strings, or null) to dense int ids: the null key is id 0, other keys get 1, 2, 3, ...
 * in order of first appearance. Window state is indexed by these ids.
 * <p>
 * <b>Note:</b> Not thread-safe; owned by one worker.
 * <p>
 * <b>Note:</b> Allocation free for keys already seen; a new key appends its bytes to an arena, which grows by
 * doubling, as does the open-addressing table (kept at most half full).
 */
public final class KeyInterner
{
    public static final int NULL_KEY_ID = 0;
    private static final int EMPTY = 0;

    private int[] table;
    private int mask;
    private byte[] arena = new byte[1024];
    private int arenaUsed;
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private int[] hashes = new int[16];
    private int nextId = 1;

    public KeyInterner()
    {
        table = new int[64];
        mask = table.length - 1;
    }

    /**
     * @return the key's id, assigning the next one if the key is new.
     */
    public int intern(final ByteSlice key)
    {
        if (key.isNull())
        {
            return NULL_KEY_ID;
        }
        return intern(key.bytes(), key.length());
    }

    public int intern(final byte[] bytes, final int length)
    {
        final int hash = hash(bytes, length);
        final int[] table = this.table;
        final int mask = this.mask;
        int index = hash & mask;
        int id;
        while ((id = table[index]) != EMPTY)
        {
            if (hashes[id] == hash && lengths[id] == length &&
                Arrays.equals(arena, offsets[id], offsets[id] + length, bytes, 0, length))
            {
                return id;
            }
            index = (index + 1) & mask;
        }
        return add(bytes, length, hash, index);
    }

    /** Distinct keys seen, the null key included if it was seen. */
    public int size()
    {
        return nextId - 1;
    }

    /** The bytes of the key with this id, for diagnostics; allocates. */
    public byte[] keyBytes(final int id)
    {
        return id == NULL_KEY_ID ? null : Arrays.copyOfRange(arena, offsets[id], offsets[id] + lengths[id]);
    }

    /** Copies the key with this id into {@code out} (a null slice for the null key). */
    public void copyKey(final int id, final ByteSlice out)
    {
        if (id == NULL_KEY_ID)
        {
            out.setNull();
        }
        else
        {
            out.set(arena, offsets[id], lengths[id]);
        }
    }

    private int add(final byte[] bytes, final int length, final int hash, final int index)
    {
        final int id = nextId++;
        if (id == offsets.length)
        {
            final int capacity = id << 1;
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
        }
        if (arenaUsed + length > arena.length)
        {
            arena = Arrays.copyOf(arena, Math.max(arenaUsed + length, arena.length << 1));
        }
        System.arraycopy(bytes, 0, arena, arenaUsed, length);
        offsets[id] = arenaUsed;
        lengths[id] = length;
        hashes[id] = hash;
        arenaUsed += length;
        table[index] = id;
        if (id << 1 > table.length)
        {
            rehash();
        }
        return id;
    }

    private void rehash()
    {
        final int[] bigger = new int[table.length << 1];
        final int biggerMask = bigger.length - 1;
        for (int id = 1; id < nextId; id++)
        {
            int index = hashes[id] & biggerMask;
            while (bigger[index] != EMPTY)
            {
                index = (index + 1) & biggerMask;
            }
            bigger[index] = id;
        }
        table = bigger;
        mask = biggerMask;
    }

    private static int hash(final byte[] bytes, final int length)
    {
        int h = 0x9747b28c;
        for (int i = 0; i < length; i++)
        {
            h = 31 * h + bytes[i];
        }
        // Spread the bits so that linear probing on the low bits does not cluster.
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
