package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * The state of every key of one {@link TimeFeatureWindow}: a header of long words per key, side by side in one
 * array, and per key a ring of its kept elements sorted by event time (equal times in arrival order). Elements are
 * numbered by sequence; element {@code s} is in ring slot {@code s & mask}, and a slot is {@code stride} words (a
 * power of two, so a slot never straddles more cache lines than it must).
 * <pre>
 *   header word          holds
 *   FIRST                sequence of the oldest kept element
 *   WINDOW               sequence of the oldest element in (maxTime - range, maxTime]: the window slides from here
 *   FRONT_END            the front is WINDOW .. FRONT_END - 1, its slots carrying suffix aggregates; the back is
 *                        FRONT_END .. END - 1, summarised in the BACK_ words
 *   END                  sequence after the newest element
 *   MAX_TIME             the key's largest event time; NO_TIME while the key has no state
 *   SUM, SUM + 1         the window's sum and its compensation (see {@link CompensatedSum}), as double bits
 *   BACK_MEAN, BACK_M2   Welford mean and sum of squared deviations of the back, as double bits
 *   BACK_MIN, BACK_MAX   extremes of the back, as double bits
 *
 *   slot word            holds
 *   TIME                 event time
 *   VALUE                value, as double bits
 *   suffixMinOffset      min of the front from this element to its end                      MIN
 *   suffixMaxOffset      max of the same                                                     MAX
 *   suffixMeanOffset     Welford mean of the same                                            VARIANCE, STDDEV
 *   suffixM2Offset       sum of squared deviations of the same                               VARIANCE, STDDEV
 * </pre>
 * <b>Note:</b> Owned by one {@link TimeFeatureWindow}. Grows the header array (doubling it) when a key id beyond it
 * first appears and a key's ring (doubling it) when it is full; allocation free after that. Not thread-safe.
 */
final class TimeFeatureState
{
    static final int FIRST = 0;
    static final int WINDOW = 1;
    static final int FRONT_END = 2;
    static final int END = 3;
    static final int MAX_TIME = 4;
    static final int SUM = 5;
    static final int BACK_MEAN = 7;
    static final int BACK_M2 = 8;
    static final int BACK_MIN = 9;
    static final int BACK_MAX = 10;
    static final int HEADER_WORDS = 11;
    static final long NO_TIME = Long.MIN_VALUE;

    static final int TIME = 0;
    static final int VALUE = 1;
    private static final int INITIAL_CAPACITY = 4;

    final int suffixMinOffset;
    final int suffixMaxOffset;
    final int suffixMeanOffset;
    final int suffixM2Offset;
    /** log2 of the words per slot. */
    final int strideShift;
    private long[] headers;
    private long[][] rings;

    TimeFeatureState(final boolean needsMin, final boolean needsMax, final boolean needsVariance,
        final int expectedKeys)
    {
        int words = VALUE + 1;
        suffixMinOffset = needsMin ? words++ : -1;
        suffixMaxOffset = needsMax ? words++ : -1;
        suffixMeanOffset = needsVariance ? words++ : -1;
        suffixM2Offset = needsVariance ? words++ : -1;
        strideShift = 32 - Integer.numberOfLeadingZeros(words - 1);
        allocate(Math.max(1, expectedKeys));
    }

    /** The header array, grown to hold {@code keyId}'s header. */
    long[] headers(final int keyId)
    {
        if (keyId >= headers.length / HEADER_WORDS)
        {
            final int keys = headers.length / HEADER_WORDS;
            headers = Arrays.copyOf(headers, Math.max(keyId + 1, 2 * keys) * HEADER_WORDS);
            rings = Arrays.copyOf(rings, headers.length / HEADER_WORDS);
            for (int k = keys; k < rings.length; k++)
            {
                headers[k * HEADER_WORDS + MAX_TIME] = NO_TIME;
            }
        }
        return headers;
    }

    static int headerBase(final int keyId)
    {
        return keyId * HEADER_WORDS;
    }

    /** {@code keyId}'s ring, allocated on its first use once {@link #headers} holds the key. */
    long[] ring(final int keyId)
    {
        final long[] ring = rings[keyId];
        return null != ring ? ring : (rings[keyId] = new long[INITIAL_CAPACITY << strideShift]);
    }

    /** Where element {@code sequence}'s slot starts in {@code ring}. */
    int slot(final long[] ring, final long sequence)
    {
        return (int)(sequence & ((ring.length >> strideShift) - 1)) << strideShift;
    }

    long time(final long[] ring, final long sequence)
    {
        return ring[slot(ring, sequence)];
    }

    double value(final long[] ring, final long sequence)
    {
        return Double.longBitsToDouble(ring[slot(ring, sequence) + VALUE]);
    }

    /** The first sequence in {@code from .. to - 1} whose element's time is after {@code timeMs}, or {@code to}. */
    long firstAfter(final long[] ring, final long from, final long to, final long timeMs)
    {
        long low = from;
        long high = to;
        while (low < high)
        {
            final long middle = (low + high) >>> 1;
            if (time(ring, middle) <= timeMs)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /**
     * Puts an element at sequence {@code at}, moving the elements from there to the end (with their suffix words)
     * one sequence on and the end with them; grows the ring when it is full.
     *
     * @return the key's ring, which growth may have replaced.
     */
    long[] insert(final int keyId, final long[] header, final int headerBase, final long at, final long timeMs,
        final double value)
    {
        final long first = header[headerBase + FIRST];
        final long end = header[headerBase + END];
        long[] ring = rings[keyId];
        if (end - first == ring.length >> strideShift)
        {
            ring = grow(keyId, ring, first, end);
        }
        final int stride = 1 << strideShift;
        for (long s = end; s > at; s--)
        {
            System.arraycopy(ring, slot(ring, s - 1), ring, slot(ring, s), stride);
        }
        final int slot = slot(ring, at);
        ring[slot + TIME] = timeMs;
        ring[slot + VALUE] = Double.doubleToRawLongBits(value);
        header[headerBase + END] = end + 1;
        return ring;
    }

    /** Twice the capacity, the kept elements at the slots of their sequences. */
    private long[] grow(final int keyId, final long[] ring, final long first, final long end)
    {
        final long[] grown = new long[ring.length << 1];
        final int stride = 1 << strideShift;
        for (long s = first; s < end; s++)
        {
            System.arraycopy(ring, slot(ring, s), grown, slot(grown, s), stride);
        }
        rings[keyId] = grown;
        return grown;
    }

    /** Drops a key's elements and aggregates; its ring stays for the next key given its id. */
    void reset(final int keyId)
    {
        if (0 <= keyId && keyId < rings.length)
        {
            final int base = headerBase(keyId);
            Arrays.fill(headers, base, base + HEADER_WORDS, 0L);
            headers[base + MAX_TIME] = NO_TIME;
        }
    }

    /** Writes every key that has state, in key order: its id, its header, then its kept elements' slots. */
    void writeState(final DataOutput out) throws IOException
    {
        final int keys = rings.length;
        int live = 0;
        for (int keyId = 0; keyId < keys; keyId++)
        {
            live += NO_TIME == headers[headerBase(keyId) + MAX_TIME] ? 0 : 1;
        }
        out.writeInt(live);
        for (int keyId = 0; keyId < keys; keyId++)
        {
            final int base = headerBase(keyId);
            if (NO_TIME != headers[base + MAX_TIME])
            {
                out.writeInt(keyId);
                for (int i = base; i < base + HEADER_WORDS; i++)
                {
                    out.writeLong(headers[i]);
                }
                final long[] ring = rings[keyId];
                for (long s = headers[base + FIRST], end = headers[base + END]; s < end; s++)
                {
                    for (int i = slot(ring, s), last = i + (1 << strideShift); i < last; i++)
                    {
                        out.writeLong(ring[i]);
                    }
                }
            }
        }
    }

    /** Replaces every key's state by what {@link #writeState} wrote. */
    void readState(final DataInput in) throws IOException
    {
        allocate(rings.length);
        for (int i = 0, live = in.readInt(); i < live; i++)
        {
            final int keyId = in.readInt();
            if (keyId < 0)
            {
                throw new StreamCorruptedException("key id " + keyId);
            }
            final long[] header = headers(keyId);
            final int base = headerBase(keyId);
            for (int w = base; w < base + HEADER_WORDS; w++)
            {
                header[w] = in.readLong();
            }
            final long first = header[base + FIRST];
            final long end = header[base + END];
            if (end < first || end - first > 1 << 28 || NO_TIME == header[base + MAX_TIME])
            {
                throw new StreamCorruptedException("key " + keyId + " has elements " + first + " to " + end);
            }
            final int count = (int)(end - first);
            final int capacity = count <= INITIAL_CAPACITY ? INITIAL_CAPACITY : Integer.highestOneBit(count - 1) << 1;
            final long[] ring = new long[capacity << strideShift];
            rings[keyId] = ring;
            for (long s = first; s < end; s++)
            {
                for (int w = slot(ring, s), last = w + (1 << strideShift); w < last; w++)
                {
                    ring[w] = in.readLong();
                }
            }
        }
    }

    private void allocate(final int keys)
    {
        headers = new long[0];
        rings = new long[0][];
        headers(keys - 1);
    }
}
