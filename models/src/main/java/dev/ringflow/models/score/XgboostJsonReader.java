package dev.ringflow.models.score;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads XGBoost's JSON model ({@code save_model("m.json")}) of a gbtree booster with one output.
 * <p>
 * <b>Note:</b> load time only. Refuses what it cannot score exactly: other boosters (dart, gblinear), multi-class or
 * multi-target models, categorical splits, objectives other than {@link #OBJECTIVES}, and XGBoost versions outside
 * {@link #TESTED_VERSIONS} unless {@link ModelLimits#allowUntestedXgboostVersions()}.
 */
final class XgboostJsonReader
{
    /** major.minor versions whose files were checked against the reference library's predictions. */
    static final Set<String> TESTED_VERSIONS = Set.of("1.7", "3.4");
    /** Objectives scored: the logistic ones output a probability, reg:squarederror the raw margin. */
    static final Set<String> OBJECTIVES = Set.of("binary:logistic", "reg:logistic", "reg:squarederror");

    private final JsonDocument json;
    private final ModelLimits limits;

    XgboostJsonReader(final JsonDocument json, final ModelLimits limits)
    {
        this.json = json;
        this.limits = limits;
    }

    XgboostModel read(final Map<String, Object> root, final String version) throws ModelException
    {
        return read(root, version, XgboostModel::layout);
    }

    /**
     * @param layout lays the validated trees out for scoring (tests compare the layouts).
     */
    XgboostModel read(final Map<String, Object> root, final String version,
        final Function<XgboostTree[], FloatTrees> layout) throws ModelException
    {
        final String source = json.source();
        checkVersion(root);
        final Map<String, Object> learner = json.object(json.field(root, "learner", "$"), "$.learner");
        final Map<String, Object> params =
            json.object(json.field(learner, "learner_model_param", "$.learner"), "$.learner.learner_model_param");
        final String paramsPath = "$.learner.learner_model_param";

        final Map<String, Object> objectiveObject =
            json.object(json.field(learner, "objective", "$.learner"), "$.learner.objective");
        final String objective = json.string(json.field(objectiveObject, "name", "$.learner.objective"),
            "$.learner.objective.name");
        final int numClass = params.containsKey("num_class") ?
            json.intValue(params.get("num_class"), paramsPath + ".num_class") : 0;
        if (objective.startsWith("multi:") || numClass > 1)
        {
            throw new ModelException(source + ": multi-class models (objective " + objective + ", " + numClass +
                " classes) are not supported: Ringflow scores one output per event");
        }
        if (!OBJECTIVES.contains(objective))
        {
            throw new ModelException(source + ": unsupported XGBoost objective '" + objective + "'; supported: " +
                "binary:logistic, reg:logistic, reg:squarederror");
        }
        if (params.containsKey("num_target") && json.intValue(params.get("num_target"), paramsPath + ".num_target") > 1)
        {
            throw new ModelException(source + ": multi-target models are not supported");
        }
        final int numFeature = json.intValue(json.field(params, "num_feature", paramsPath), paramsPath + ".num_feature");
        if (numFeature < 1 || numFeature > limits.maxFeatures())
        {
            throw new ModelException(source + ": num_feature is " + numFeature + "; expected 1 to " +
                limits.maxFeatures() + " (ModelLimits.maxFeatures)");
        }
        final float baseScore = baseScore(json.field(params, "base_score", paramsPath));
        final boolean logistic = !objective.equals("reg:squarederror");
        final float baseMargin;
        if (logistic)
        {
            if (!(baseScore > 0f && baseScore < 1f))
            {
                throw new ModelException(source + ": base_score " + baseScore + " of a logistic objective must lie " +
                    "strictly between 0 and 1");
            }
            // XGBoost's ProbToMargin, in float: -log(1 / p - 1).
            baseMargin = (float)-Math.log(1.0f / baseScore - 1.0f);
        }
        else
        {
            baseMargin = baseScore;
        }

        final List<String> names = featureNames(learner, numFeature);
        final XgboostTree[] trees = trees(learner, numFeature);
        return new XgboostModel(source, version, names, learner.containsKey("feature_names") &&
            !json.array(learner.get("feature_names"), "$.learner.feature_names").isEmpty(),
            objective, baseMargin, logistic, layout.apply(trees), trees.length);
    }

    private void checkVersion(final Map<String, Object> root) throws ModelException
    {
        final String source = json.source();
        String version = "unknown (no $.version array)";
        String majorMinor = null;
        if (root.containsKey("version"))
        {
            final List<Object> parts = json.array(root.get("version"), "$.version");
            if (parts.size() >= 2)
            {
                majorMinor = json.intValue(parts.get(0), "$.version[0]") + "." + json.intValue(parts.get(1), "$.version[1]");
                final StringBuilder text = new StringBuilder();
                for (int i = 0; i < parts.size(); i++)
                {
                    text.append(i == 0 ? "" : ".").append(json.intValue(parts.get(i), "$.version[" + i + "]"));
                }
                version = text.toString();
            }
        }
        if ((majorMinor == null || !TESTED_VERSIONS.contains(majorMinor)) && !limits.allowUntestedXgboostVersions())
        {
            throw new ModelException(source + ": written by XGBoost " + version + ", a version Ringflow's evaluator " +
                "has not been checked against (checked: " + String.join(", ", TESTED_VERSIONS.stream().sorted()
                .toList()) + "); re-save the model with a checked version, or compare a few predictions yourself and " +
                "set ModelLimits.allowUntestedXgboostVersions(true)");
        }
    }

    /** {@code "5E-1"} (1.7) or {@code "[9.73E-2]"} (3.x): a float in a string, in brackets from 2.x on. */
    private float baseScore(final Object value) throws ModelException
    {
        final String path = "$.learner.learner_model_param.base_score";
        String text = json.string(value, path).trim();
        if (text.startsWith("[") && text.endsWith("]"))
        {
            text = text.substring(1, text.length() - 1).trim();
        }
        if (text.contains(","))
        {
            throw new ModelException(json.source() + ": base_score " + value + " has several values: multi-output " +
                "models are not supported");
        }
        final float score;
        try
        {
            score = Float.parseFloat(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new ModelException(json.source() + ": " + path + " is '" + value + "', not a number");
        }
        if (!Float.isFinite(score))
        {
            throw new ModelException(json.source() + ": " + path + " is '" + value + "', not a finite number");
        }
        return score;
    }

    private List<String> featureNames(final Map<String, Object> learner, final int numFeature) throws ModelException
    {
        final List<String> names = new ArrayList<>(numFeature);
        final List<Object> declared = learner.containsKey("feature_names") ?
            json.array(learner.get("feature_names"), "$.learner.feature_names") : List.of();
        if (declared.isEmpty())
        {
            for (int i = 0; i < numFeature; i++)
            {
                names.add("f" + i);
            }
            return names;
        }
        if (declared.size() != numFeature)
        {
            throw new ModelException(json.source() + ": the model declares " + declared.size() + " feature names but " +
                "num_feature is " + numFeature);
        }
        for (int i = 0; i < declared.size(); i++)
        {
            final String name = json.string(declared.get(i), "$.learner.feature_names[" + i + "]");
            if (names.contains(name))
            {
                throw new ModelException(json.source() + ": feature name '" + name + "' appears twice");
            }
            names.add(name);
        }
        return names;
    }

    private XgboostTree[] trees(final Map<String, Object> learner, final int numFeature) throws ModelException
    {
        final String source = json.source();
        final Map<String, Object> booster =
            json.object(json.field(learner, "gradient_booster", "$.learner"), "$.learner.gradient_booster");
        final String name = json.string(json.field(booster, "name", "$.learner.gradient_booster"),
            "$.learner.gradient_booster.name");
        if (!name.equals("gbtree"))
        {
            throw new ModelException(source + ": booster '" + name + "' is not supported; only gbtree");
        }
        final String modelPath = "$.learner.gradient_booster.model";
        final Map<String, Object> model = json.object(json.field(booster, "model", "$.learner.gradient_booster"),
            modelPath);
        final List<Object> treeList = json.array(json.field(model, "trees", modelPath), modelPath + ".trees");
        if (treeList.isEmpty())
        {
            throw new ModelException(source + ": the model has no trees");
        }
        if (treeList.size() > limits.maxTrees())
        {
            throw new ModelException(source + ": " + treeList.size() + " trees, more than the limit of " +
                limits.maxTrees() + " (ModelLimits.maxTrees)");
        }
        final XgboostTree[] trees = new XgboostTree[treeList.size()];
        for (int t = 0; t < trees.length; t++)
        {
            trees[t] = tree(json.object(treeList.get(t), modelPath + ".trees[" + t + "]"), t, numFeature);
        }
        return trees;
    }

    private XgboostTree tree(final Map<String, Object> tree, final int t, final int numFeature) throws ModelException
    {
        final String source = json.source();
        final String path = "$.learner.gradient_booster.model.trees[" + t + "]";
        final List<Object> leftList = json.array(json.field(tree, "left_children", path), path + ".left_children");
        final int n = leftList.size();
        final int[] left = ints(tree, "left_children", path, n);
        final int[] right = ints(tree, "right_children", path, n);
        final int[] feature = ints(tree, "split_indices", path, n);
        final int[] defaultLeftInts = ints(tree, "default_left", path, n);
        final List<Object> conditions = sized(tree, "split_conditions", path, n);
        if (tree.containsKey("split_type"))
        {
            final int[] splitType = ints(tree, "split_type", path, n);
            for (int i = 0; i < n; i++)
            {
                if (splitType[i] != 0)
                {
                    throw new ModelException(source + ": tree " + t + " node " + i + " is a categorical split, which " +
                        "Ringflow does not score; train with numerical features");
                }
            }
        }
        final float[] value = new float[n];
        final boolean[] leaf = new boolean[n];
        final boolean[] defaultLeft = new boolean[n];
        for (int i = 0; i < n; i++)
        {
            leaf[i] = left[i] == -1;
            value[i] = json.floatValue(conditions.get(i), path + ".split_conditions[" + i + "]");
            defaultLeft[i] = defaultLeftInts[i] != 0;
            if (leaf[i] && !Float.isFinite(value[i]))
            {
                throw new ModelException(source + ": tree " + t + " leaf node " + i + " has value " + value[i] +
                    "; a leaf must be a finite number");
            }
            if (!leaf[i] && Float.isNaN(value[i]))
            {
                throw new ModelException(source + ": tree " + t + " node " + i + " has a NaN split threshold");
            }
            if (!leaf[i] && (feature[i] < 0 || feature[i] >= numFeature))
            {
                throw new ModelException(source + ": tree " + t + " node " + i + " splits on feature " + feature[i] +
                    " but the model has " + numFeature + " features");
            }
        }
        final int depth = TreeShape.depth(source, t, left, right, leaf, limits.maxTreeDepth());
        return new XgboostTree(left, right, feature, value, defaultLeft, leaf, depth);
    }

    private List<Object> sized(final Map<String, Object> tree, final String key, final String path, final int n)
        throws ModelException
    {
        final List<Object> list = json.array(json.field(tree, key, path), path + "." + key);
        if (list.size() != n)
        {
            throw new ModelException(json.source() + ": " + path + "." + key + " has " + list.size() +
                " entries but left_children has " + n);
        }
        return list;
    }

    private int[] ints(final Map<String, Object> tree, final String key, final String path, final int n)
        throws ModelException
    {
        final List<Object> list = sized(tree, key, path, n);
        final int[] out = new int[n];
        for (int i = 0; i < n; i++)
        {
            final Object v = list.get(i);
            out[i] = v instanceof Boolean ? ((Boolean)v ? 1 : 0) : json.intValue(v, path + "." + key + "[" + i + "]");
        }
        return out;
    }
}
