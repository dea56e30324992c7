package dev.ringflow.bench.pipeline;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.Source;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A source for engine benchmarks: sliding-sum inputs from preallocated key and value bytes over a fixed set of
 * keys, nothing to acknowledge or wake up.
 */
abstract class BenchSource implements Source
{
    /** Length of the random key sequence, a power of two: long enough that its repeats do not warm the caches. */
    private static final int ORDER_LENGTH = 1 << 22;

    private final byte[][] keys;
    private final byte[][] values;
    private final int[] order;

    /** Keys in turn: input {@code n} has key {@code n % keyCount}. */
    BenchSource(final int keyCount)
    {
        this(keyCount, false);
    }

    /**
     * @param randomOrder keys drawn at random (fixed seed, the same in every run) instead of in turn: with many
     *                    keys, the order in which the caches miss as they would on real traffic.
     */
    BenchSource(final int keyCount, final boolean randomOrder)
    {
        keys = new byte[keyCount][];
        values = new byte[keyCount][];
        for (int i = 0; i < keyCount; i++)
        {
            keys[i] = ("key-" + i).getBytes(StandardCharsets.US_ASCII);
            values[i] = Integer.toString(i * 37 % 1000).getBytes(StandardCharsets.US_ASCII);
        }
        order = randomOrder ? new SplittableRandom(42).ints(ORDER_LENGTH, 0, keyCount).toArray() : null;
    }

    /** Fills {@code slot} with input number {@code event} (offset and timestamp = event). */
    final void fill(final EventSlot slot, final long event)
    {
        final int k = null == order ? (int)(event % keys.length) : order[(int)event & (ORDER_LENGTH - 1)];
        slot.input("in", 0, event, event, keys[k], values[k]);
    }

    @Override
    public void commit(final long processedSequence)
    {
    }

    @Override
    public void wakeup()
    {
    }

    @Override
    public void close()
    {
    }
}
