package dev.ringflow.bench.pipeline;

import dev.ringflow.engine.Sink;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A benchmark sink that counts its outputs and hands the count to the waiting benchmark thread at the end of each
 * batch; there is nothing to flush or close. Subclasses decide in {@link #onRecord} what an output is and count it.
 * <p>
 * <b>Note:</b> {@link #count} belongs to the worker thread that calls the sink; other threads read
 * {@link #outputs}.
 */
abstract class OutputCountingSink implements Sink
{
    /** The outputs counted up to the last end of a batch. */
    public final AtomicLong outputs = new AtomicLong();
    /** The outputs counted so far. */
    long count;

    @Override
    public final void onEndOfBatch()
    {
        outputs.lazySet(count);
    }

    @Override
    public final void flush()
    {
    }

    @Override
    public final void close()
    {
    }
}
