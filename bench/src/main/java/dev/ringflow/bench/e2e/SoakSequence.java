package dev.ringflow.bench.e2e;

/**
 * The soak's input, endless and computable at any index: record {@code i} has key {@code key-(i mod K)} and a value
 * in {@code 0..99} mixed from {@code i}, so the seed pipeline's {@code j}-th output for key {@code k} (the sum of
 * that key's last five values) can be computed from {@code k} and {@code j} alone, with no state that grows with the
 * run: keys go round-robin, so the {@code j}-th input of key {@code k} is record {@code j * K + k}.
 * <p>
 * <b>Note:</b> Stateless and thread-safe.
 */
final class SoakSequence
{
    private final int keys;

    SoakSequence(final int keys)
    {
        if (keys < 1)
        {
            throw new IllegalArgumentException("keys must be >= 1, was " + keys);
        }
        this.keys = keys;
    }

    int keys()
    {
        return keys;
    }

    int keyOf(final long index)
    {
        return (int)(index % keys);
    }

    /** A value in {@code 0..99} that looks random across indexes (a Fibonacci hash of the index). */
    static int valueOf(final long index)
    {
        return (int)(((index + 1) * 0x9E3779B97F4A7C15L >>> 33) % InputSequence.VALUE_BOUND);
    }

    /** The record index of key {@code key}'s {@code nth} input (from 0). */
    long indexOf(final int key, final long nth)
    {
        return nth * keys + key;
    }

    /** The seed pipeline's output for key {@code key}'s {@code nth} input: the sum of its last {@code min(5, nth + 1)}. */
    long expectedOutput(final int key, final long nth)
    {
        long sum = 0;
        for (long m = Math.max(0, nth - KeyedSequences.SLIDING_RANGE + 1); m <= nth; m++)
        {
            sum += valueOf(indexOf(key, m));
        }
        return sum;
    }
}
