package dev.ringflow.models.anomaly;

/**
 * The z rule every detector applies: {@code z = (x - mean) / max(std, minStd)}, an anomaly when at least
 * {@code minCount} previous values exist and {@code |z| > threshold}.
 * <p>
 * The floor {@code minStd} keeps a key whose previous values were all equal (std 0) from dividing by zero: any
 * different value then gets a very large z, the same value z 0. With no previous value the mean is NaN, so is z, and
 * no value is an anomaly.
 * <p>
 * <b>Note:</b> Stateless; allocation free.
 */
public final class ZScore
{
    /** The default floor of the standard deviation. */
    public static final double DEFAULT_MIN_STD = 1e-9;

    private ZScore()
    {
    }

    /** {@code (x - mean) / max(std, minStd)}; NaN when mean or std is NaN. */
    public static double z(final double x, final double mean, final double std, final double minStd)
    {
        // Math.max propagates NaN, so an empty baseline gives NaN, never a z against an arbitrary floor.
        return (x - mean) / Math.max(std, minStd);
    }

    /** True when {@code previousCount >= minCount} and {@code |z| > threshold}; false for a NaN z. */
    public static boolean isAnomaly(final double z, final long previousCount, final long minCount,
        final double threshold)
    {
        return previousCount >= minCount && Math.abs(z) > threshold;
    }
}
