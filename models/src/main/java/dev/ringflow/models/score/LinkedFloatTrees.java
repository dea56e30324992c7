package dev.ringflow.models.score;

/**
 * XGBoost trees of any depth as one array of nodes with child links: internal nodes of every tree side by side,
 * a negative link {@code ~i} meaning leaf {@code i} of one shared leaf array.
 * <p>
 * <b>Note:</b> immutable, thread-safe, allocation free. Used for trees deeper than {@link CompleteFloatTrees} takes.
 */
final class LinkedFloatTrees implements FloatTrees
{
    private final int[] roots;
    private final int[] feature;
    private final float[] threshold;
    private final int[] left;
    private final int[] right;
    private final boolean[] defaultLeft;
    private final float[] leafValue;

    LinkedFloatTrees(final XgboostTree[] trees)
    {
        int internal = 0;
        int leaves = 0;
        for (final XgboostTree tree : trees)
        {
            for (final boolean isLeaf : tree.leaf())
            {
                if (isLeaf)
                {
                    leaves++;
                }
                else
                {
                    internal++;
                }
            }
        }
        roots = new int[trees.length];
        feature = new int[internal];
        threshold = new float[internal];
        left = new int[internal];
        right = new int[internal];
        defaultLeft = new boolean[internal];
        leafValue = new float[leaves];

        int nextInternal = 0;
        int nextLeaf = 0;
        for (int t = 0; t < trees.length; t++)
        {
            final XgboostTree tree = trees[t];
            final int n = tree.leaf().length;
            // Each node's new link: internal nodes and leaves numbered in file order within their own arrays.
            final int[] link = new int[n];
            for (int i = 0; i < n; i++)
            {
                link[i] = tree.leaf()[i] ? ~nextLeaf++ : nextInternal++;
            }
            for (int i = 0; i < n; i++)
            {
                if (tree.leaf()[i])
                {
                    leafValue[~link[i]] = tree.value()[i];
                }
                else
                {
                    final int node = link[i];
                    feature[node] = tree.feature()[i];
                    threshold[node] = tree.value()[i];
                    left[node] = link[tree.left()[i]];
                    right[node] = link[tree.right()[i]];
                    defaultLeft[node] = tree.defaultLeft()[i];
                }
            }
            roots[t] = link[0];
        }
    }

    @Override
    public float addLeaves(final float margin, final double[] features)
    {
        final int[] roots = this.roots;
        final int[] feature = this.feature;
        final float[] threshold = this.threshold;
        final int[] left = this.left;
        final int[] right = this.right;
        final boolean[] defaultLeft = this.defaultLeft;
        float sum = margin;
        for (final int root : roots)
        {
            int node = root;
            while (node >= 0)
            {
                final float x = (float)features[feature[node]];
                if (x < threshold[node])
                {
                    node = left[node];
                }
                else if (x != x)
                {
                    node = defaultLeft[node] ? left[node] : right[node];
                }
                else
                {
                    node = right[node];
                }
            }
            sum += leafValue[~node];
        }
        return sum;
    }
}
