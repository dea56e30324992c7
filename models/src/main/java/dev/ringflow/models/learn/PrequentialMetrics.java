package dev.ringflow.models.learn;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * Log-loss and AUC of the scores a learner gave its last {@code window} labelled events before learning from them
 * (prequential evaluation). Recording is O(1) and allocation free; the metrics are computed on demand, off the hot
 * path, in O(window log window).
 * <p>
 * Log-loss is the mean of {@code -(y ln p + (1 - y) ln(1 - p))} with p clipped to {@code [1e-15, 1 - 1e-15]}. AUC is
 * the Mann-Whitney statistic: the fraction of (positive, negative) pairs whose positive scored higher, a tie
 * counting one half; NaN while the window lacks either class.
 * <p>
 * <b>Note:</b> Not thread-safe: read the metrics on the thread that records, or hand a copy over.
 */
public final class PrequentialMetrics
{
    static final double CLIP = 1e-15;

    private final double[] scores;
    private final byte[] labels;
    private final double[] positives;
    private final double[] negatives;
    private long recorded;

    PrequentialMetrics(final int window)
    {
        scores = new double[window];
        labels = new byte[window];
        positives = new double[window];
        negatives = new double[window];
    }

    void record(final double score, final boolean positive)
    {
        final int slot = (int)(recorded % scores.length);
        scores[slot] = score;
        labels[slot] = (byte)(positive ? 1 : 0);
        recorded++;
    }

    /** Labelled events recorded since the learner started. */
    public long recorded()
    {
        return recorded;
    }

    /** Labelled events the metrics are over: the window, or fewer at the start. */
    public int size()
    {
        return (int)Math.min(recorded, scores.length);
    }

    /** Mean log-loss over the window; NaN when it is empty. */
    public double logLoss()
    {
        final int size = size();
        double sum = 0;
        for (int i = 0; i < size; i++)
        {
            sum += logLoss(scores[i], 1 == labels[i]);
        }
        return 0 == size ? Double.NaN : sum / size;
    }

    static double logLoss(final double score, final boolean positive)
    {
        final double p = Math.min(1 - CLIP, Math.max(CLIP, score));
        return positive ? -Math.log(p) : -Math.log(1 - p);
    }

    /** AUC over the window (exact, ties one half); NaN unless it holds both a positive and a negative. */
    public double auc()
    {
        final int size = size();
        int p = 0;
        int n = 0;
        for (int i = 0; i < size; i++)
        {
            if (1 == labels[i])
            {
                positives[p++] = scores[i];
            }
            else
            {
                negatives[n++] = scores[i];
            }
        }
        if (0 == p || 0 == n)
        {
            return Double.NaN;
        }
        Arrays.sort(positives, 0, p);
        Arrays.sort(negatives, 0, n);
        // For each positive in ascending order, count the negatives below it and equal to it (two pointers).
        long twiceWins = 0;
        int below = 0;
        int belowOrEqual = 0;
        for (int i = 0; i < p; i++)
        {
            final double score = positives[i];
            while (below < n && negatives[below] < score)
            {
                below++;
            }
            while (belowOrEqual < n && negatives[belowOrEqual] <= score)
            {
                belowOrEqual++;
            }
            twiceWins += below + (long)belowOrEqual;
        }
        return twiceWins / (2.0 * p * n);
    }

    void writeState(final DataOutput out) throws IOException
    {
        out.writeInt(scores.length);
        out.writeLong(recorded);
        final int size = size();
        for (int i = 0; i < size; i++)
        {
            out.writeDouble(scores[i]);
            out.writeByte(labels[i]);
        }
    }

    void readState(final DataInput in) throws IOException
    {
        final int window = in.readInt();
        if (window != scores.length)
        {
            throw new IllegalStateException("the snapshot's metrics window is " + window + " events, the learner's " +
                scores.length + ": a learner restores only a snapshot of the same definition");
        }
        final long recorded = in.readLong();
        if (recorded < 0)
        {
            throw new StreamCorruptedException("negative count of labelled events: " + recorded);
        }
        this.recorded = recorded;
        final int size = size();
        for (int i = 0; i < size; i++)
        {
            scores[i] = in.readDouble();
            labels[i] = in.readByte();
        }
    }
}
