package dev.ringflow.windows;

import java.io.IOException;
import java.io.DataOutput;

import java.io.DataInput;

/**
 * Count, mean and sum of squared deviations (M2) of a sliding window, kept with the two-stacks method: a running
 * Welford aggregate of recent elements (the back) and precomputed suffix aggregates of older ones (the front),
 * merged with Chan's formula. Nothing is ever subtracted, so a huge value leaving the window leaves no
 * cancellation error behind. Amortized O(1) per element: each element is folded into a suffix once.
 * <p>
 * <b>Note:</b> Not thread-safe; allocation free after construction ({@code 16 * range} bytes).
 */
final class SlidingVariance
{
    private final int range;
    private final double[] suffixMean;
    private final double[] suffixM2;
    /** Element numbers (1-based) of the front's oldest and newest elements; empty when first > last. */
    private long frontFirst = 1;
    private long frontLast;
    private long backCount;
    private double backMean;
    private double backM2;
    private double mean;
    private double m2;

    SlidingVariance(final int range)
    {
        this.range = range;
        suffixMean = new double[range];
        suffixM2 = new double[range];
    }

    /**
     * Adds element {@code sequence}; when {@code evicts}, element {@code sequence - range} leaves first. The
     * window's values are in {@code values}, element n at {@code valuesOffset + stride * ((n - 1) % range)}.
     */
    void add(final long sequence, final double value, final boolean evicts, final long[] values,
        final int valuesOffset, final int stride, final boolean isLong)
    {
        if (evicts)
        {
            if (frontFirst > frontLast)
            {
                flip(sequence - 1, values, valuesOffset, stride, isLong);
            }
            frontFirst++;
        }
        backCount++;
        final double delta = value - backMean;
        backMean += delta / backCount;
        backM2 += delta * (value - backMean);
    }

    void reset()
    {
        frontFirst = 1;
        frontLast = 0;
        backCount = 0;
        backMean = 0;
        backM2 = 0;
    }

    /** Merges front and back into the window's aggregate; then read {@link #variance(long)}. */
    double variance(final long count)
    {
        if (frontFirst > frontLast)
        {
            return backM2 / count;
        }
        final int index = index(frontFirst);
        final long frontCount = frontLast - frontFirst + 1;
        final double delta = backMean - suffixMean[index];
        final double m2 = suffixM2[index] + backM2 + delta * delta * frontCount * backCount / count;
        return Math.max(0, m2 / count);
    }

    /** Moves the back's elements (up to {@code newest}) to the front as suffix aggregates, newest first. */
    private void flip(final long newest, final long[] values, final int valuesOffset, final int stride,
        final boolean isLong)
    {
        final long oldest = newest - backCount + 1;
        long n = 0;
        double mean = 0;
        double m2 = 0;
        for (long sequence = newest; sequence >= oldest; sequence--)
        {
            final int index = index(sequence);
            final long bits = values[valuesOffset + index * stride];
            final double value = isLong ? bits : Double.longBitsToDouble(bits);
            n++;
            final double delta = value - mean;
            mean += delta / n;
            m2 += delta * (value - mean);
            suffixMean[index] = mean;
            suffixM2[index] = m2;
        }
        frontFirst = oldest;
        frontLast = newest;
        backCount = 0;
        backMean = 0;
        backM2 = 0;
    }

    private int index(final long sequence)
    {
        return (int)((sequence - 1) % range);
    }

    void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeDoubles(out, suffixMean, range);
        WindowSnapshots.writeDoubles(out, suffixM2, range);
        out.writeLong(frontFirst);
        out.writeLong(frontLast);
        out.writeLong(backCount);
        out.writeDouble(backMean);
        out.writeDouble(backM2);
    }

    void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readDoubles(in, suffixMean);
        WindowSnapshots.readDoubles(in, suffixM2);
        frontFirst = in.readLong();
        frontLast = in.readLong();
        backCount = in.readLong();
        backMean = in.readDouble();
        backM2 = in.readDouble();
    }
}
