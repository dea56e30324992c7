package dev.ringflow.models.score;

/**
 * XGBoost trees laid out as complete binary trees of one depth D, breadth first, so that a walk is D steps of
 * arithmetic ({@code slot = 2 * slot + 1 + goRight}) with no child links to load and no data-dependent loop exit.
 * <p>
 * <pre>
 *   tree t, depth D = 2:          slots t*3 + 0..2 in feature/threshold/missingRight; leaves t*4 + 0..3
 *             0
 *         1       2
 *       L0  L1  L2  L3
 * </pre>
 * A leaf shallower than D is copied into every leaf slot below it; the padding slots above those copies test an
 * arbitrary feature, since both ways lead to the same value.
 * <p>
 * <b>Note:</b> immutable, thread-safe, allocation free. Memory grows as 2^D per tree, hence {@link #MAX_DEPTH}.
 */
final class CompleteFloatTrees implements FloatTrees
{
    /** Deepest model laid out this way: 2^8 slots per tree keep 1,000 trees within ~2.3 MB. */
    static final int MAX_DEPTH = 8;

    private final int treeCount;
    private final int depth;
    private final int[] feature;
    private final float[] threshold;
    private final int[] missingRight;
    private final float[] leafValue;

    CompleteFloatTrees(final XgboostTree[] trees, final int depth)
    {
        if (depth > MAX_DEPTH)
        {
            throw new IllegalArgumentException("depth " + depth + " > " + MAX_DEPTH);
        }
        this.treeCount = trees.length;
        this.depth = depth;
        final int internal = (1 << depth) - 1;
        feature = new int[treeCount * internal];
        threshold = new float[treeCount * internal];
        missingRight = new int[treeCount * internal];
        leafValue = new float[treeCount << depth];
        for (int t = 0; t < treeCount; t++)
        {
            place(trees[t], 0, t * internal, t << depth, 0, 0);
        }
    }

    private void place(final XgboostTree tree, final int node, final int slotBase, final int leafBase, final int slot,
        final int level)
    {
        if (level == depth)
        {
            leafValue[leafBase + slot - ((1 << depth) - 1)] = tree.value()[node];
            return;
        }
        if (tree.leaf()[node])
        {
            place(tree, node, slotBase, leafBase, 2 * slot + 1, level + 1);
            place(tree, node, slotBase, leafBase, 2 * slot + 2, level + 1);
            return;
        }
        feature[slotBase + slot] = tree.feature()[node];
        threshold[slotBase + slot] = tree.value()[node];
        missingRight[slotBase + slot] = tree.defaultLeft()[node] ? 0 : 1;
        place(tree, tree.left()[node], slotBase, leafBase, 2 * slot + 1, level + 1);
        place(tree, tree.right()[node], slotBase, leafBase, 2 * slot + 2, level + 1);
    }

    @Override
    public float addLeaves(final float margin, final double[] features)
    {
        final int depth = this.depth;
        final int internal = (1 << depth) - 1;
        final int[] feature = this.feature;
        final float[] threshold = this.threshold;
        final int[] missingRight = this.missingRight;
        final float[] leafValue = this.leafValue;
        float sum = margin;
        int slotBase = 0;
        int leafBase = 0;
        for (int t = 0; t < treeCount; t++)
        {
            int slot = 0;
            for (int level = 0; level < depth; level++)
            {
                final int at = slotBase + slot;
                final float x = (float)features[feature[at]];
                // x >= threshold is false for NaN, which then goes the way missingRight says.
                final int goRight = (x >= threshold[at] ? 1 : 0) | (x != x ? missingRight[at] : 0);
                slot = 2 * slot + 1 + goRight;
            }
            sum += leafValue[leafBase + slot - internal];
            slotBase += internal;
            leafBase += internal + 1;
        }
        return sum;
    }
}
