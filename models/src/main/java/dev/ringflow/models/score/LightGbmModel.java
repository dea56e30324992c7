package dev.ringflow.models.score;

import java.util.List;

/**
 * A LightGBM model scored as LightGBM's numerical decision does it: in double, {@code x <= threshold} goes left, and
 * a split's missing type (none, zero, NaN) with its default-left bit decides where missing values go.
 * <p>
 * Every tree's internal nodes sit side by side in one set of arrays; a negative link {@code ~i} is leaf {@code i} of
 * one shared leaf array.
 * <p>
 * <b>Note:</b> immutable, thread-safe, allocation free.
 */
final class LightGbmModel extends LoadedModel
{
    static final int DEFAULT_LEFT = 2;
    static final int MISSING_NONE = 0;
    static final int MISSING_ZERO = 1;
    static final int MISSING_NAN = 2;
    /** LightGBM's kZeroThreshold: |x| at or below it counts as zero for a zero missing type. */
    private static final double ZERO_THRESHOLD = 1e-35f;

    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    private final byte[] decision;
    private final int[] left;
    private final int[] right;
    private final double[] leafValue;
    private final double sigmoid;
    private final boolean averageOutput;

    /**
     * @param sigmoid NaN for a regression (raw sum), else the binary objective's sigmoid parameter.
     */
    LightGbmModel(final String sourceName, final String version, final List<String> featureNames,
        final int[] roots, final int[] feature, final double[] threshold, final byte[] decision, final int[] left,
        final int[] right, final double[] leafValue, final double sigmoid, final boolean averageOutput)
    {
        super(ModelKind.LIGHTGBM_TEXT, sourceName, version, featureNames, true);
        this.roots = roots;
        this.feature = feature;
        this.threshold = threshold;
        this.decision = decision;
        this.left = left;
        this.right = right;
        this.leafValue = leafValue;
        this.sigmoid = sigmoid;
        this.averageOutput = averageOutput;
    }

    @Override
    public boolean handlesMissing()
    {
        return true;
    }

    @Override
    public double score(final double[] features)
    {
        final int[] roots = this.roots;
        double sum = 0.0;
        for (final int root : roots)
        {
            int node = root;
            while (node >= 0)
            {
                node = next(node, features[feature[node]]);
            }
            sum += leafValue[~node];
        }
        if (averageOutput)
        {
            sum /= roots.length;
        }
        return sigmoid == sigmoid ? 1.0 / (1.0 + Math.exp(-sigmoid * sum)) : sum;
    }

    private int next(final int node, final double value)
    {
        final int decisionType = decision[node];
        final int missingType = (decisionType >> 2) & 3;
        double x = value;
        if (x != x && missingType != MISSING_NAN)
        {
            x = 0.0;
        }
        if ((missingType == MISSING_ZERO && x >= -ZERO_THRESHOLD && x <= ZERO_THRESHOLD) ||
            (missingType == MISSING_NAN && x != x))
        {
            return (decisionType & DEFAULT_LEFT) != 0 ? left[node] : right[node];
        }
        return x <= threshold[node] ? left[node] : right[node];
    }

    @Override
    public String toString()
    {
        return super.toString() + ", " + (sigmoid == sigmoid ? "binary" : "regression") + ", " + roots.length + " trees";
    }
}
