package dev.ringflow.models.score;

import java.util.List;

/**
 * An XGBoost gbtree model scored exactly as XGBoost scores it: features rounded to float, the margin accumulated in
 * float from the base margin, and for logistic objectives the sigmoid taken in float.
 * <p>
 * <b>Note:</b> immutable, thread-safe, allocation free. Missing features follow each split's default branch.
 */
final class XgboostModel extends LoadedModel
{
    private final FloatTrees trees;
    private final float baseMargin;
    private final boolean logistic;
    private final String objective;
    private final int treeCount;

    XgboostModel(
        final String sourceName,
        final String version,
        final List<String> featureNames,
        final boolean declaresFeatureNames,
        final String objective,
        final float baseMargin,
        final boolean logistic,
        final FloatTrees trees,
        final int treeCount)
    {
        super(ModelKind.XGBOOST_JSON, sourceName, version, featureNames, declaresFeatureNames);
        this.objective = objective;
        this.baseMargin = baseMargin;
        this.logistic = logistic;
        this.treeCount = treeCount;
        this.trees = trees;
    }

    /**
     * @return the complete layout when every tree is shallow enough for it (fewer loads, no data-dependent exit),
     * else the linked one.
     */
    static FloatTrees layout(final XgboostTree[] trees)
    {
        int depth = 0;
        for (final XgboostTree tree : trees)
        {
            depth = Math.max(depth, tree.depth());
        }
        return depth <= CompleteFloatTrees.MAX_DEPTH ? new CompleteFloatTrees(trees, depth) : new LinkedFloatTrees(trees);
    }

    FloatTrees layout()
    {
        return trees;
    }

    @Override
    public boolean handlesMissing()
    {
        return true;
    }

    @Override
    public double score(final double[] features)
    {
        final float margin = trees.addLeaves(baseMargin, features);
        return logistic ? 1f / (1f + (float)Math.exp(-margin)) : margin;
    }

    @Override
    public String toString()
    {
        return super.toString() + ", " + objective + ", " + treeCount + " trees";
    }
}
