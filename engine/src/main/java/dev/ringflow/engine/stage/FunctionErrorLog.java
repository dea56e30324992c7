package dev.ringflow.engine.stage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Logs the exceptions a user function throws: the first {@value #LOGGED_IN_FULL} with their stack traces, then at
 * most one line per minute with how many were not logged, so a function failing on every record cannot flood the
 * log.
 * <p>
 * <b>Note:</b> Worker thread only; allocates only when it logs.
 */
final class FunctionErrorLog
{
    static final int LOGGED_IN_FULL = 10;
    private static final Logger LOG = LoggerFactory.getLogger("ringflow.function");
    private static final long INTERVAL_NS = TimeUnit.MINUTES.toNanos(1);

    private final String className;
    private long count;
    private long suppressed;
    private long nextLogNs;

    FunctionErrorLog(final String className)
    {
        this.className = className;
    }

    /** @return true when this exception was logged. */
    boolean onException(final Exception ex)
    {
        count++;
        if (count <= LOGGED_IN_FULL)
        {
            LOG.warn("function {} threw on a record, which goes to the dead letters ({} of the first {} logged " +
                "in full)", className, count, LOGGED_IN_FULL, ex);
            nextLogNs = System.nanoTime() + INTERVAL_NS;
            return true;
        }
        final long nowNs = System.nanoTime();
        if (nowNs - nextLogNs < 0)
        {
            suppressed++;
            return false;
        }
        nextLogNs = nowNs + INTERVAL_NS;
        LOG.warn("function {} threw {} ({} exceptions in all; {} more since the last line)", className, ex, count,
            suppressed);
        suppressed = 0;
        return true;
    }

    long count()
    {
        return count;
    }
}
