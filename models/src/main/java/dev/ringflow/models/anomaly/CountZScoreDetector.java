package dev.ringflow.models.anomaly;

import dev.ringflow.windows.WindowSnapshots;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Judges each value of a key against the population mean and standard deviation of the key's previous
 * {@code range} finite values (a count window, the current value excluded), in O(1) per value with two memory
 * places per key: its line of statistics and its ring of values.
 * <p>
 * <b>Numbers.</b> Per key, a shift {@code K} (a recent mean), and the sums of the values minus K and of their
 * squares. A full window replaces its oldest value in both sums, so the mean is {@code K + S / n} and the variance
 * {@code Q / n - (S / n)^2}; shifted by a value near the mean, neither suffers the cancellation of raw sums of
 * squares, and each replacement adds at most a rounding of a squared deviation. Every {@code range} replacements
 * (each time the ring wraps) the key's sums are computed again from its values in two passes, with K their mean,
 * so rounding never accumulates over more than one window: the mean and standard deviation agree with a two-pass
 * computation to within about {@code range * 2^-52} relative.
 * <p>
 * <b>Memory.</b> Per key {@value #STRIDE} doubles of statistics (shift, S, Q, and a word holding the count and the
 * ring's head) and {@code range} doubles of values, in flat arrays that grow by doubling when a key id exceeds the
 * capacity: allocation free in steady state. Not thread-safe: one owner thread.
 */
public final class CountZScoreDetector extends Verdict
{
    /**
     * The longest range kept in flat rings, whose memory is {@code range} values for every key id up to the largest
     * seen (rounded up to a power of two) from the first value of each key; longer ones use
     * {@link WindowZScoreDetector}, whose rings grow with each key's values.
     */
    static final int MAX_RANGE = 4096;
    /** Words of statistics per key: shift, sum, sum of squares, count and head. */
    static final int STRIDE = 4;
    private static final int SHIFT = 0;
    private static final int SUM = 1;
    private static final int SQUARES = 2;
    private static final int POSITION = 3;
    /** Marks this detector's state in a snapshot: another format (an older release's) is refused, not misread. */
    private static final long FORMAT = 0x5a52494e47000001L;

    private final int range;
    private double[] stats;
    private double[] ring;

    CountZScoreDetector(final AnomalySpec spec, final int expectedKeys)
    {
        super(spec);
        if (spec.range() < 1 || spec.range() > MAX_RANGE)
        {
            throw new IllegalArgumentException("range must be from 1 to " + MAX_RANGE + ", was " + spec.range());
        }
        range = (int)spec.range();
        final int capacity = Math.max(1, expectedKeys);
        stats = new double[capacity * STRIDE];
        ring = new double[Math.multiplyExact(capacity, range)];
    }

    @Override
    public boolean onValue(final int keyId, final long timeMs, final double value)
    {
        if (keyId < 0)
        {
            throw new IllegalArgumentException("key id must be >= 0, was " + keyId);
        }
        final int base = keyId * STRIDE;
        if (base >= stats.length)
        {
            grow(keyId);
        }
        final double[] stats = this.stats;
        final long position = Double.doubleToRawLongBits(stats[base + POSITION]);
        final int count = (int)position;
        final int head = (int)(position >>> 32);
        final double shift = stats[base + SHIFT];
        final double sum = stats[base + SUM];
        final double squares = stats[base + SQUARES];
        final boolean anomaly;
        if (0 == count)
        {
            anomaly = judge(value, Double.NaN, Double.NaN, 0);
        }
        else
        {
            final double meanShifted = sum / count;
            anomaly = judge(value, shift + meanShifted,
                Math.sqrt(Math.max(0, squares / count - meanShifted * meanShifted)), count);
        }
        if (Double.isFinite(value))
        {
            add(keyId, base, count, head, value);
        }
        return anomaly;
    }

    private void add(final int keyId, final int base, final int count, final int head, final double value)
    {
        final double[] stats = this.stats;
        final int slot = keyId * range + head;
        final int next = head + 1 == range ? 0 : head + 1;
        if (count < range)
        {
            final double shift = 0 == count ? value : stats[base + SHIFT];
            final double deviation = value - shift;
            ring[slot] = value;
            stats[base + SHIFT] = shift;
            stats[base + SUM] += deviation;
            stats[base + SQUARES] += deviation * deviation;
            stats[base + POSITION] = position(count + 1, next);
            return;
        }
        final double shift = stats[base + SHIFT];
        final double leaving = ring[slot] - shift;
        final double entering = value - shift;
        ring[slot] = value;
        stats[base + POSITION] = position(count, next);
        if (0 == next)
        {
            resum(keyId, base);
        }
        else
        {
            stats[base + SUM] += entering - leaving;
            stats[base + SQUARES] += (entering - leaving) * (entering + leaving);
        }
    }

    /** The key's sums from its values again, shifted by their mean: two passes over its full ring. */
    private void resum(final int keyId, final int base)
    {
        final double[] ring = this.ring;
        final int from = keyId * range;
        final int to = from + range;
        double total = 0;
        for (int i = from; i < to; i++)
        {
            total += ring[i];
        }
        final double shift = total / range;
        double sum = 0;
        double squares = 0;
        for (int i = from; i < to; i++)
        {
            final double deviation = ring[i] - shift;
            sum += deviation;
            squares += deviation * deviation;
        }
        stats[base + SHIFT] = shift;
        stats[base + SUM] = sum;
        stats[base + SQUARES] = squares;
    }

    private static double position(final int count, final int head)
    {
        return Double.longBitsToDouble((long)head << 32 | count);
    }

    private void grow(final int keyId)
    {
        final int capacity = Math.max(keyId + 1, 2 * (stats.length / STRIDE));
        stats = Arrays.copyOf(stats, capacity * STRIDE);
        ring = Arrays.copyOf(ring, Math.multiplyExact(capacity, range));
    }

    @Override
    public void forget(final int keyId)
    {
        final int base = keyId * STRIDE;
        if (0 <= keyId && base < stats.length)
        {
            Arrays.fill(stats, base, base + STRIDE, 0);
        }
    }

    /** Writes the format and range (for checking), then every key's statistics and ring, bit for bit. */
    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeCheck(out, FORMAT);
        WindowSnapshots.writeCheck(out, range);
        int keys = stats.length / STRIDE;
        while (keys > 0 && 0 == Double.doubleToRawLongBits(stats[(keys - 1) * STRIDE + POSITION]))
        {
            keys--;
        }
        WindowSnapshots.writeDoubles(out, stats, keys * STRIDE);
        WindowSnapshots.writeDoubles(out, ring, keys * range);
    }

    /**
     * Replaces every key's state by one {@link #writeState} wrote.
     *
     * @throws dev.ringflow.windows.SnapshotMismatchException when the snapshot holds another format or range.
     */
    @Override
    public void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readCheck(in, FORMAT, "zscore baseline format (a count window's ring per key)");
        WindowSnapshots.readCheck(in, range, "zscore range");
        final double[] stats = WindowSnapshots.readDoubles(in, STRIDE);
        final double[] ring = WindowSnapshots.readDoubles(in, range);
        final int keys = Math.max(1, Math.max(stats.length / STRIDE, ring.length / range));
        this.stats = Arrays.copyOf(stats, keys * STRIDE);
        this.ring = Arrays.copyOf(ring, Math.multiplyExact(keys, range));
    }
}
