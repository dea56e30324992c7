package dev.ringflow.windows;

import java.util.EnumSet;
import java.util.Set;

/**
 * One window of a {@link FeatureWindows}: a key's last {@code range} events ({@link #countWindow}) or its events of
 * the last {@code rangeMs} milliseconds of event time ({@link #timeWindow}), the aggregations to compute over them,
 * and whether the current event is part of its own window. Fluent setters; {@link #conclude()} validates.
 * <pre>
 *   FeatureWindowSpec.countWindow(5).aggregations(EnumSet.of(MEAN, MAX))
 *   FeatureWindowSpec.timeWindow(3_600_000).aggregations(EnumSet.of(COUNT, SUM)).excludeCurrent(true)
 * </pre>
 * <p>
 * <b>Note:</b> Mutable; a {@link FeatureWindows} concludes and keeps a copy. Not thread-safe.
 */
public final class FeatureWindowSpec
{
    /** Time windows up to this range (about 146 years) leave room for event times of any epoch-based clock. */
    public static final long MAX_RANGE_MS = 1L << 52;

    private final boolean isCountWindow;
    private final long range;
    private final EnumSet<Aggregation> aggregations = EnumSet.noneOf(Aggregation.class);
    private boolean excludeCurrent;
    private long outOfOrdernessMs;

    private FeatureWindowSpec(final boolean isCountWindow, final long range)
    {
        this.isCountWindow = isCountWindow;
        this.range = range;
    }

    /** The key's last {@code range} events that carry the window's value, in arrival order (event time ignored). */
    public static FeatureWindowSpec countWindow(final int range)
    {
        return new FeatureWindowSpec(true, range);
    }

    /** The key's events whose time lies in {@code (t - rangeMs, t]} for an event at time {@code t}. */
    public static FeatureWindowSpec timeWindow(final long rangeMs)
    {
        return new FeatureWindowSpec(false, rangeMs);
    }

    public FeatureWindowSpec aggregations(final Set<Aggregation> aggregations)
    {
        this.aggregations.clear();
        this.aggregations.addAll(aggregations);
        return this;
    }

    /** True: an event's aggregates are over the key's previous events only (Flink's {@code 1 PRECEDING} end). */
    public FeatureWindowSpec excludeCurrent(final boolean excludeCurrent)
    {
        this.excludeCurrent = excludeCurrent;
        return this;
    }

    /**
     * How far behind the key's latest event time a late event may be and still see all of its window (time windows
     * only; 0 by default): elements are kept until they are older than {@code maxTime - rangeMs - outOfOrdernessMs}.
     */
    public FeatureWindowSpec outOfOrdernessMs(final long outOfOrdernessMs)
    {
        this.outOfOrdernessMs = outOfOrdernessMs;
        return this;
    }

    public boolean isCountWindow()
    {
        return isCountWindow;
    }

    /** Events for a count window, milliseconds for a time window. */
    public long range()
    {
        return range;
    }

    public Set<Aggregation> aggregations()
    {
        return EnumSet.copyOf(aggregations);
    }

    public boolean excludeCurrent()
    {
        return excludeCurrent;
    }

    public long outOfOrdernessMs()
    {
        return outOfOrdernessMs;
    }

    /**
     * Checks the window is well defined.
     *
     * @throws IllegalArgumentException naming the parameter that is not.
     */
    public FeatureWindowSpec conclude()
    {
        if (range < 1 || range > (isCountWindow ? Integer.MAX_VALUE : MAX_RANGE_MS))
        {
            throw new IllegalArgumentException(this + ": range must be from 1 to " +
                (isCountWindow ? Integer.MAX_VALUE : MAX_RANGE_MS) + ", was " + range);
        }
        if (aggregations.isEmpty())
        {
            throw new IllegalArgumentException(this + ": aggregations must name at least one aggregation");
        }
        if (outOfOrdernessMs < 0 || outOfOrdernessMs > MAX_RANGE_MS)
        {
            throw new IllegalArgumentException(this + ": out-of-orderness must be from 0 to " + MAX_RANGE_MS +
                " ms, was " + outOfOrdernessMs);
        }
        if (isCountWindow && outOfOrdernessMs != 0)
        {
            throw new IllegalArgumentException(this + ": out-of-orderness applies to time windows only; " +
                "a count window takes events in arrival order");
        }
        return this;
    }

    /** A spec of the same window that later changes to this one leave alone. */
    FeatureWindowSpec copy()
    {
        return new FeatureWindowSpec(isCountWindow, range).aggregations(aggregations).excludeCurrent(excludeCurrent)
            .outOfOrdernessMs(outOfOrdernessMs);
    }

    /** Bit {@code 1 << ordinal} for each aggregation. */
    int aggregationBits()
    {
        int bits = 0;
        for (final Aggregation aggregation : aggregations)
        {
            bits |= 1 << aggregation.ordinal();
        }
        return bits;
    }

    boolean needs(final Aggregation aggregation)
    {
        return aggregations.contains(aggregation);
    }

    @Override
    public String toString()
    {
        return (isCountWindow ? "count window (range " : "time window (range-ms ") + range + ")";
    }
}
