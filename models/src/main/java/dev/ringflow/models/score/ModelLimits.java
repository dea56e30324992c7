package dev.ringflow.models.score;

/**
 * Bounds a model file must respect to be loaded, so that a huge or hostile file is refused with a clear error instead
 * of exhausting memory, and the XGBoost versions whose JSON the evaluator has been checked against.
 * <p>
 * <b>Note:</b> fluent and mutable; build one per load configuration and do not change it while a load uses it.
 */
public final class ModelLimits
{
    /** Default {@link #maxFileBytes()}: 64 MiB, far above a 1,000-tree depth-8 XGBoost JSON file. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
    /** Default {@link #maxTrees()}. */
    public static final int DEFAULT_MAX_TREES = 10_000;
    /** Default {@link #maxTreeDepth()}: LightGBM grows leaf-wise, so deep trees are legitimate. */
    public static final int DEFAULT_MAX_TREE_DEPTH = 64;

    /** Default {@link #maxFeatures()}. */
    public static final int DEFAULT_MAX_FEATURES = 100_000;

    private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
    private int maxFeatures = DEFAULT_MAX_FEATURES;
    private int maxTrees = DEFAULT_MAX_TREES;
    private int maxTreeDepth = DEFAULT_MAX_TREE_DEPTH;
    private boolean allowUntestedXgboostVersions;

    /**
     * @return limits with every default.
     */
    public static ModelLimits defaults()
    {
        return new ModelLimits();
    }

    /**
     * @return the largest model file accepted, in bytes.
     */
    public long maxFileBytes()
    {
        return maxFileBytes;
    }

    /**
     * @param maxFileBytes the largest model file accepted, in bytes (at least 1).
     * @return this.
     */
    public ModelLimits maxFileBytes(final long maxFileBytes)
    {
        if (maxFileBytes < 1)
        {
            throw new IllegalArgumentException("maxFileBytes must be at least 1: " + maxFileBytes);
        }
        this.maxFileBytes = maxFileBytes;
        return this;
    }

    /**
     * @return the most inputs a model may declare (a file's feature count sizes arrays before anything else does).
     */
    public int maxFeatures()
    {
        return maxFeatures;
    }

    /**
     * @param maxFeatures the most inputs a model may declare (at least 1).
     * @return this.
     */
    public ModelLimits maxFeatures(final int maxFeatures)
    {
        if (maxFeatures < 1)
        {
            throw new IllegalArgumentException("maxFeatures must be at least 1: " + maxFeatures);
        }
        this.maxFeatures = maxFeatures;
        return this;
    }

    /**
     * @return the most trees a tree ensemble may have.
     */
    public int maxTrees()
    {
        return maxTrees;
    }

    /**
     * @param maxTrees the most trees a tree ensemble may have (at least 1).
     * @return this.
     */
    public ModelLimits maxTrees(final int maxTrees)
    {
        if (maxTrees < 1)
        {
            throw new IllegalArgumentException("maxTrees must be at least 1: " + maxTrees);
        }
        this.maxTrees = maxTrees;
        return this;
    }

    /**
     * @return the deepest a tree may be (a lone leaf has depth 0).
     */
    public int maxTreeDepth()
    {
        return maxTreeDepth;
    }

    /**
     * @param maxTreeDepth the deepest a tree may be, 1 to 1,000.
     * @return this.
     */
    public ModelLimits maxTreeDepth(final int maxTreeDepth)
    {
        if (maxTreeDepth < 1 || maxTreeDepth > 1000)
        {
            throw new IllegalArgumentException("maxTreeDepth must be 1 to 1000: " + maxTreeDepth);
        }
        this.maxTreeDepth = maxTreeDepth;
        return this;
    }

    /**
     * @return whether XGBoost files from versions other than {@link XgboostJsonReader#TESTED_VERSIONS} are loaded.
     */
    public boolean allowUntestedXgboostVersions()
    {
        return allowUntestedXgboostVersions;
    }

    /**
     * An XGBoost version whose JSON nobody checked against the reference library may encode something differently
     * (as {@code base_score} changed between 1.7 and 3.x) and shift every score silently; so such files are refused
     * unless this is set, by someone who compared a few predictions themselves.
     *
     * @param allow true to load XGBoost JSON from any version.
     * @return this.
     */
    public ModelLimits allowUntestedXgboostVersions(final boolean allow)
    {
        this.allowUntestedXgboostVersions = allow;
        return this;
    }
}
