package dev.ringflow.bench.e2e;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * One row of the soak: what the daemon and the load looked like over one sampling interval.
 *
 * @param elapsedS       seconds since the load started, at the end of the interval.
 * @param liveHeapMb     the daemon's heap in use right after a forced full collection: its live objects.
 * @param heapUsedMb     its heap in use just before that collection (garbage included).
 * @param rssMb          its resident set ({@code VmRSS}).
 * @param rssAnonMb      of that, anonymous memory ({@code RssAnon}: heap, metaspace, thread stacks, direct buffers);
 *                       the rest is mostly the journal's mapped file pages.
 * @param latencyMicros  end-to-end latencies of the outputs read in the interval, from their inputs' intended send
 *                       time; may be empty.
 * @param consumerLag    records between the daemon's consumer position and the input's end (its
 *                       {@code ringflow_consumer_lag_records}, summed), or -1 when not known.
 * @param inFlight       records sent and acknowledged whose output had not been read yet.
 * @param offeredRate    records per second the schedule asked for.
 * @param achievedRate   records per second sent in the interval.
 * @param senderLagMs    how far the sender fell behind its schedule at worst in the interval.
 * @param forcedGcMs     how long the forced collection took (it pauses the daemon).
 * @param journalRssMb   of {@code rssMb}, the resident pages of the journal's mapped chunks; NaN when not known.
 * @param journalMaps    how many chunks of journal files were mapped; -1 when not known.
 */
record SoakSample(double elapsedS, double liveHeapMb, double heapUsedMb, double rssMb, double rssAnonMb,
    Histogram latencyMicros, long consumerLag, long inFlight, double offeredRate, double achievedRate,
    double senderLagMs, double forcedGcMs, double journalRssMb, int journalMaps)
{
    static final String CSV_HEADER = "elapsed_s,live_heap_mb,heap_used_mb,rss_mb,rss_anon_mb,outputs," +
        "p50_ms,p99_ms,p999_ms,max_ms,consumer_lag,in_flight,offered_per_s,achieved_per_s,sender_lag_ms," +
        "forced_gc_ms,journal_rss_mb,journal_maps";

    /** The resident set without the journal's mapped chunks: the daemon's own memory and its other mappings. */
    double rssWithoutJournalMb()
    {
        return Double.isNaN(journalRssMb) ? rssMb : rssMb - journalRssMb;
    }

    /** @return the latency at {@code percentile} in ms, or NaN when no output was read in the interval. */
    double latencyMs(final double percentile)
    {
        return latencyMicros.getTotalCount() == 0 ? Double.NaN :
            latencyMicros.getValueAtPercentile(percentile) / 1e3;
    }

    String csvRow()
    {
        return String.format(Locale.ROOT,
            "%.1f,%.1f,%.1f,%.1f,%.1f,%d,%.1f,%.1f,%.1f,%.1f,%d,%d,%.0f,%.0f,%.1f,%.1f,%.1f,%d",
            elapsedS, liveHeapMb, heapUsedMb, rssMb, rssAnonMb, latencyMicros.getTotalCount(), latencyMs(50),
            latencyMs(99), latencyMs(99.9), latencyMicros.getTotalCount() == 0 ? Double.NaN :
            latencyMicros.getMaxValue() / 1e3, consumerLag, inFlight, offeredRate, achievedRate, senderLagMs,
            forcedGcMs, journalRssMb, journalMaps);
    }
}
