package dev.ringflow.bench.e2e;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Waits, up to a deadline, for a scenario running on other threads to finish: checks a completion condition
 * (committed offsets, usually) every {@value #CHECK_INTERVAL_MS} ms and notes when the first input was
 * processed, so start-up can be reported apart from the run.
 */
final class ProgressWatch
{
    static final long CHECK_INTERVAL_MS = 20;

    private ProgressWatch()
    {
    }

    /**
     * When a run started, first processed input, and finished, in {@link System#nanoTime()} terms.
     *
     * @param startNs when the scenario was launched.
     * @param firstNs when the first processed input was seen (the finish time if none was seen before it).
     * @param doneNs  when the completion condition first held.
     */
    record Timing(long startNs, long firstNs, long doneNs)
    {
        double seconds()
        {
            return (doneNs - startNs) / 1e9;
        }

        double startupSeconds()
        {
            return (firstNs - startNs) / 1e9;
        }
    }

    /**
     * @param processed how many inputs have been processed so far (only tested for &gt; 0).
     * @param done      the completion condition.
     * @param failure   the error that stopped the scenario, or null while it runs.
     * @throws IllegalStateException when the scenario fails or the deadline passes first.
     */
    static Timing await(final String scenario, final long startNs, final Duration timeout,
        final LongSupplier processed, final BooleanSupplier done, final Supplier<Throwable> failure)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        long firstNs = 0;
        while (true)
        {
            final Throwable error = failure.get();
            if (null != error)
            {
                throw new IllegalStateException(scenario + " failed: " + error, error);
            }
            if (0 == firstNs && processed.getAsLong() > 0)
            {
                firstNs = System.nanoTime();
            }
            if (done.getAsBoolean())
            {
                final long doneNs = System.nanoTime();
                return new Timing(startNs, 0 == firstNs ? doneNs : firstNs, doneNs);
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException(scenario + " did not finish within " + timeout.toSeconds() +
                    " s (" + processed.getAsLong() + " inputs processed)");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MS));
            if (Thread.interrupted())
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + scenario);
            }
        }
    }

    /** A generous deadline for processing {@code records}: a minute plus 20,000 records a second. */
    static Duration deadlineFor(final long records)
    {
        return Duration.ofSeconds(60 + records / 20_000);
    }
}
