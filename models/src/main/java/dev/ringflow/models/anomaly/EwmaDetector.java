package dev.ringflow.models.anomaly;

import dev.ringflow.windows.WindowSnapshots;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Judges each value of a key against the exponentially weighted mean and variance of the key's previous values
 * (Finch, "Incremental calculation of weighted mean and variance", 2009, section 9):
 * <pre>
 *   first value:  mean = x; var = 0
 *   later values: diff = x - mean; incr = alpha * diff; mean = mean + incr; var = (1 - alpha) * (var + diff * incr)
 * </pre>
 * The value's z is taken against {@code mean} and {@code sqrt(var)} as they were <em>before</em> the value was
 * added (the current value excluded, as in a window z-score), then the state is updated. The first value of a key
 * has no baseline: z, mean and std are NaN and it is never an anomaly.
 * <p>
 * <b>Note:</b> Per key three numbers (mean, variance, count) in flat arrays that grow by doubling when a key id
 * exceeds the capacity: allocation free in steady state, O(1) per value. Not thread-safe: one owner thread.
 */
public final class EwmaDetector extends Verdict
{
    private final double alpha;
    private double[] means;
    private double[] variances;
    private long[] counts;

    EwmaDetector(final AnomalySpec spec, final int expectedKeys)
    {
        super(spec);
        alpha = spec.alpha();
        final int capacity = Math.max(1, expectedKeys);
        means = new double[capacity];
        variances = new double[capacity];
        counts = new long[capacity];
    }

    @Override
    public boolean onValue(final int keyId, final long timeMs, final double value)
    {
        if (keyId < 0)
        {
            throw new IllegalArgumentException("key id must be >= 0, was " + keyId);
        }
        if (keyId >= counts.length)
        {
            grow(keyId);
        }
        final long previous = counts[keyId];
        if (0 == previous)
        {
            if (Double.isFinite(value))
            {
                means[keyId] = value;
                variances[keyId] = 0;
                counts[keyId] = 1;
            }
            return judge(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        final double oldMean = means[keyId];
        final double oldVariance = variances[keyId];
        final boolean anomaly = judge(value, oldMean, Math.sqrt(oldVariance), previous);
        if (Double.isFinite(value))
        {
            final double diff = value - oldMean;
            final double increment = alpha * diff;
            means[keyId] = oldMean + increment;
            variances[keyId] = (1 - alpha) * (oldVariance + diff * increment);
            counts[keyId] = previous + 1;
        }
        return anomaly;
    }

    private void grow(final int keyId)
    {
        final int capacity = Math.max(keyId + 1, 2 * counts.length);
        means = Arrays.copyOf(means, capacity);
        variances = Arrays.copyOf(variances, capacity);
        counts = Arrays.copyOf(counts, capacity);
    }

    @Override
    public void forget(final int keyId)
    {
        if (0 <= keyId && keyId < counts.length)
        {
            means[keyId] = 0;
            variances[keyId] = 0;
            counts[keyId] = 0;
        }
    }

    /** Writes alpha (for checking) and every key's mean, variance and count, bit for bit. */
    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeCheck(out, Double.doubleToLongBits(alpha));
        int keys = counts.length;
        while (keys > 0 && 0 == counts[keys - 1])
        {
            keys--;
        }
        WindowSnapshots.writeDoubles(out, means, keys);
        WindowSnapshots.writeDoubles(out, variances, keys);
        WindowSnapshots.writeLongs(out, counts, keys);
    }

    /**
     * Replaces every key's state by one {@link #writeState} wrote.
     *
     * @throws dev.ringflow.windows.SnapshotMismatchException when the snapshot was taken with another alpha.
     */
    @Override
    public void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readCheck(in, Double.doubleToLongBits(alpha), "ewma alpha (IEEE 754 bits)");
        final double[] means = WindowSnapshots.readDoubles(in, 1);
        final double[] variances = WindowSnapshots.readDoubles(in, means.length);
        final long[] counts = WindowSnapshots.readLongs(in, means.length);
        final int capacity = Math.max(means.length, Math.max(variances.length, counts.length));
        this.means = Arrays.copyOf(means, capacity);
        this.variances = Arrays.copyOf(variances, capacity);
        this.counts = Arrays.copyOf(counts, capacity);
    }
}
