package dev.ringflow.windows;

/**
 * The window that just fired: a mutable flyweight owned by its {@link CountWindowAggregator}.
 * <p>
 * <b>Note:</b> Valid until the aggregator's next add; copy what must outlive it. Only the aggregates the window was
 * built for are computed; the others read as 0.
 */
public final class WindowResult
{
    private final ValueKind kind;
    int keyId;
    long count;
    long lastSequence;
    long sumLong;
    double sum;
    long min;
    long max;
    long first;
    long last;
    double variance;
    boolean isFinal = true;
    long windowStartMs;
    long windowEndMs;
    long firstTimeMs;
    long lastTimeMs;
    double mergeMean;
    double mergeM2;

    WindowResult(final ValueKind kind)
    {
        this.kind = kind;
    }

    /** Labels the aggregates just merged as the time or session window {@code [startMs, endMs)} of {@code keyId}. */
    void timeWindow(final int keyId, final long startMs, final long endMs, final boolean isFinal)
    {
        this.keyId = keyId;
        this.windowStartMs = startMs;
        this.windowEndMs = endMs;
        this.lastSequence = 0;
        this.isFinal = isFinal;
    }

    public int keyId()
    {
        return keyId;
    }

    /** Elements in the window. */
    public long count()
    {
        return count;
    }

    /** The key's element number (1-based) of the oldest element in the window; 0 for time and session windows. */
    public long firstSequence()
    {
        return 0 == lastSequence ? 0 : lastSequence - count + 1;
    }

    /**
     * The key's element number (1-based) of the newest element, the one that fired the window; 0 for time and
     * session windows.
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * False for an early result: a window still open reported before it closes; true for the one final result.
     */
    public boolean isFinal()
    {
        return isFinal;
    }

    /** Start of a time window (inclusive), in the events' time unit; 0 for count windows. */
    public long windowStartMs()
    {
        return windowStartMs;
    }

    /** End of a time window (exclusive); 0 for count windows. */
    public long windowEndMs()
    {
        return windowEndMs;
    }

    /**
     * @return true when {@code aggregation} is an exact integer: COUNT always; SUM, MIN, MAX, FIRST and LAST of
     * {@link ValueKind#LONG} windows.
     */
    public boolean isIntegral(final Aggregation aggregation)
    {
        switch (aggregation)
        {
            case COUNT:
                return true;
            case SUM:
            case MIN:
            case MAX:
            case FIRST:
            case LAST:
                return kind == ValueKind.LONG;
            default:
                return false;
        }
    }

    /**
     * The aggregate as a long: exact when {@link #isIntegral} is true, else the double value truncated.
     */
    public long longValue(final Aggregation aggregation)
    {
        if (!isIntegral(aggregation))
        {
            return (long)doubleValue(aggregation);
        }
        switch (aggregation)
        {
            case COUNT:
                return count;
            case SUM:
                return sumLong;
            case MIN:
                return min;
            case MAX:
                return max;
            case FIRST:
                return first;
            default:
                return last;
        }
    }

    /**
     * The aggregate as a double (integral aggregates converted).
     */
    public double doubleValue(final Aggregation aggregation)
    {
        final boolean isLong = kind == ValueKind.LONG;
        switch (aggregation)
        {
            case COUNT:
                return count;
            case SUM:
                return isLong ? sumLong : sum;
            case MIN:
                return isLong ? min : Double.longBitsToDouble(min);
            case MAX:
                return isLong ? max : Double.longBitsToDouble(max);
            case FIRST:
                return isLong ? first : Double.longBitsToDouble(first);
            case LAST:
                return isLong ? last : Double.longBitsToDouble(last);
            case MEAN:
                return (isLong ? (double)sumLong : sum) / count;
            case VARIANCE:
                return variance;
            default:
                return Math.sqrt(variance);
        }
    }
}
