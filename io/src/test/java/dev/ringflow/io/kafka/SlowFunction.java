package dev.ringflow.io.kafka;

import dev.ringflow.api.Emitter;
import dev.ringflow.api.Record;
import dev.ringflow.api.RecordFunction;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes every record on after spinning for {@link #spinNanos}: a worker as slow as a test needs, e.g. to make a
 * journal replay outlast a consumer deadline. With {@link #failIn} it throws an {@link Error} at a given record,
 * which stops the engine as a crash would: what the journal holds after the last commit is not committed.
 */
public final class SlowFunction implements RecordFunction
{
    static volatile long spinNanos;
    private static final AtomicLong UNTIL_FAILURE = new AtomicLong(Long.MAX_VALUE);

    /** The {@code records}-th record from now throws; {@link Long#MAX_VALUE}: none. */
    static void failIn(final long records)
    {
        UNTIL_FAILURE.set(records);
    }

    static void spin(final long micros)
    {
        spinNanos = TimeUnit.MICROSECONDS.toNanos(micros);
    }

    @Override
    public void apply(final Record record, final Emitter out)
    {
        if (UNTIL_FAILURE.get() != Long.MAX_VALUE && UNTIL_FAILURE.decrementAndGet() == 0)
        {
            throw new AssertionError("the failure the test asked for");
        }
        final long spin = spinNanos;
        if (spin > 0)
        {
            final long end = System.nanoTime() + spin;
            while (System.nanoTime() < end)
            {
                Thread.onSpinWait();
            }
        }
    }
}
