package dev.ringflow.models.learn;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * Logistic regression learned online by stochastic gradient descent, one labelled event at a time, with one model
 * for the pipeline or one per key (dense key ids from 0). An event with a label is first scored with the model as it
 * is (prequential), the score recorded in the {@link #metrics()}, then learnt; an event without one is only scored.
 * <p>
 * <b>Update.</b> With {@code m = bias + sum over present j of w[j] * x[j]}, {@code p = 1 / (1 + e^-m)} and label
 * {@code y} (0 or 1), {@code g = p - y}; then for each present feature j, in index order:
 * <pre>
 *   grad = g * x[j] + l2 * w[j]
 *   plain SGD: w[j] = w[j] - rate * grad
 *   AdaGrad:   G[j] = G[j] + grad * grad;  w[j] = w[j] - rate * grad / (sqrt(G[j]) + epsilon)
 * </pre>
 * and the bias the same way with {@code grad = g} (no L2) and its own {@code G}. A feature that is NaN is
 * <em>missing</em>: it counts as 0 in the margin and its weight is left alone (no gradient, no L2 shrinkage, no
 * AdaGrad sum), as for a sparse model. The sigmoid is evaluated as {@code 1 / (1 + e^-m)} for {@code m >= 0} and
 * {@code e^m / (1 + e^m)} below, which never overflows.
 * <p>
 * <b>Determinism.</b> Plain double arithmetic in a fixed order, {@code Math.sqrt} (correctly rounded) and
 * {@link StrictMath#exp} (fdlibm, the same bits on every JVM and CPU, where {@code Math.exp} may differ by an ulp):
 * the same events in the same order give the same weights, bit for bit, on any machine, and {@link #writeState} /
 * {@link #readState} carry them exactly.
 * <p>
 * <b>Note:</b> Allocation free in steady state (per-key arrays grow by doubling when a key id exceeds them). Not
 * thread-safe: one owner thread.
 */
public final class LogisticSgdLearner
{
    /** The first int of a snapshot; a learner refuses any other. */
    public static final int SNAPSHOT_FORMAT_VERSION = 1;

    private final int features;
    private final double learningRate;
    private final double l2;
    private final boolean adagrad;
    private final double epsilon;
    private final boolean perKey;
    private final PrequentialMetrics metrics;
    /** Key k's weights from {@code k * features}. */
    private double[] weights;
    private double[] biases;
    /** AdaGrad sums of squared gradients, laid out as weights and biases; empty without AdaGrad. */
    private double[] weightGradientSums;
    private double[] biasGradientSums;
    private int keys;

    LogisticSgdLearner(final SgdSpec spec)
    {
        features = spec.features();
        learningRate = spec.learningRate();
        l2 = spec.l2();
        adagrad = spec.adagrad();
        epsilon = spec.adagradEpsilon();
        perKey = spec.perKey();
        metrics = new PrequentialMetrics(spec.metricsWindow());
        weights = new double[features];
        biases = new double[1];
        weightGradientSums = new double[adagrad ? features : 0];
        biasGradientSums = new double[adagrad ? 1 : 0];
        keys = 1;
    }

    public int features()
    {
        return features;
    }

    /** The log-loss and AUC of the scores given to the last labelled events before learning from them. */
    public PrequentialMetrics metrics()
    {
        return metrics;
    }

    /** The probability of the positive class for features {@code x} under the pipeline's model (key 0). */
    public double score(final double[] x)
    {
        return score(0, x);
    }

    /** The probability of the positive class for features {@code x} under the key's model (0 weights if new). */
    public double score(final int keyId, final double[] x)
    {
        final int key = slot(keyId);
        if (key >= keys)
        {
            return sigmoid(0);
        }
        return sigmoid(margin(key, x));
    }

    /** Learns from one labelled event with the pipeline's model (key 0); returns its score before learning. */
    public double learn(final double[] x, final double label)
    {
        return learn(0, x, label);
    }

    /**
     * Scores the event with the key's model as it is, records that score in the metrics, then takes one SGD step.
     *
     * @param label 0 or 1.
     * @return the score before learning (the prequential score).
     * @throws IllegalArgumentException when the label is neither 0 nor 1, or a key id is negative; the model is then
     *                                  left as it was.
     */
    public double learn(final int keyId, final double[] x, final double label)
    {
        if (label != 0 && label != 1)
        {
            throw new IllegalArgumentException("a label must be 0 or 1, was " + label);
        }
        final int key = slot(keyId);
        if (key >= keys)
        {
            grow(key);
        }
        final double p = sigmoid(margin(key, x));
        metrics.record(p, 1 == label);
        final double g = p - label;
        final double[] weights = this.weights;
        final double[] sums = weightGradientSums;
        final double rate = learningRate;
        final int base = key * features;
        for (int j = 0; j < features; j++)
        {
            final double value = x[j];
            if (value == value)
            {
                final int i = base + j;
                final double gradient = g * value + l2 * weights[i];
                if (adagrad)
                {
                    sums[i] += gradient * gradient;
                    weights[i] -= rate * gradient / (Math.sqrt(sums[i]) + epsilon);
                }
                else
                {
                    weights[i] -= rate * gradient;
                }
            }
        }
        if (adagrad)
        {
            biasGradientSums[key] += g * g;
            biases[key] -= rate * g / (Math.sqrt(biasGradientSums[key]) + epsilon);
        }
        else
        {
            biases[key] -= rate * g;
        }
        return p;
    }

    /** The key's bias (0 for a key never learnt); key ids are ignored for a per-pipeline learner. */
    public double bias(final int keyId)
    {
        final int key = slot(keyId);
        return key < keys ? biases[key] : 0;
    }

    /** The key's weight of feature {@code feature} (0 for a key never learnt). */
    public double weight(final int keyId, final int feature)
    {
        final int key = slot(keyId);
        return key < keys ? weights[key * features + feature] : 0;
    }

    /** Resets a key's model to 0 (per-key learners only); its id may then be given to another key. */
    public void forget(final int keyId)
    {
        final int key = slot(keyId);
        if (perKey && key < keys)
        {
            Arrays.fill(weights, key * features, (key + 1) * features, 0);
            biases[key] = 0;
            if (adagrad)
            {
                Arrays.fill(weightGradientSums, key * features, (key + 1) * features, 0);
                biasGradientSums[key] = 0;
            }
        }
    }

    private double margin(final int key, final double[] x)
    {
        if (x.length != features)
        {
            throw new IllegalArgumentException("expected " + features + " features, got " + x.length);
        }
        final double[] weights = this.weights;
        final int base = key * features;
        double margin = biases[key];
        for (int j = 0; j < features; j++)
        {
            final double value = x[j];
            if (value == value)
            {
                margin += weights[base + j] * value;
            }
        }
        return margin;
    }

    static double sigmoid(final double margin)
    {
        if (margin >= 0)
        {
            return 1 / (1 + StrictMath.exp(-margin));
        }
        final double e = StrictMath.exp(margin);
        return e / (1 + e);
    }

    private int slot(final int keyId)
    {
        if (keyId < 0)
        {
            throw new IllegalArgumentException("key id must be >= 0, was " + keyId);
        }
        return perKey ? keyId : 0;
    }

    private void grow(final int key)
    {
        if (key >= biases.length)
        {
            final int capacity = Math.max(key + 1, 2 * biases.length);
            weights = Arrays.copyOf(weights, capacity * features);
            biases = Arrays.copyOf(biases, capacity);
            if (adagrad)
            {
                weightGradientSums = Arrays.copyOf(weightGradientSums, capacity * features);
                biasGradientSums = Arrays.copyOf(biasGradientSums, capacity);
            }
        }
        keys = key + 1;
    }

    /**
     * Writes the format version, the learner's definition (for checking), every key's weights, bias and AdaGrad
     * sums bit for bit, and the metrics window.
     */
    public void writeState(final DataOutput out) throws IOException
    {
        out.writeInt(SNAPSHOT_FORMAT_VERSION);
        writeDefinition(out);
        out.writeInt(keys);
        for (int i = 0; i < keys * features; i++)
        {
            out.writeDouble(weights[i]);
            if (adagrad)
            {
                out.writeDouble(weightGradientSums[i]);
            }
        }
        for (int k = 0; k < keys; k++)
        {
            out.writeDouble(biases[k]);
            if (adagrad)
            {
                out.writeDouble(biasGradientSums[k]);
            }
        }
        metrics.writeState(out);
    }

    /**
     * Replaces the learner's state by one {@link #writeState} wrote.
     *
     * @throws IllegalStateException when the snapshot has another format version or was taken by a learner defined
     *                               otherwise (its message names the difference).
     */
    public void readState(final DataInput in) throws IOException
    {
        final int version = in.readInt();
        if (version != SNAPSHOT_FORMAT_VERSION)
        {
            throw new IllegalStateException("learner snapshot format version " + version + " is not supported (this " +
                "build reads version " + SNAPSHOT_FORMAT_VERSION + ")");
        }
        final String definition = definition();
        final String theirs = in.readUTF();
        if (!definition.equals(theirs))
        {
            throw new IllegalStateException("the snapshot's learner was " + theirs + ", this one is " + definition);
        }
        final int keys = in.readInt();
        if (keys < 1 || (long)keys * features > Integer.MAX_VALUE)
        {
            throw new StreamCorruptedException("learner snapshot with " + keys + " keys");
        }
        final double[] weights = new double[keys * features];
        final double[] weightGradientSums = new double[adagrad ? weights.length : 0];
        final double[] biases = new double[keys];
        final double[] biasGradientSums = new double[adagrad ? keys : 0];
        for (int i = 0; i < weights.length; i++)
        {
            weights[i] = in.readDouble();
            if (adagrad)
            {
                weightGradientSums[i] = in.readDouble();
            }
        }
        for (int k = 0; k < keys; k++)
        {
            biases[k] = in.readDouble();
            if (adagrad)
            {
                biasGradientSums[k] = in.readDouble();
            }
        }
        metrics.readState(in);
        this.weights = weights;
        this.weightGradientSums = weightGradientSums;
        this.biases = biases;
        this.biasGradientSums = biasGradientSums;
        this.keys = keys;
    }

    private void writeDefinition(final DataOutput out) throws IOException
    {
        out.writeUTF(definition());
    }

    /** The parameters a snapshot must share, as text so a mismatch reads plainly in the error. */
    private String definition()
    {
        return "features " + features + ", learning-rate " + learningRate + ", l2 " + l2 + ", adagrad " + adagrad +
            (adagrad ? " (epsilon " + epsilon + ")" : "") + ", per-key " + perKey;
    }
}
