package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.windows.WindowSnapshots;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Maps record keys (byte strings, or null) to dense int ids: the null key is id 0, other keys get 1, 2, 3, ...
 * in order of first appearance, and ids of {@link #release released} keys are handed out again. Window state is
 * indexed by these ids.
 * <p>
 * <b>Note:</b> Not thread-safe; owned by one worker stage.
 * <p>
 * <b>Note:</b> Allocation free for keys already seen, and for new keys once the structures have grown to the
 * number of live keys: key bytes live in an arena that is compacted into a spare one when half of it belongs to
 * released keys; the open-addressing table is kept at most half full, tombstones included.
 */
public final class KeyInterner
{
    public static final int NULL_KEY_ID = 0;
    /** What {@link #find} returns for a key without an id. */
    public static final int MISSING = -1;
    private static final int EMPTY = 0;
    private static final int TOMBSTONE = -1;
    private static final int RELEASED = -1;

    private int[] table = new int[64];
    private int mask = table.length - 1;
    private int tombstones;
    private byte[] arena = new byte[1024];
    private byte[] spareArena = new byte[1024];
    private int arenaUsed;
    private int deadBytes;
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private int[] hashes = new int[16];
    private int[] freeIds = new int[16];
    private int freeCount;
    private int nextId = 1;
    private int live;
    /** {@link #findAll}'s hashes of the group's keys. */
    private int[] groupHashes = new int[64];
    /** What {@link #findAll} loaded, kept so that its loads are not optimised away. */
    private long touched;

    /**
     * @return the key's id, assigning one if the key is new.
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
        final int id = find(bytes, length, hash);
        if (id != MISSING)
        {
            return id;
        }
        // A new key (rare once keys are warm): it takes the first tombstone on its probe path, or the empty slot.
        final int[] table = this.table;
        final int mask = this.mask;
        int index = hash & mask;
        while (table[index] != EMPTY && table[index] != TOMBSTONE)
        {
            index = (index + 1) & mask;
        }
        if (table[index] == TOMBSTONE)
        {
            tombstones--;
        }
        return add(bytes, length, hash, index);
    }

    /**
     * Looks a key up without adding it.
     *
     * @return the key's id, or {@link #MISSING} if it has none.
     */
    public int find(final ByteSlice key)
    {
        if (key.isNull())
        {
            return NULL_KEY_ID;
        }
        return find(key.bytes(), key.length(), hash(key.bytes(), key.length()));
    }

    /**
     * Looks up a group of keys without adding any: {@code ids[i] = find(keys[i])} for i below {@code count}, but
     * with the cache misses of the group overlapping. With many keys a lookup misses three times, one miss waiting
     * for the other (the table slot, then the id's offset and length, then the key's bytes); here each level is
     * loaded for every key of the group in one short loop before the next level, so that the CPU has the misses of
     * the whole group in flight at once, and the lookups that follow find their lines in the cache.
     */
    public void findAll(final ByteSlice[] keys, final int count, final int[] ids)
    {
        if (groupHashes.length < count)
        {
            groupHashes = new int[count];
        }
        final int[] groupHashes = this.groupHashes;
        final int[] table = this.table;
        final int mask = this.mask;
        long touched = 0;
        for (int i = 0; i < count; i++)
        {
            final ByteSlice key = keys[i];
            final int hash = key.isNull() ? 0 : hash(key.bytes(), key.length());
            groupHashes[i] = hash;
            touched += table[hash & mask];
        }
        for (int i = 0; i < count; i++)
        {
            final int id = table[groupHashes[i] & mask];
            if (id > 0)
            {
                touched += offsets[id] + lengths[id] + hashes[id];
            }
        }
        final byte[] arena = this.arena;
        for (int i = 0; i < count; i++)
        {
            final int id = table[groupHashes[i] & mask];
            // An empty key may sit at the arena's very end.
            if (id > 0 && lengths[id] > 0)
            {
                touched += arena[offsets[id]];
            }
        }
        for (int i = 0; i < count; i++)
        {
            final ByteSlice key = keys[i];
            ids[i] = key.isNull() ? NULL_KEY_ID : find(key.bytes(), key.length(), groupHashes[i]);
        }
        this.touched = touched;
    }

    private int find(final byte[] bytes, final int length, final int hash)
    {
        final int[] table = this.table;
        final int mask = this.mask;
        int index = hash & mask;
        int id;
        while ((id = table[index]) != EMPTY)
        {
            if (id != TOMBSTONE && hashes[id] == hash && lengths[id] == length && sameBytes(offsets[id], bytes, length))
            {
                return id;
            }
            index = (index + 1) & mask;
        }
        return MISSING;
    }

    /** Compares short keys with a plain loop: cheaper than the intrinsic's setup for a few bytes. */
    private boolean sameBytes(final int offset, final byte[] bytes, final int length)
    {
        if (length > 32)
        {
            return Arrays.equals(arena, offset, offset + length, bytes, 0, length);
        }
        final byte[] arena = this.arena;
        for (int i = 0; i < length; i++)
        {
            if (arena[offset + i] != bytes[i])
            {
                return false;
            }
        }
        return true;
    }

    /** Live keys, the null key not included. */
    public int size()
    {
        return live;
    }

    /** One more than the largest id handed out so far: ids are below this. */
    public int idLimit()
    {
        return nextId;
    }

    /** True if {@code id} names a live key (the null key id always does). */
    public boolean isLive(final int id)
    {
        return id == NULL_KEY_ID || (id > 0 && id < nextId && lengths[id] != RELEASED);
    }

    /**
     * Forgets a key: its id may be handed to another key. Releasing the null key id does nothing.
     */
    public void release(final int id)
    {
        if (id == NULL_KEY_ID || !isLive(id))
        {
            return;
        }
        int index = hashes[id] & mask;
        while (table[index] != id)
        {
            index = (index + 1) & mask;
        }
        table[index] = TOMBSTONE;
        tombstones++;
        deadBytes += lengths[id];
        lengths[id] = RELEASED;
        if (freeCount == freeIds.length)
        {
            freeIds = Arrays.copyOf(freeIds, freeCount << 1);
        }
        freeIds[freeCount++] = id;
        live--;
        if (deadBytes > 4096 && deadBytes > arenaUsed >> 1)
        {
            compact();
        }
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
        final int id;
        if (freeCount > 0)
        {
            id = freeIds[--freeCount];
        }
        else
        {
            id = nextId++;
            if (id == offsets.length)
            {
                final int capacity = id << 1;
                offsets = Arrays.copyOf(offsets, capacity);
                lengths = Arrays.copyOf(lengths, capacity);
                hashes = Arrays.copyOf(hashes, capacity);
            }
        }
        if (arenaUsed + length > arena.length)
        {
            final int capacity = Math.max(arenaUsed + length, arena.length << 1);
            arena = Arrays.copyOf(arena, capacity);
            spareArena = new byte[capacity];
        }
        System.arraycopy(bytes, 0, arena, arenaUsed, length);
        offsets[id] = arenaUsed;
        lengths[id] = length;
        hashes[id] = hash;
        arenaUsed += length;
        table[index] = id;
        live++;
        if ((live + tombstones) << 1 > table.length)
        {
            rehash(live << 2 > table.length ? table.length << 1 : table.length);
        }
        return id;
    }

    /** Copies the live keys' bytes into the spare arena, then swaps the two. */
    private void compact()
    {
        final byte[] target = spareArena;
        int used = 0;
        for (int id = 1; id < nextId; id++)
        {
            if (lengths[id] != RELEASED)
            {
                System.arraycopy(arena, offsets[id], target, used, lengths[id]);
                offsets[id] = used;
                used += lengths[id];
            }
        }
        spareArena = arena;
        arena = target;
        arenaUsed = used;
        deadBytes = 0;
    }

    private void rehash(final int capacity)
    {
        final int[] fresh = new int[capacity];
        final int freshMask = capacity - 1;
        for (int id = 1; id < nextId; id++)
        {
            if (lengths[id] == RELEASED)
            {
                continue;
            }
            int index = hashes[id] & freshMask;
            while (fresh[index] != EMPTY)
            {
                index = (index + 1) & freshMask;
            }
            fresh[index] = id;
        }
        table = fresh;
        mask = freshMask;
        tombstones = 0;
    }

    private static int hash(final byte[] bytes, final int length)
    {
        int h = 0x9747b28c;
        for (int i = 0; i < length; i++)
        {
            h = 31 * h + bytes[i];
        }
        // Murmur3's finalizer: every input bit affects the low bits that linear probing uses.
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    /** Writes every key and id exactly as they are, so that a loaded interner hands out the same ids next. */
    public void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeInts(out, table, table.length);
        out.writeInt(tombstones);
        WindowSnapshots.writeBytes(out, arena, arenaUsed);
        out.writeInt(arena.length);
        out.writeInt(deadBytes);
        WindowSnapshots.writeInts(out, offsets, nextId);
        WindowSnapshots.writeInts(out, lengths, nextId);
        WindowSnapshots.writeInts(out, hashes, nextId);
        WindowSnapshots.writeInts(out, freeIds, freeCount);
        out.writeInt(freeCount);
        out.writeInt(nextId);
        out.writeInt(live);
    }

    public void readState(final DataInput in) throws IOException
    {
        final int[] table = WindowSnapshots.readInts(in, 0);
        if (Integer.bitCount(table.length) != 1)
        {
            throw new java.io.StreamCorruptedException("key table of " + table.length + " slots");
        }
        this.table = table;
        mask = table.length - 1;
        tombstones = in.readInt();
        final byte[] used = WindowSnapshots.readBytes(in, 0);
        arenaUsed = used.length;
        final int arenaCapacity = Math.max(in.readInt(), arenaUsed);
        arena = Arrays.copyOf(used, arenaCapacity);
        spareArena = new byte[arenaCapacity];
        deadBytes = in.readInt();
        offsets = WindowSnapshots.readInts(in, 16);
        lengths = WindowSnapshots.readInts(in, offsets.length);
        hashes = WindowSnapshots.readInts(in, offsets.length);
        freeIds = WindowSnapshots.readInts(in, 16);
        freeCount = in.readInt();
        if (freeCount < 0 || freeCount > freeIds.length)
        {
            throw new java.io.StreamCorruptedException("free key count " + freeCount);
        }
        nextId = in.readInt();
        live = in.readInt();
        if (lengths.length != offsets.length || hashes.length != offsets.length || nextId > offsets.length)
        {
            throw new java.io.StreamCorruptedException("key arrays do not match " + nextId + " ids");
        }
        if (nextId == offsets.length)
        {
            // add() grows the arrays when the next id reaches their length; keep that invariant.
            offsets = Arrays.copyOf(offsets, nextId << 1);
            lengths = Arrays.copyOf(lengths, nextId << 1);
            hashes = Arrays.copyOf(hashes, nextId << 1);
        }
    }
}
