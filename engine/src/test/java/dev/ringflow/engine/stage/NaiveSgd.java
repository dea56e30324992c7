package dev.ringflow.engine.stage;

import dev.ringflow.models.learn.SgdSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Logistic SGD written from {@code LogisticSgdLearner}'s documented update alone, with boxed lists per key in a map:
 * the same steps in the same order must give the same bits.
 */
final class NaiveSgd
{
    private final int features;
    private final double rate;
    private final double l2;
    private final boolean adagrad;
    private final double epsilon;
    private final boolean perKey;
    private final Map<Integer, List<Double>> weights = new HashMap<>();
    private final Map<Integer, List<Double>> sums = new HashMap<>();

    NaiveSgd(final SgdSpec spec)
    {
        features = spec.features();
        rate = spec.learningRate();
        l2 = spec.l2();
        adagrad = spec.adagrad();
        epsilon = spec.adagradEpsilon();
        perKey = spec.perKey();
    }

    /** Key's model: features weights, then the bias last. */
    List<Double> model(final int keyId)
    {
        return weights.computeIfAbsent(perKey ? keyId : 0, k -> zeros());
    }

    private List<Double> zeros()
    {
        final List<Double> zeros = new ArrayList<>();
        for (int j = 0; j <= features; j++)
        {
            zeros.add(0.0);
        }
        return zeros;
    }

    double score(final int keyId, final double[] x)
    {
        final List<Double> w = model(keyId);
        double m = w.get(features);
        for (int j = 0; j < features; j++)
        {
            if (!Double.isNaN(x[j]))
            {
                m += w.get(j) * x[j];
            }
        }
        return m >= 0 ? 1 / (1 + StrictMath.exp(-m)) : StrictMath.exp(m) / (1 + StrictMath.exp(m));
    }

    double learn(final int keyId, final double[] x, final double y)
    {
        final double p = score(keyId, x);
        final double g = p - y;
        final List<Double> w = model(keyId);
        final List<Double> s = sums.computeIfAbsent(perKey ? keyId : 0, k -> zeros());
        for (int j = 0; j <= features; j++)
        {
            final boolean isBias = j == features;
            if (!isBias && Double.isNaN(x[j]))
            {
                continue;
            }
            final double gradient = isBias ? g : g * x[j] + l2 * w.get(j);
            if (adagrad)
            {
                s.set(j, s.get(j) + gradient * gradient);
                w.set(j, w.get(j) - rate * gradient / (Math.sqrt(s.get(j)) + epsilon));
            }
            else
            {
                w.set(j, w.get(j) - rate * gradient);
            }
        }
        return p;
    }
}
