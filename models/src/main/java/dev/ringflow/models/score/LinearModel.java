package dev.ringflow.models.score;

import java.util.List;

/**
 * A linear model {@code z = bias + sum(weights[i] * x[i])}, scored as z (identity link) or {@code 1 / (1 + e^-z)}
 * (logistic link), summed in double in feature order.
 * <p>
 * A NaN feature makes the score NaN unless the file says {@code "missing": "zero"}, which skips it (as x = 0).
 * <p>
 * <b>Note:</b> immutable, thread-safe, allocation free.
 */
final class LinearModel extends LoadedModel
{
    private final double[] weights;
    private final double bias;
    private final boolean logistic;
    private final boolean missingAsZero;

    LinearModel(final String sourceName, final String version, final List<String> featureNames, final double[] weights,
        final double bias, final boolean logistic, final boolean missingAsZero)
    {
        super(ModelKind.RINGFLOW_LINEAR, sourceName, version, featureNames, true);
        this.weights = weights;
        this.bias = bias;
        this.logistic = logistic;
        this.missingAsZero = missingAsZero;
    }

    @Override
    public boolean handlesMissing()
    {
        return missingAsZero;
    }

    @Override
    public double score(final double[] features)
    {
        final double[] weights = this.weights;
        double z = bias;
        for (int i = 0; i < weights.length; i++)
        {
            final double x = features[i];
            if (x != x)
            {
                if (!missingAsZero)
                {
                    return Double.NaN;
                }
                continue;
            }
            z += weights[i] * x;
        }
        return logistic ? 1.0 / (1.0 + Math.exp(-z)) : z;
    }
}
