package dev.ringflow.models.anomaly;

/**
 * The evidence of a detector's last value and the {@link ZScore} rule that produced it: what every
 * {@link AnomalyDetector} shares, whatever its baseline.
 * <p>
 * <b>Note:</b> Allocation free; not thread-safe.
 */
abstract class Verdict implements AnomalyDetector
{
    private final double threshold;
    private final long minCount;
    private final double minStd;
    private double z = Double.NaN;
    private double mean = Double.NaN;
    private double std = Double.NaN;
    private long count;

    Verdict(final AnomalySpec spec)
    {
        threshold = spec.threshold();
        minCount = spec.minCount();
        minStd = spec.minStd();
    }

    /**
     * Records the baseline the value was judged against and judges it.
     *
     * @return true when the value is an anomaly; false when it is missing (z is then NaN).
     */
    final boolean judge(final double value, final double mean, final double std, final long count)
    {
        this.mean = mean;
        this.std = std;
        this.count = count;
        z = Double.isFinite(value) ? ZScore.z(value, mean, std, minStd) : Double.NaN;
        return ZScore.isAnomaly(z, count, minCount, threshold);
    }

    @Override
    public final double z()
    {
        return z;
    }

    @Override
    public final double mean()
    {
        return mean;
    }

    @Override
    public final double std()
    {
        return std;
    }

    @Override
    public final long count()
    {
        return count;
    }
}
