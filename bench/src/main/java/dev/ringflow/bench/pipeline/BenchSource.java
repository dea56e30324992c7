package dev.ringflow.bench.pipeline;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.Source;

import java.nio.charset.StandardCharsets;

/**
 * A source for engine benchmarks: sliding-sum inputs from preallocated key and value bytes over a fixed set of
 * keys, nothing to acknowledge or wake up.
 */
abstract class BenchSource implements Source
{
    private final byte[][] keys;
    private final byte[][] values;

    BenchSource(final int keyCount)
    {
        keys = new byte[keyCount][];
        values = new byte[keyCount][];
        for (int i = 0; i < keyCount; i++)
        {
            keys[i] = ("key-" + i).getBytes(StandardCharsets.US_ASCII);
            values[i] = Integer.toString(i * 37 % 1000).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Fills {@code slot} with input number {@code event} (offset and timestamp = event, key = event % keys). */
    final void fill(final EventSlot slot, final long event)
    {
        final int k = (int)(event % keys.length);
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
