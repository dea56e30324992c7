package dev.ringflow.models.score;

/**
 * XGBoost trees laid out as complete binary trees of one depth D, breadth first, so that a walk is D steps of
 * arithmetic ({@code slot = 2 * slot + 1 + goRight}) with no child links to load and no data-dependent loop exit.
 * <p>
 * <pre>
 *   tree t, depth D = 2:          slots t*3 + 0..2 in featureAndMissing/threshold; leaves t*4 + 0..3
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
    /** Deepest model laid out this way: 2^8 slots per tree (12 B each, 4 B a leaf) keep 1,000 trees within ~4 MB. */
    static final int MAX_DEPTH = 8;
    /** Trees walked side by side: a walk is a chain of dependent loads, and independent chains overlap. */
    private static final int LANES = 4;
    private static final int MISSING_RIGHT = 1 << 31;

    private final int treeCount;
    private final int depth;
    /** Per slot: the feature index, with {@link #MISSING_RIGHT} set when a missing value goes right. */
    private final int[] featureAndMissing;
    /** Per slot: the smallest double that rounds to a float at or above the split's float threshold. */
    private final double[] threshold;
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
        featureAndMissing = new int[treeCount * internal];
        threshold = new double[treeCount * internal];
        leafValue = new float[treeCount << depth];
        for (int t = 0; t < treeCount; t++)
        {
            place(trees[t], 0, t * internal, t << depth, 0, 0);
        }
    }

    private void place(final XgboostTree tree, final int at, final int slotBase, final int leafBase, final int slot,
        final int level)
    {
        if (level == depth)
        {
            leafValue[leafBase + slot - ((1 << depth) - 1)] = tree.value()[at];
            return;
        }
        if (tree.leaf()[at])
        {
            place(tree, at, slotBase, leafBase, 2 * slot + 1, level + 1);
            place(tree, at, slotBase, leafBase, 2 * slot + 2, level + 1);
            return;
        }
        featureAndMissing[slotBase + slot] = tree.feature()[at] | (tree.defaultLeft()[at] ? 0 : MISSING_RIGHT);
        threshold[slotBase + slot] = doubleThreshold(tree.value()[at]);
        place(tree, tree.left()[at], slotBase, leafBase, 2 * slot + 1, level + 1);
        place(tree, tree.right()[at], slotBase, leafBase, 2 * slot + 2, level + 1);
    }

    @Override
    public float addLeaves(final float margin, final double[] features)
    {
        final int depth = this.depth;
        final int internal = (1 << depth) - 1;
        final int[] node = this.featureAndMissing;
        final double[] threshold = this.threshold;
        final float[] leafValue = this.leafValue;
        final int grouped = treeCount - treeCount % LANES;
        float sum = margin;
        int t = 0;
        for (; t < grouped; t += LANES)
        {
            final int base0 = t * internal;
            final int base1 = base0 + internal;
            final int base2 = base1 + internal;
            final int base3 = base2 + internal;
            int slot0 = 0;
            int slot1 = 0;
            int slot2 = 0;
            int slot3 = 0;
            for (int level = 0; level < depth; level++)
            {
                slot0 = 2 * slot0 + 1 + goRight(node, threshold, base0 + slot0, features);
                slot1 = 2 * slot1 + 1 + goRight(node, threshold, base1 + slot1, features);
                slot2 = 2 * slot2 + 1 + goRight(node, threshold, base2 + slot2, features);
                slot3 = 2 * slot3 + 1 + goRight(node, threshold, base3 + slot3, features);
            }
            // Added one by one in tree order, as XGBoost adds them: float addition is not associative.
            final int leafBase = t << depth;
            final int leafStride = internal + 1;
            sum += leafValue[leafBase + slot0 - internal];
            sum += leafValue[leafBase + leafStride + slot1 - internal];
            sum += leafValue[leafBase + 2 * leafStride + slot2 - internal];
            sum += leafValue[leafBase + 3 * leafStride + slot3 - internal];
        }
        for (; t < treeCount; t++)
        {
            final int base = t * internal;
            int slot = 0;
            for (int level = 0; level < depth; level++)
            {
                slot = 2 * slot + 1 + goRight(node, threshold, base + slot, features);
            }
            sum += leafValue[(t << depth) + slot - internal];
        }
        return sum;
    }

    /**
     * 1 when the row goes right at slot {@code at}: {@code (float) x >= threshold}, or x missing and the split says so.
     * The comparison is made on the double against {@link #doubleThreshold}, which answers the same without rounding
     * x to float on the walk's critical path.
     */
    private static int goRight(final int[] node, final double[] threshold, final int at, final double[] features)
    {
        final int featureAndMissing = node[at];
        final double x = features[featureAndMissing & ~MISSING_RIGHT];
        // x >= threshold is false for NaN, which then goes the way the missing bit says.
        return (x >= threshold[at] ? 1 : 0) | (x != x ? featureAndMissing >>> 31 : 0);
    }

    /**
     * @return the smallest double d with {@code (float) d >= threshold}, so that for every non-NaN double x,
     * {@code x >= d} exactly when {@code (float) x >= threshold} (XGBoost's float comparison on a double input).
     */
    static double doubleThreshold(final float threshold)
    {
        if (threshold == Float.NEGATIVE_INFINITY)
        {
            return Double.NEGATIVE_INFINITY;
        }
        // Doubles from MAX_VALUE + half an ulp on round to float infinity.
        final double overflow = (double)Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0;
        if (threshold == Float.POSITIVE_INFINITY)
        {
            return overflow;
        }
        // Start at the midpoint between the threshold and the float below it (exact in double), then step to the
        // first double whose rounding reaches the threshold: ties round to even, so it is the midpoint or next up.
        final float below = Math.nextDown(threshold);
        double d = below == Float.NEGATIVE_INFINITY ? -overflow : ((double)threshold + (double)below) / 2;
        while ((float)d < threshold)
        {
            d = Math.nextUp(d);
        }
        while ((float)Math.nextDown(d) >= threshold)
        {
            d = Math.nextDown(d);
        }
        return d;
    }
}
