package dev.ringflow.models.learn;

/**
 * How a {@link LogisticSgdLearner} learns: the number of features, the learning rate, L2, optional per-feature
 * AdaGrad, one model per pipeline or per key, and the window of the prequential metrics. Fluent setters;
 * {@link #conclude()} validates.
 * <pre>
 *   LogisticSgdLearner learner = new SgdSpec(16).learningRate(0.05).l2(1e-4).adagrad(true).newLearner();
 * </pre>
 * <b>Note:</b> Mutable, not thread-safe; a learner keeps the values it was built with.
 */
public final class SgdSpec
{
    public static final double DEFAULT_LEARNING_RATE = 0.01;
    public static final double DEFAULT_ADAGRAD_EPSILON = 1e-8;
    public static final int DEFAULT_METRICS_WINDOW = 1000;

    private final int features;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private double l2;
    private boolean adagrad;
    private double adagradEpsilon = DEFAULT_ADAGRAD_EPSILON;
    private boolean perKey;
    private int metricsWindow = DEFAULT_METRICS_WINDOW;

    /** A learner of a model over {@code features} features (the length of every feature vector). */
    public SgdSpec(final int features)
    {
        this.features = features;
    }

    public SgdSpec learningRate(final double learningRate)
    {
        this.learningRate = learningRate;
        return this;
    }

    /** The L2 coefficient: each update adds {@code l2 * w} to the gradient of a weight (not the bias). */
    public SgdSpec l2(final double l2)
    {
        this.l2 = l2;
        return this;
    }

    /** True: each weight's step is divided by the root of its summed squared gradients (plus epsilon). */
    public SgdSpec adagrad(final boolean adagrad)
    {
        this.adagrad = adagrad;
        return this;
    }

    public SgdSpec adagradEpsilon(final double adagradEpsilon)
    {
        this.adagradEpsilon = adagradEpsilon;
        return this;
    }

    /** True: a model per key id; false: one model for every key (key ids are then ignored). */
    public SgdSpec perKey(final boolean perKey)
    {
        this.perKey = perKey;
        return this;
    }

    /** How many of the last labelled events the log-loss and AUC are over. */
    public SgdSpec metricsWindow(final int metricsWindow)
    {
        this.metricsWindow = metricsWindow;
        return this;
    }

    public int features()
    {
        return features;
    }

    public double learningRate()
    {
        return learningRate;
    }

    public double l2()
    {
        return l2;
    }

    public boolean adagrad()
    {
        return adagrad;
    }

    public double adagradEpsilon()
    {
        return adagradEpsilon;
    }

    public boolean perKey()
    {
        return perKey;
    }

    public int metricsWindow()
    {
        return metricsWindow;
    }

    /**
     * Checks the learner is well defined.
     *
     * @throws IllegalArgumentException naming the parameter that is not.
     */
    public SgdSpec conclude()
    {
        if (features < 1)
        {
            throw new IllegalArgumentException("features must be >= 1, was " + features);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate))
        {
            throw new IllegalArgumentException("learning-rate must be a finite number > 0, was " + learningRate);
        }
        if (!(l2 >= 0) || Double.isInfinite(l2))
        {
            throw new IllegalArgumentException("l2 must be a finite number >= 0, was " + l2);
        }
        if (!(adagradEpsilon > 0) || Double.isInfinite(adagradEpsilon))
        {
            throw new IllegalArgumentException("adagrad epsilon must be a finite number > 0, was " + adagradEpsilon);
        }
        if (metricsWindow < 1)
        {
            throw new IllegalArgumentException("metrics window must be >= 1, was " + metricsWindow);
        }
        return this;
    }

    /** A learner of this definition (concluded first), every weight 0. */
    public LogisticSgdLearner newLearner()
    {
        return new LogisticSgdLearner(conclude());
    }
}
