package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * The state of every key of one {@link CountWindowAggregator}: one fixed-size record of long words per key, records
 * side by side in pages, so a key's counters, sums, running extremes and (for small ranges) its values share a cache line
 * or two and are reached without following a pointer per key.
 * <pre>
 *   word                  holds                                                       present when
 *   SEEN                  elements seen; 0 when the key has no state                  always
 *   CURSOR                ring slot of the next element (low 32 bits),                always
 *                         elements since the window last fired (high 32 bits)
 *   sumWord               long sum                                                    SUM or MEAN of LONG
 *   sumWord + 0, 1, 2     double sum, its compensation (bits), evictions since the    SUM or MEAN of DOUBLE
 *                         sum was last recomputed
 *   minPrefixWord         min of the current block's elements so far                  MIN, range &gt; 8
 *   maxPrefixWord         max of the current block's elements so far                  MAX, range &gt; 8
 *   ringWord + i          value of element n at i = (n - 1) % range                   SUM, MEAN, VARIANCE,
 *                                                                                     STDDEV, FIRST, MIN, MAX
 *   minSuffixWord + i     min of the last complete block's elements i .. range - 1    MIN, range &gt; 8
 *   maxSuffixWord + i     max of the same                                             MAX, range &gt; 8
 * </pre>
 * A block is {@code range} consecutive elements of a key, filling the ring from slot 0 to its end (see
 * {@link SlidingExtremes}). A range of 5 takes 8 words (64 bytes) for a long sum and 7 for a min or max (scanned);
 * variance keeps its suffix aggregates in a {@link SlidingVariance} per key beside the records.
 * <p>
 * <b>Note:</b> Owned by one {@link CountWindowAggregator}. Allocates a page when a key id beyond the existing pages
 * first appears; allocation free after that. Not thread-safe.
 */
final class CountWindowState
{
    static final int SEEN = 0;
    static final int CURSOR = 1;
    /**
     * Pages hold at most this many words (512 KiB) unless one record is larger: small enough that a new page is a
     * cheap young allocation and growth never copies the records, large enough that the page table of a million
     * keys stays a few cache lines.
     */
    private static final int PAGE_WORDS = 1 << 16;

    final int recordWords;
    final int sumWord;
    final int minPrefixWord;
    final int maxPrefixWord;
    final int minSuffixWord;
    final int maxSuffixWord;
    final int ringWord;
    /** Words reset when a key is forgotten: the others are rewritten before they are read again. */
    private final int headerWords;
    private final int pageShift;
    private final int pageMask;
    private long[][] pages;

    CountWindowState(final int range, final boolean isLong, final boolean needsSum, final boolean needsRing,
        final boolean needsMin, final boolean needsMax, final int expectedKeys)
    {
        int words = CURSOR + 1;
        sumWord = needsSum ? words : -1;
        words += needsSum ? (isLong ? 1 : 3) : 0;
        minPrefixWord = needsMin ? words++ : -1;
        maxPrefixWord = needsMax ? words++ : -1;
        headerWords = words;
        long total = words;
        ringWord = needsRing ? (int)total : -1;
        total += needsRing ? range : 0;
        minSuffixWord = needsMin ? (int)Math.min(total, Integer.MAX_VALUE) : -1;
        total += needsMin ? range : 0;
        maxSuffixWord = needsMax ? (int)Math.min(total, Integer.MAX_VALUE) : -1;
        total += needsMax ? range : 0;
        if (total > Integer.MAX_VALUE - 16)
        {
            throw new IllegalArgumentException("range " + range + " needs " + total +
                " words per key, more than one Java array holds");
        }
        recordWords = (int)total;
        final int keysPerPage = Math.max(1, Integer.highestOneBit(PAGE_WORDS / recordWords));
        pageShift = Integer.numberOfTrailingZeros(keysPerPage);
        pageMask = keysPerPage - 1;
        pages = new long[Math.max(1, (expectedKeys + pageMask) >>> pageShift)][];
    }

    /** The page holding {@code keyId}'s record, allocated on first use. */
    long[] page(final int keyId)
    {
        final int index = keyId >>> pageShift;
        final long[][] pages = this.pages;
        if (index < pages.length)
        {
            final long[] page = pages[index];
            if (null != page)
            {
                return page;
            }
        }
        return newPage(index);
    }

    /** Where {@code keyId}'s record starts in its {@link #page(int)}. */
    int base(final int keyId)
    {
        return (keyId & pageMask) * recordWords;
    }

    /** The page holding {@code keyId}'s record, or null when no key of that page has been seen. */
    long[] pageIfPresent(final int keyId)
    {
        final int index = keyId >>> pageShift;
        return index < pages.length ? pages[index] : null;
    }

    /** Key ids below this may have a record: the ones the page table covers. */
    int keyLimit()
    {
        return (int)Math.min((long)pages.length << pageShift, Integer.MAX_VALUE);
    }

    /** Forgets one key: its counters, sums and extremes restart from empty. */
    void reset(final long[] page, final int base)
    {
        Arrays.fill(page, base, base + headerWords, 0L);
    }

    /** Forgets every key and releases the pages. */
    void clear()
    {
        Arrays.fill(pages, null);
    }

    /** What a snapshot writes for a key beside its record (a count window's variance). */
    interface KeyWriter
    {
        void write(int keyId, DataOutput out) throws IOException;
    }

    /**
     * Writes every key that has elements, in key order: its id, its record's words, then what {@code extra} (when
     * not null) writes for it.
     */
    void writeLiveRecords(final DataOutput out, final KeyWriter extra) throws IOException
    {
        for (int keyId = 0, limit = keyLimit(); keyId < limit; keyId++)
        {
            final long[] page = pageIfPresent(keyId);
            final int base = base(keyId);
            if (null != page && 0 != page[base + SEEN])
            {
                out.writeInt(keyId);
                for (int i = base, end = base + recordWords; i < end; i++)
                {
                    out.writeLong(page[i]);
                }
                if (null != extra)
                {
                    extra.write(keyId, out);
                }
            }
        }
    }

    /**
     * Reads one key as {@link #writeLiveRecords} wrote it, up to the caller's own part, into its record.
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
        final long[] page = page(keyId);
        final int base = base(keyId);
        for (int i = base, end = base + recordWords; i < end; i++)
        {
            page[i] = in.readLong();
        }
        if (0 == page[base + SEEN])
        {
            throw new StreamCorruptedException("key " + keyId + " has no elements");
        }
        return keyId;
    }

    private long[] newPage(final int index)
    {
        if (index >= pages.length)
        {
            pages = Arrays.copyOf(pages, Math.max(index + 1, pages.length << 1));
        }
        final long[] page = new long[(pageMask + 1) * recordWords];
        pages[index] = page;
        return page;
    }
}
