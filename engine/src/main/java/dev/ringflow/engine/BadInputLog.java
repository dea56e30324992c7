package dev.ringflow.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Logs bad input at most once per interval, with how many more were suppressed, so a flood of garbage cannot
 * flood the log or slow the worker.
 * <p>
 * <b>Note:</b> Used by the worker thread only. Allocates only when it actually logs.
 */
final class BadInputLog
{
    private static final Logger LOG = LoggerFactory.getLogger(BadInputLog.class);
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int PREVIEW_BYTES = 64;

    private long nextLogNs = Long.MIN_VALUE;
    private long suppressed;

    void onBadInput(final EventSlot slot, final OutputList outputs)
    {
        final long nowNs = System.nanoTime();
        if (nextLogNs != Long.MIN_VALUE && nowNs - nextLogNs < 0)
        {
            suppressed++;
            return;
        }
        nextLogNs = nowNs + INTERVAL_NS;
        LOG.warn("bad input: {} (topic {}, partition {}, offset {}, key {}, value {}){}",
            outputs.errorReason(), slot.sourceTopic(), slot.sourcePartition(), slot.sourceOffset(),
            preview(slot.key()), preview(slot.input()),
            suppressed == 0 ? "" : "; " + suppressed + " more bad inputs since the last message");
        suppressed = 0;
    }

    private static String preview(final ByteSlice slice)
    {
        if (slice.isNull())
        {
            return "null";
        }
        final String text = slice.toUtf8String();
        return "'" + (text.length() > PREVIEW_BYTES ? text.substring(0, PREVIEW_BYTES) + "..." : text) + "'";
    }
}
