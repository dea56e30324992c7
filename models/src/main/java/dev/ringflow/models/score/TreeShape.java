package dev.ringflow.models.score;

/**
 * Checks that a tree read from a file is a tree: every child index points inside it, no node is reached twice (a loop
 * or a shared subtree, which a hostile or damaged file can encode and which would make scoring spin forever), and it
 * is no deeper than the limit. Evaluators rely on this: after it, a walk from the root ends at a leaf within
 * {@code depth} steps.
 * <p>
 * <b>Note:</b> load time only.
 */
final class TreeShape
{
    private TreeShape()
    {
    }

    /**
     * @param source   the file's name, for messages.
     * @param tree     the tree's index in the file, for messages.
     * @param left     left child of each node (read only for internal nodes).
     * @param right    right child of each node (read only for internal nodes).
     * @param leaf     whether each node is a leaf.
     * @param maxDepth the deepest a leaf may be.
     * @return the depth of the deepest leaf (0 for a lone leaf).
     * @throws ModelException naming the tree and node when it is not a tree within the limit.
     */
    static int depth(
        final String source, final int tree, final int[] left, final int[] right, final boolean[] leaf, final int maxDepth)
        throws ModelException
    {
        final int n = leaf.length;
        if (n == 0)
        {
            throw new ModelException(source + ": tree " + tree + " has no nodes");
        }
        // Every internal node's links, reachable or not: a layout may number every node and follow them.
        for (int node = 0; node < n; node++)
        {
            if (!leaf[node])
            {
                checkChild(source, tree, node, "left", left[node], n);
                checkChild(source, tree, node, "right", right[node], n);
            }
        }
        final boolean[] seen = new boolean[n];
        final int[] stackNode = new int[n];
        final int[] stackDepth = new int[n];
        int top = 0;
        stackNode[top] = 0;
        stackDepth[top++] = 0;
        seen[0] = true;
        int deepest = 0;
        while (top > 0)
        {
            final int node = stackNode[--top];
            final int depth = stackDepth[top];
            if (depth > maxDepth)
            {
                throw new ModelException(source + ": tree " + tree + " is deeper than the limit of " + maxDepth +
                    " at node " + node + " (ModelLimits.maxTreeDepth)");
            }
            if (leaf[node])
            {
                deepest = Math.max(deepest, depth);
                continue;
            }
            for (int side = 0; side < 2; side++)
            {
                final int child = side == 0 ? left[node] : right[node];
                final String name = side == 0 ? "left" : "right";
                if (seen[child])
                {
                    throw new ModelException(source + ": tree " + tree + " node " + node + " has " + name + " child " +
                        child + ", a node already reached from the root: the tree has a loop or a shared subtree");
                }
                seen[child] = true;
                // At most n nodes are ever pushed, since each is pushed once: the stack cannot overflow.
                stackNode[top] = child;
                stackDepth[top++] = depth + 1;
            }
        }
        return deepest;
    }

    private static void checkChild(
        final String source, final int tree, final int node, final String side, final int child, final int n)
        throws ModelException
    {
        if (child < 0 || child >= n)
        {
            throw new ModelException(source + ": tree " + tree + " node " + node + " has " + side + " child " + child +
                ", outside the tree's " + n + " nodes");
        }
    }
}
