package dev.ringflow.models.score;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads LightGBM's text model ({@code booster.save_model("m.txt")}): the header, then one {@code Tree=} block per
 * tree, then {@code end of trees}.
 * <p>
 * <b>Note:</b> load time only. Refuses what it cannot score exactly: multi-class models, categorical splits, linear
 * trees, objectives other than {@code binary} and {@code regression}, and a file without {@code end of trees}
 * (truncated).
 */
final class LightGbmTextReader
{
    private final String source;
    private final ModelLimits limits;

    LightGbmTextReader(final String source, final ModelLimits limits)
    {
        this.source = source;
        this.limits = limits;
    }

    static boolean looksLikeLightGbm(final byte[] bytes)
    {
        return bytes.length >= 5 && bytes[0] == 't' && bytes[1] == 'r' && bytes[2] == 'e' && bytes[3] == 'e' &&
            (bytes[4] == '\n' || bytes[4] == '\r');
    }

    LightGbmModel read(final byte[] bytes, final String version) throws ModelException
    {
        final String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1);
        final Map<String, String> header = new HashMap<>();
        boolean averageOutput = false;
        int i = 1;
        for (; i < lines.length && !lines[i].startsWith("Tree="); i++)
        {
            final String line = lines[i].trim();
            final int eq = line.indexOf('=');
            if (eq > 0)
            {
                header.put(line.substring(0, eq), line.substring(eq + 1));
            }
            else if (line.equals("average_output"))
            {
                averageOutput = true;
            }
        }
        final int classes = header.containsKey("num_class") ? intValue(header.get("num_class"), "num_class") : 1;
        final int perIteration = header.containsKey("num_tree_per_iteration") ?
            intValue(header.get("num_tree_per_iteration"), "num_tree_per_iteration") : 1;
        if (classes != 1 || perIteration != 1)
        {
            throw new ModelException(source + ": multi-class models (num_class=" + classes + ") are not supported: " +
                "Ringflow scores one output per event");
        }
        final double sigmoid = objective(required(header, "objective"));
        final int featureCount = intValue(required(header, "max_feature_idx"), "max_feature_idx") + 1;
        if (featureCount < 1 || featureCount > limits.maxFeatures())
        {
            throw new ModelException(source + ": max_feature_idx says " + featureCount + " features; expected 1 to " +
                limits.maxFeatures() + " (ModelLimits.maxFeatures)");
        }
        final List<String> names = Arrays.asList(required(header, "feature_names").trim().split(" "));
        if (names.size() != featureCount)
        {
            throw new ModelException(source + ": feature_names lists " + names.size() + " names but " +
                "max_feature_idx says " + featureCount + " features");
        }
        if (names.stream().distinct().count() != names.size())
        {
            throw new ModelException(source + ": feature_names has a name twice: " + names);
        }

        final List<Map<String, String>> trees = new ArrayList<>();
        boolean ended = false;
        Map<String, String> current = null;
        for (; i < lines.length; i++)
        {
            final String line = lines[i].trim();
            if (line.equals("end of trees"))
            {
                ended = true;
                break;
            }
            if (line.startsWith("Tree="))
            {
                current = new HashMap<>();
                trees.add(current);
            }
            else if (!line.isEmpty() && current != null)
            {
                final int eq = line.indexOf('=');
                if (eq > 0)
                {
                    current.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        if (!ended)
        {
            throw new ModelException(source + ": no 'end of trees' line: the file is truncated or not a complete " +
                "LightGBM model");
        }
        if (trees.isEmpty())
        {
            throw new ModelException(source + ": the model has no trees");
        }
        if (trees.size() > limits.maxTrees())
        {
            throw new ModelException(source + ": " + trees.size() + " trees, more than the limit of " +
                limits.maxTrees() + " (ModelLimits.maxTrees)");
        }
        if (header.containsKey("tree_sizes") && header.get("tree_sizes").trim().split(" ").length != trees.size())
        {
            throw new ModelException(source + ": tree_sizes lists " + header.get("tree_sizes").trim().split(" ").length +
                " trees but the file holds " + trees.size() + ": truncated or edited");
        }
        return build(trees, names, version, sigmoid, averageOutput);
    }

    private double objective(final String objective) throws ModelException
    {
        final String[] parts = objective.trim().split(" ");
        switch (parts[0])
        {
            case "binary":
                double sigmoid = 1.0;
                for (final String part : parts)
                {
                    if (part.startsWith("sigmoid:"))
                    {
                        sigmoid = number(part.substring("sigmoid:".length()), "objective sigmoid");
                    }
                }
                if (!(sigmoid > 0) || Double.isInfinite(sigmoid))
                {
                    throw new ModelException(source + ": objective sigmoid parameter " + sigmoid + " must be positive");
                }
                return sigmoid;
            case "regression":
                if (Arrays.asList(parts).contains("sqrt"))
                {
                    // Trained on sqrt(label): LightGBM squares the sum back, which Ringflow does not.
                    throw new ModelException(source + ": objective 'regression sqrt' (reg_sqrt) is not supported");
                }
                return Double.NaN;
            case "multiclass":
            case "multiclassova":
                throw new ModelException(source + ": multi-class models (objective " + parts[0] + ") are not " +
                    "supported: Ringflow scores one output per event");
            default:
                throw new ModelException(source + ": unsupported LightGBM objective '" + parts[0] + "'; supported: " +
                    "binary, regression");
        }
    }

    private LightGbmModel build(final List<Map<String, String>> trees, final List<String> names, final String version,
        final double sigmoid, final boolean averageOutput) throws ModelException
    {
        int internal = 0;
        int leaves = 0;
        final int[] leafCounts = new int[trees.size()];
        for (int t = 0; t < trees.size(); t++)
        {
            leafCounts[t] = intValue(treeField(trees.get(t), t, "num_leaves"), "Tree=" + t + " num_leaves");
            if (leafCounts[t] < 1)
            {
                throw new ModelException(source + ": tree " + t + " has num_leaves=" + leafCounts[t]);
            }
            internal += leafCounts[t] - 1;
            leaves += leafCounts[t];
        }
        final int[] roots = new int[trees.size()];
        final int[] feature = new int[internal];
        final double[] threshold = new double[internal];
        final byte[] decision = new byte[internal];
        final int[] left = new int[internal];
        final int[] right = new int[internal];
        final double[] leafValue = new double[leaves];
        int nodeBase = 0;
        int leafBase = 0;
        for (int t = 0; t < trees.size(); t++)
        {
            final Map<String, String> tree = trees.get(t);
            final int l = leafCounts[t];
            final int n = l - 1;
            if (tree.containsKey("num_cat") && intValue(tree.get("num_cat"), "Tree=" + t + " num_cat") != 0)
            {
                throw new ModelException(source + ": tree " + t + " has categorical splits, which Ringflow does not " +
                    "score; train with numerical features");
            }
            if (tree.containsKey("is_linear") && !tree.get("is_linear").trim().equals("0"))
            {
                throw new ModelException(source + ": tree " + t + " is a linear tree, which Ringflow does not score");
            }
            final double[] values = numbers(tree, t, "leaf_value", l);
            for (int j = 0; j < l; j++)
            {
                if (!Double.isFinite(values[j]))
                {
                    throw new ModelException(source + ": tree " + t + " leaf " + j + " has value " + values[j] +
                        "; a leaf must be a finite number");
                }
                leafValue[leafBase + j] = values[j];
            }
            if (n == 0)
            {
                roots[t] = ~leafBase;
                leafBase += l;
                continue;
            }
            final double[] splitFeature = numbers(tree, t, "split_feature", n);
            final double[] thresholds = numbers(tree, t, "threshold", n);
            final double[] decisionType = numbers(tree, t, "decision_type", n);
            final double[] leftChild = numbers(tree, t, "left_child", n);
            final double[] rightChild = numbers(tree, t, "right_child", n);
            // TreeShape sees internal node i as node i and leaf j as node n + j.
            final int[] shapeLeft = new int[n + l];
            final int[] shapeRight = new int[n + l];
            final boolean[] isLeaf = new boolean[n + l];
            Arrays.fill(isLeaf, n, n + l, true);
            for (int i = 0; i < n; i++)
            {
                final int f = (int)splitFeature[i];
                if (f != splitFeature[i] || f < 0 || f >= names.size())
                {
                    throw new ModelException(source + ": tree " + t + " node " + i + " splits on feature " +
                        splitFeature[i] + " but the model has " + names.size() + " features");
                }
                final int d = (int)decisionType[i];
                if ((d & 1) != 0)
                {
                    throw new ModelException(source + ": tree " + t + " node " + i + " is a categorical split, which " +
                        "Ringflow does not score");
                }
                if (d != decisionType[i] || d < 0 || d > 15 || ((d >> 2) & 3) == 3)
                {
                    throw new ModelException(source + ": tree " + t + " node " + i + " has an unknown decision_type " +
                        decisionType[i]);
                }
                if (Double.isNaN(thresholds[i]))
                {
                    throw new ModelException(source + ": tree " + t + " node " + i + " has a NaN threshold");
                }
                shapeLeft[i] = child(leftChild[i], t, i, "left", n, l);
                shapeRight[i] = child(rightChild[i], t, i, "right", n, l);
                feature[nodeBase + i] = f;
                threshold[nodeBase + i] = thresholds[i];
                decision[nodeBase + i] = (byte)d;
                left[nodeBase + i] = link((int)leftChild[i], nodeBase, leafBase);
                right[nodeBase + i] = link((int)rightChild[i], nodeBase, leafBase);
            }
            TreeShape.depth(source, t, shapeLeft, shapeRight, isLeaf, limits.maxTreeDepth());
            roots[t] = nodeBase;
            nodeBase += n;
            leafBase += l;
        }
        return new LightGbmModel(source, version, names, roots, feature, threshold, decision, left, right, leafValue,
            sigmoid, averageOutput);
    }

    private static int link(final int child, final int nodeBase, final int leafBase)
    {
        return child >= 0 ? nodeBase + child : ~(leafBase + ~child);
    }

    private int child(final double value, final int t, final int node, final String side, final int n, final int l)
        throws ModelException
    {
        final int c = (int)value;
        if (c != value || (c >= 0 && c >= n) || (c < 0 && ~c >= l))
        {
            throw new ModelException(source + ": tree " + t + " node " + node + " has " + side + " child " + value +
                ", outside the tree's " + n + " internal nodes and " + l + " leaves");
        }
        return c >= 0 ? c : n + ~c;
    }

    private double[] numbers(final Map<String, String> tree, final int t, final String key, final int count)
        throws ModelException
    {
        final String[] parts = treeField(tree, t, key).trim().split(" ");
        if (parts.length != count)
        {
            throw new ModelException(source + ": tree " + t + " " + key + " has " + parts.length + " values, " +
                "expected " + count);
        }
        final double[] out = new double[count];
        for (int i = 0; i < count; i++)
        {
            out[i] = number(parts[i], "tree " + t + " " + key);
        }
        return out;
    }

    private String treeField(final Map<String, String> tree, final int t, final String key) throws ModelException
    {
        final String value = tree.get(key);
        if (value == null)
        {
            throw new ModelException(source + ": tree " + t + " has no " + key + "= line");
        }
        return value;
    }

    private String required(final Map<String, String> header, final String key) throws ModelException
    {
        final String value = header.get(key);
        if (value == null)
        {
            throw new ModelException(source + ": the header has no " + key + "= line");
        }
        return value;
    }

    /** A number as LightGBM writes it, including {@code inf} and {@code -inf}, which Double.parseDouble rejects. */
    private double number(final String text, final String what) throws ModelException
    {
        switch (text)
        {
            case "inf":
            case "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
            case "-nan":
                return Double.NaN;
            default:
                try
                {
                    return Double.parseDouble(text);
                }
                catch (final NumberFormatException ex)
                {
                    throw new ModelException(source + ": " + what + " has '" + text + "', not a number");
                }
        }
    }

    private int intValue(final String text, final String what) throws ModelException
    {
        try
        {
            return Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new ModelException(source + ": " + what + " is '" + text + "', not an integer");
        }
    }
}
