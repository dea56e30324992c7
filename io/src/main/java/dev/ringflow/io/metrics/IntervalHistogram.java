package dev.ringflow.io.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Nanosecond latencies taken from HdrHistogram recorders interval by interval, kept twice: since start (served as
 * a classic Prometheus histogram with fixed buckets) and over the last {@value #RECENT_INTERVALS} to
 * {@value #RECENT_INTERVALS_MAX} intervals (for quantiles in the status view).
 * <p>
 * <b>Note:</b> Not thread-safe: its owner ({@link PipelineMetrics}) serialises sampling and reading.
 */
final class IntervalHistogram
{
    static final int RECENT_INTERVALS = 5;
    static final int RECENT_INTERVALS_MAX = 2 * RECENT_INTERVALS;

    private final double[] upperBoundsSeconds;
    private final Histogram sinceStart;
    private Histogram recent;
    private Histogram previous;
    private int intervalsInRecent;

    /**
     * @param upperBoundsSeconds the classic buckets' upper bounds, ascending; +Inf is added.
     */
    IntervalHistogram(final long highestTrackableNs, final int significantDigits, final double... upperBoundsSeconds)
    {
        this.upperBoundsSeconds = new double[upperBoundsSeconds.length + 1];
        System.arraycopy(upperBoundsSeconds, 0, this.upperBoundsSeconds, 0, upperBoundsSeconds.length);
        this.upperBoundsSeconds[upperBoundsSeconds.length] = Double.POSITIVE_INFINITY;
        sinceStart = new Histogram(1, highestTrackableNs, significantDigits);
        recent = new Histogram(1, highestTrackableNs, significantDigits);
        previous = new Histogram(1, highestTrackableNs, significantDigits);
    }

    /** Adds one interval's values. */
    void add(final Histogram interval)
    {
        sinceStart.add(interval);
        recent.add(interval);
    }

    /** Ends an interval: every {@value #RECENT_INTERVALS} of them the recent window moves on by that many. */
    void endInterval()
    {
        if (++intervalsInRecent == RECENT_INTERVALS)
        {
            final Histogram older = previous;
            previous = recent;
            recent = older;
            recent.reset();
            intervalsInRecent = 0;
        }
    }

    long count()
    {
        return sinceStart.getTotalCount();
    }

    /** The recent values, for quantiles: the last {@value #RECENT_INTERVALS} intervals at least. */
    Histogram recent()
    {
        final Histogram both = previous.copy();
        both.add(recent);
        return both;
    }

    /**
     * Everything since start as a classic histogram in seconds. Bucket counts are exact up to HdrHistogram's
     * precision (a value within 1% of a bound may count on either side); the sum adds each value's bucket midpoint.
     */
    HistogramSnapshot.HistogramDataPointSnapshot toPrometheus(final Labels labels)
    {
        final long[] counts = new long[upperBoundsSeconds.length];
        double sumSeconds = 0;
        int bucket = 0;
        for (final HistogramIterationValue value : sinceStart.recordedValues())
        {
            final double seconds = value.getValueIteratedTo() / 1e9;
            while (seconds > upperBoundsSeconds[bucket])
            {
                bucket++;
            }
            counts[bucket] += value.getCountAtValueIteratedTo();
            sumSeconds += value.getCountAtValueIteratedTo() *
                sinceStart.medianEquivalentValue(value.getValueIteratedTo()) / 1e9;
        }
        return new HistogramSnapshot.HistogramDataPointSnapshot(
            ClassicHistogramBuckets.of(upperBoundsSeconds, counts), sumSeconds, labels, Exemplars.EMPTY, 0L);
    }
}
