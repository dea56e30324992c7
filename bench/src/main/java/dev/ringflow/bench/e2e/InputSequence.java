package dev.ringflow.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The harness's deterministic input: record {@code i} has a key {@code key-k} and a value, an integer in
 * {@code 0..99} as text, both drawn from a generator with a fixed seed, so the sequence can be walked again to
 * compute the expected outputs. Key and value bytes are preallocated.
 */
final class InputSequence
{
    static final String KEY_PREFIX = "key-";
    static final int VALUE_BOUND = 100;
    private static final long SEED = 42;

    private final long records;
    private final int keys;
    private final byte[][] keyBytes;
    private final byte[][] valueBytes;

    /** Receives one input record. */
    @FunctionalInterface
    interface RecordVisitor
    {
        void accept(long index, int key, int value);
    }

    InputSequence(final long records, final int keys)
    {
        this.records = records;
        this.keys = keys;
        keyBytes = new byte[keys][];
        for (int k = 0; k < keys; k++)
        {
            keyBytes[k] = (KEY_PREFIX + k).getBytes(StandardCharsets.US_ASCII);
        }
        valueBytes = new byte[VALUE_BOUND][];
        for (int v = 0; v < VALUE_BOUND; v++)
        {
            valueBytes[v] = Integer.toString(v).getBytes(StandardCharsets.US_ASCII);
        }
    }

    long records()
    {
        return records;
    }

    int keys()
    {
        return keys;
    }

    byte[] keyBytes(final int key)
    {
        return keyBytes[key];
    }

    byte[] valueBytes(final int value)
    {
        return valueBytes[value];
    }

    /** Walks the whole sequence in order; every walk sees the same records. */
    void forEach(final RecordVisitor visitor)
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (long i = 0; i < records; i++)
        {
            final int key = random.nextInt(keys);
            visitor.accept(i, key, random.nextInt(VALUE_BOUND));
        }
    }

    /**
     * @return the {@code k} of a key {@code key-k} below {@code keys}, or -1 for any other key.
     */
    static int keyIndex(final byte[] key, final int keys)
    {
        if (null == key || key.length <= KEY_PREFIX.length() || key.length > KEY_PREFIX.length() + 9)
        {
            return -1;
        }
        for (int i = 0; i < KEY_PREFIX.length(); i++)
        {
            if (key[i] != KEY_PREFIX.charAt(i))
            {
                return -1;
            }
        }
        int index = 0;
        for (int i = KEY_PREFIX.length(); i < key.length; i++)
        {
            final int digit = key[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return -1;
            }
            index = index * 10 + digit;
        }
        return index < keys ? index : -1;
    }
}
