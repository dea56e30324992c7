package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * The state of every key of one {@link CountWindowAggregator}, in fixed-size records of long words per key: a header
 * (counters, sums, running extremes) and a ring of the window's values, found by key id without following a pointer
 * per key. Headers sit side by side in one array. When header and ring together take at most 8 words (64 bytes), the
 * ring is part of the header record and a key in random order costs one cache miss. Larger rings live in pages of
 * their own, so the headers stay small and dense (24 bytes for a long sum: 100,000 keys take 2.4 MB, which stays in
 * the last-level cache) while the rings of many keys with large ranges do not fit any cache: an element then costs
 * one memory access for its ring slot instead of two dependent ones (the header, then the slot its cursor names),
 * and {@link #touchHeaders}/{@link #touchSlots} can load the slots of a group of elements in parallel.
 * <pre>
 *   header word           holds                                                       present when
 *   SEEN                  elements seen; 0 when the key has no state                  always
 *   CURSOR                ring slot of the next element (low 32 bits),                always
 *                         elements since the window last fired (high 32 bits)
 *   sumWord               long sum                                                    SUM or MEAN of LONG
 *   sumWord + 0, 1, 2     double sum, its compensation (bits), evictions since the    SUM or MEAN of DOUBLE
 *                         sum was last recomputed
 *   minPrefixWord         min of the current block's elements so far                  MIN, range &gt; 8
 *   maxPrefixWord         max of the current block's elements so far                  MAX, range &gt; 8
 *
 *   ring word                        holds
 *   i * stride                       value of element n at slot i = (n - 1) % range   SUM, MEAN, VARIANCE, STDDEV,
 *                                                                                     FIRST, MIN, MAX
 *   i * stride + minSuffixOffset     min of the last complete block's                 MIN, range &gt; 8
 *                                    slots i + 1 .. range - 1
 *   i * stride + maxSuffixOffset     max of the same                                  MAX, range &gt; 8
 * </pre>
 * A window whose only use of old values is one block extreme (a min or a max, without sums, variance or FIRST)
 * keeps one word per slot: the value until its block completes, then the suffix, which the next element at that
 * slot reads before it writes its own value there ({@code stride} 1, suffix offset 0). Half the memory per key,
 * and the pass at a block's end touches half the lines.
 * The suffix extremes that the window ending at a slot needs sit beside that slot's value ({@code stride} is 1
 * plus one word per block extreme), so the slot an element writes and the suffix it reads share a cache line. A
 * block is {@code range} consecutive elements of a key, filling the ring from slot 0 to its end (see
 * {@link SlidingExtremes}). Variance keeps its suffix aggregates in a {@link SlidingVariance} per key.
 * <p>
 * <b>Note:</b> Owned by one {@link CountWindowAggregator}. Grows the header array (doubling it) when a key id beyond
 * it first appears, and allocates a ring page when a key id first reaches it; allocation free after that. Not
 * thread-safe.
 */
final class CountWindowState
{
    static final int SEEN = 0;
    static final int CURSOR = 1;
    /**
     * Ring pages hold at most this many words (512 KiB) unless one ring is larger: small enough that a new page is a
     * cheap young allocation and growth never copies the rings, large enough that the page table of a million keys
     * stays a few cache lines.
     */
    private static final int PAGE_WORDS = 1 << 16;

    /** Words per key in the header pages, the ring's included when it is part of the header record. */
    final int headerWords;
    final int sumWord;
    final int minPrefixWord;
    final int maxPrefixWord;
    /** Words of a key's ring; 0 when the window keeps no values. */
    final int ringWords;
    /** Words per ring slot: the value, then the suffix extremes of the slot when the window keeps block extremes. */
    final int stride;
    final int minSuffixOffset;
    final int maxSuffixOffset;
    /** The ring is part of the header record. */
    private final boolean ringInHeader;
    /** Where a key's ring starts in its header record, when it is part of it. */
    private final int ringOffset;
    private final int initialKeys;
    private final int pageShift;
    private final int pageMask;
    /** Every key's header, side by side: key k's at {@code k * headerWords}. */
    private long[] headers;
    /** Keys below this have room in {@link #headers}. */
    private int capacity;
    /** Pages of rings (when apart from the headers), allocated as keys first reach them. */
    private long[][] rings;

    /**
     * @param extremesInPlace the window keeps block extremes of one kind (min or max) and nothing else reads old
     *                        values: a slot holds one word, its value until the block completes, then the suffix
     *                        that the window ending at it reads (see {@link SlidingExtremes#addInPlace}).
     */
    CountWindowState(final int range, final boolean isLong, final boolean needsSum, final boolean needsRing,
        final boolean needsMin, final boolean needsMax, final boolean extremesInPlace, final int expectedKeys)
    {
        if (extremesInPlace && (needsSum || needsMin == needsMax))
        {
            throw new IllegalArgumentException("extremes in place need one block extreme and no sum");
        }
        int words = CURSOR + 1;
        sumWord = needsSum ? words : -1;
        words += needsSum ? (isLong ? 1 : 3) : 0;
        minPrefixWord = needsMin ? words++ : -1;
        maxPrefixWord = needsMax ? words++ : -1;
        int slotWords = 1;
        minSuffixOffset = needsMin ? (extremesInPlace ? 0 : slotWords++) : -1;
        maxSuffixOffset = needsMax ? (extremesInPlace ? 0 : slotWords++) : -1;
        stride = slotWords;
        final long total = needsRing ? (long)range * stride : 0;
        if (total > Integer.MAX_VALUE - 16)
        {
            throw new IllegalArgumentException("range " + range + " needs " + total +
                " words per key, more than one Java array holds");
        }
        ringWords = (int)total;
        ringInHeader = words + ringWords <= 8;
        ringOffset = ringInHeader ? words : 0;
        headerWords = ringInHeader ? words + ringWords : words;
        final int keysPerPage = Math.max(1, Integer.highestOneBit(PAGE_WORDS / Math.max(1, ringWords)));
        pageShift = Integer.numberOfTrailingZeros(keysPerPage);
        pageMask = keysPerPage - 1;
        initialKeys = Math.max(1, expectedKeys);
        allocate(initialKeys);
    }

    /** Bytes of one key's header and ring. */
    int bytesPerKey()
    {
        return (ringInHeader ? headerWords : headerWords + ringWords) * Long.BYTES;
    }

    /** The array holding {@code keyId}'s header, grown to hold it on first use. */
    long[] headers(final int keyId)
    {
        // Unsigned, so that a negative id reaches grow() and its error rather than an index out of bounds.
        return Integer.compareUnsigned(keyId, capacity) < 0 ? headers : grow(keyId);
    }

    /** The array holding {@code keyId}'s header, or null when no key that high has been seen. */
    long[] headersIfPresent(final int keyId)
    {
        return 0 <= keyId && keyId < capacity ? headers : null;
    }

    /** Where {@code keyId}'s header starts in its {@link #headers(int)}. */
    int headerBase(final int keyId)
    {
        return keyId * headerWords;
    }

    /**
     * The array holding {@code keyId}'s ring, allocated on first use, once {@link #headers(int)} has been called for
     * the key.
     */
    long[] ringPage(final int keyId)
    {
        if (ringInHeader)
        {
            return headers;
        }
        final long[] page = rings[keyId >>> pageShift];
        return null != page ? page : newRingPage(keyId >>> pageShift);
    }

    /** Where {@code keyId}'s ring starts in its {@link #ringPage(int)}. */
    int ringBase(final int keyId)
    {
        return ringInHeader ? keyId * headerWords + ringOffset : (keyId & pageMask) * ringWords;
    }

    /** Key ids below this may have a record. */
    int keyLimit()
    {
        return capacity;
    }

    /**
     * Loads each key's header (its first and last word: a record may straddle two cache lines) and returns the sum
     * of the words, so the loads cannot be left out: independent loads in a short loop, whose cache misses the CPU
     * overlaps.
     */
    long touchHeaders(final int[] keyIds, final int from, final int to)
    {
        long touched = 0;
        final long[] headers = this.headers;
        final int capacity = this.capacity;
        final int headerWords = this.headerWords;
        final int last = headerWords - 1;
        for (int n = from; n < to; n++)
        {
            final int keyId = keyIds[n];
            if (0 <= keyId && keyId < capacity)
            {
                final int base = keyId * headerWords;
                touched += headers[base] + headers[base + last];
            }
        }
        return touched;
    }

    /**
     * Loads the ring slot (with the suffix extremes beside it) that each key's next element writes and reads, found
     * through the cursor that {@link #touchHeaders} has just brought into the cache; returns their sum.
     */
    long touchSlots(final int[] keyIds, final int from, final int to)
    {
        long touched = 0;
        if (0 == ringWords || ringInHeader)
        {
            return touched;
        }
        final long[] headers = this.headers;
        final long[][] rings = this.rings;
        final int capacity = this.capacity;
        final int stride = this.stride;
        final int lastWord = stride - 1;
        for (int n = from; n < to; n++)
        {
            final int keyId = keyIds[n];
            if (0 <= keyId && keyId < capacity)
            {
                final long[] ring = rings[keyId >>> pageShift];
                if (null != ring)
                {
                    final int slot = (int)headers[keyId * headerWords + CURSOR];
                    final int ringBase = (keyId & pageMask) * ringWords;
                    touched += ring[ringBase + slot * stride];
                    if (0 != lastWord)
                    {
                        // With both min and max a slot's three words may straddle two lines.
                        touched += ring[ringBase + slot * stride + lastWord];
                    }
                }
            }
        }
        return touched;
    }

    /** Forgets one key: its counters, sums and extremes restart from empty. */
    void reset(final long[] headerPage, final int headerBase)
    {
        Arrays.fill(headerPage, headerBase, headerBase + headerWords, 0L);
    }

    /** Forgets every key and releases the memory their records took. */
    void clear()
    {
        allocate(initialKeys);
    }

    /** What a snapshot writes for a key beside its record (a count window's variance). */
    interface KeyWriter
    {
        void write(int keyId, DataOutput out) throws IOException;
    }

    /**
     * Writes every key that has elements, in key order: its id, its header's and its ring's words, then what
     * {@code extra} (when not null) writes for it.
     */
    void writeLiveRecords(final DataOutput out, final KeyWriter extra) throws IOException
    {
        for (int keyId = 0, limit = keyLimit(); keyId < limit; keyId++)
        {
            final long[] page = headersIfPresent(keyId);
            final int base = headerBase(keyId);
            if (null != page && 0 != page[base + SEEN])
            {
                out.writeInt(keyId);
                writeWords(out, page, base, headerWords);
                if (!ringInHeader && 0 != ringWords)
                {
                    writeWords(out, ringPage(keyId), ringBase(keyId), ringWords);
                }
                if (null != extra)
                {
                    extra.write(keyId, out);
                }
            }
        }
    }

    /**
     * Reads one key as {@link #writeLiveRecords} wrote it, up to the caller's own part, into its records.
     *
     * @return the key's id.
     */
    int readRecord(final DataInput in) throws IOException
    {
        final int keyId = in.readInt();
        if (keyId < 0)
        {
            throw new StreamCorruptedException("key id " + keyId);
        }
        final long[] page = headers(keyId);
        final int base = headerBase(keyId);
        readWords(in, page, base, headerWords);
        if (!ringInHeader && 0 != ringWords)
        {
            readWords(in, ringPage(keyId), ringBase(keyId), ringWords);
        }
        if (0 == page[base + SEEN])
        {
            throw new StreamCorruptedException("key " + keyId + " has no elements");
        }
        return keyId;
    }

    private static void writeWords(final DataOutput out, final long[] page, final int from, final int count)
        throws IOException
    {
        for (int i = from, end = from + count; i < end; i++)
        {
            out.writeLong(page[i]);
        }
    }

    private static void readWords(final DataInput in, final long[] page, final int from, final int count)
        throws IOException
    {
        for (int i = from, end = from + count; i < end; i++)
        {
            page[i] = in.readLong();
        }
    }

    private void allocate(final int keys)
    {
        headers = new long[keys * headerWords];
        capacity = keys;
        rings = ringInHeader ? null : new long[(keys + pageMask) >>> pageShift][];
    }

    private long[] grow(final int keyId)
    {
        if (keyId < 0)
        {
            throw new IllegalArgumentException("key id must be >= 0, was " + keyId);
        }
        final long keys = Math.min(Math.max(keyId + 1L, 2L * capacity), (Integer.MAX_VALUE - 16) / headerWords);
        if (keyId >= keys)
        {
            throw new IllegalArgumentException("key id " + keyId + " is beyond the " + keys +
                " keys one count window holds with this aggregation set");
        }
        headers = Arrays.copyOf(headers, (int)keys * headerWords);
        capacity = (int)keys;
        if (!ringInHeader)
        {
            rings = Arrays.copyOf(rings, (int)((keys + pageMask) >>> pageShift));
        }
        return headers;
    }

    private long[] newRingPage(final int index)
    {
        final long[] page = new long[(pageMask + 1) * ringWords];
        rings[index] = page;
        return page;
    }
}
