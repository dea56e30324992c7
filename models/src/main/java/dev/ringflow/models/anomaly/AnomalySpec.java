package dev.ringflow.models.anomaly;

/**
 * What an {@link AnomalyDetector} is: its baseline (the key's last {@code range} values, its values of the last
 * {@code rangeMs} of event time, or an EWMA with {@code alpha}) and its {@link ZScore} rule ({@code threshold},
 * {@code minCount}, {@code minStd}). Fluent setters; {@link #conclude()} validates.
 * <pre>
 *   AnomalyDetector detector = AnomalySpec.countWindow(100).threshold(3).minCount(10).newDetector(10_000);
 *   AnomalyDetector ewma = AnomalySpec.ewma(0.05).threshold(4).newDetector(10_000);
 * </pre>
 * <b>Note:</b> Mutable, not thread-safe; a detector keeps the values it was built with.
 */
public final class AnomalySpec
{
    /** The default threshold on |z|. */
    public static final double DEFAULT_THRESHOLD = 3.0;
    /** The default number of previous values needed before a value can be an anomaly. */
    public static final long DEFAULT_MIN_COUNT = 2;

    /** The kind of baseline. */
    public enum Method
    {
        /** Population mean and standard deviation of the key's previous values in a count window. */
        ZSCORE_COUNT,
        /** Population mean and standard deviation of the key's previous values in an event-time window. */
        ZSCORE_TIME,
        /** Exponentially weighted mean and variance of all the key's previous values. */
        EWMA
    }

    private final Method method;
    private final long range;
    private final double alpha;
    private double threshold = DEFAULT_THRESHOLD;
    private long minCount = DEFAULT_MIN_COUNT;
    private double minStd = ZScore.DEFAULT_MIN_STD;
    private long outOfOrdernessMs;

    private AnomalySpec(final Method method, final long range, final double alpha)
    {
        this.method = method;
        this.range = range;
        this.alpha = alpha;
    }

    /** A z-score against the key's last {@code range} previous values, in arrival order. */
    public static AnomalySpec countWindow(final int range)
    {
        return new AnomalySpec(Method.ZSCORE_COUNT, range, Double.NaN);
    }

    /** A z-score against the key's previous values with times in {@code (t - rangeMs, t]}, t the value's time. */
    public static AnomalySpec timeWindow(final long rangeMs)
    {
        return new AnomalySpec(Method.ZSCORE_TIME, rangeMs, Double.NaN);
    }

    /** A z-score against the exponentially weighted mean and variance with weight {@code alpha} on a new value. */
    public static AnomalySpec ewma(final double alpha)
    {
        return new AnomalySpec(Method.EWMA, 0, alpha);
    }

    public AnomalySpec threshold(final double threshold)
    {
        this.threshold = threshold;
        return this;
    }

    public AnomalySpec minCount(final long minCount)
    {
        this.minCount = minCount;
        return this;
    }

    public AnomalySpec minStd(final double minStd)
    {
        this.minStd = minStd;
        return this;
    }

    /** Time windows only: how late a value may be and still be judged against its whole window (0 by default). */
    public AnomalySpec outOfOrdernessMs(final long outOfOrdernessMs)
    {
        this.outOfOrdernessMs = outOfOrdernessMs;
        return this;
    }

    public Method method()
    {
        return method;
    }

    /** Values for a count window, milliseconds for a time window, 0 for EWMA. */
    public long range()
    {
        return range;
    }

    /** NaN unless EWMA. */
    public double alpha()
    {
        return alpha;
    }

    public double threshold()
    {
        return threshold;
    }

    public long minCount()
    {
        return minCount;
    }

    public double minStd()
    {
        return minStd;
    }

    public long outOfOrdernessMs()
    {
        return outOfOrdernessMs;
    }

    /**
     * Checks the detector is well defined (a window's range is checked by the windows module).
     *
     * @throws IllegalArgumentException naming the parameter that is not.
     */
    public AnomalySpec conclude()
    {
        if (method == Method.EWMA && !(alpha > 0 && alpha <= 1))
        {
            throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold))
        {
            throw new IllegalArgumentException("threshold must be a finite number >= 0, was " + threshold);
        }
        if (minCount < 0)
        {
            throw new IllegalArgumentException("min-count must be >= 0, was " + minCount);
        }
        if (!(minStd > 0) || Double.isInfinite(minStd))
        {
            throw new IllegalArgumentException("min-std must be a finite number > 0, was " + minStd);
        }
        if (method != Method.ZSCORE_TIME && outOfOrdernessMs != 0)
        {
            throw new IllegalArgumentException("out-of-orderness applies to a time window (range-ms) only");
        }
        return this;
    }

    /** A detector of this definition (concluded first). */
    public AnomalyDetector newDetector(final int expectedKeys)
    {
        conclude();
        if (method == Method.EWMA)
        {
            return new EwmaDetector(this, expectedKeys);
        }
        // A count window of modest range keeps every key's ring in one flat array, allocated for the keys seen;
        // a longer one grows each key's ring with its own values instead.
        return method == Method.ZSCORE_COUNT && range <= CountZScoreDetector.MAX_RANGE ?
            new CountZScoreDetector(this, expectedKeys) : new WindowZScoreDetector(this, expectedKeys);
    }

    @Override
    public String toString()
    {
        switch (method)
        {
            case ZSCORE_COUNT:
                return "zscore over range " + range;
            case ZSCORE_TIME:
                return "zscore over range-ms " + range;
            default:
                return "ewma with alpha " + alpha;
        }
    }
}
