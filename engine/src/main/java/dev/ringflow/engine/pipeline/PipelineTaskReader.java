package dev.ringflow.engine.pipeline;

import dev.ringflow.models.learn.SgdSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the entries of a pipeline file's {@code tasks} list: one task spec per entry, with every problem reported
 * by field path through {@link YamlFields}.
 */
final class PipelineTaskReader
{
    private static final Set<String> WINDOW_FIELDS =
        Set.of("type", "range", "slide", "aggregation", "aggregations", "value-type", "value-field", "value-fields",
            "output");
    private static final Set<String> TIME_WINDOW_FIELDS = Set.of("type", "size-ms", "advance-ms",
        "out-of-orderness-ms", "allowed-lateness-ms", "aggregation", "aggregations", "value-type", "value-field",
        "value-fields", "output", "early-results-ms");
    private static final Set<String> FORMAT_FIELDS = Set.of("type", "template");
    private static final Set<String> FILTER_FIELDS = Set.of("type", "min", "max", "where");
    private static final Set<String> SET_FIELDS = Set.of("type", "set");
    private static final Set<String> SELECT_FIELDS = Set.of("type", "select");
    private static final Set<String> DROP_FIELDS = Set.of("type", "drop");
    private static final Set<String> KEY_BY_FIELDS = Set.of("type", "key-by");
    /** Tasks that may be written as their one field, {@code - key-by: card}, without a type. */
    private static final Set<String> SHORT_FORMS = Set.of("set", "select", "drop", "key-by");
    private static final Set<String> FEATURES_FIELDS = Set.of("type", "value-field", "windows");
    private static final Set<String> FEATURE_WINDOW_FIELDS = Set.of("name", "value-field", "range", "range-ms",
        "aggregation", "aggregations", "exclude-current", "out-of-orderness-ms");
    private static final Set<String> ANOMALY_FIELDS = Set.of("type", "name", "value-field", "value", "range",
        "range-ms", "method", "alpha", "threshold", "min-count", "min-std", "topic");
    private static final Set<String> LEARN_FIELDS = Set.of("type", "name", "features", "label-field",
        "learning-rate", "l2", "adagrad", "per-key", "output-field", "metrics-window");
    private static final Set<String> ROUTE_FIELDS = Set.of("type", "when", "topic", "continue");
    private static final Set<String> SESSION_WINDOW_FIELDS = Set.of("type", "gap-ms", "out-of-orderness-ms",
        "allowed-lateness-ms", "aggregation", "aggregations", "value-type", "value-field", "value-fields", "output",
        "early-results-ms");
    private static final Set<String> GLOBAL_WINDOW_FIELDS = Set.of("type", "slide", "aggregation", "aggregations",
        "value-type", "value-field", "value-fields", "output");
    private static final Set<String> FUNCTION_FIELDS = Set.of("type", "class", "config", "routes");
    private static final Set<String> SCORE_FIELDS = Set.of("type", "model", "features", "output-field",
        "watch", "model-topic", "shadow-model", "max-batch");
    private static final String TASK_TYPES = "window, time-window, session-window, global-window, format, filter, " +
        "set, select, drop, key-by, route, features, anomaly, learn, function, score";

    private PipelineTaskReader()
    {
    }

    static TaskSpec readTask(final YamlFields yaml, final Node node, final String path)
    {
        if (!(node instanceof org.yaml.snakeyaml.nodes.MappingNode))
        {
            yaml.mapping(node, path, Set.of("type"));
            return null;
        }
        final String type = typeOf(yaml, (org.yaml.snakeyaml.nodes.MappingNode)node, path);
        if (type == null)
        {
            return null;
        }
        switch (type)
        {
            case WindowTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, WINDOW_FIELDS);
                if (!fields.containsKey("range"))
                {
                    yaml.problem(path + ".range", "missing; expected the window size in elements (an integer >= 1)");
                }
                return new WindowTaskSpec(
                    (int)clampInt(yaml.integer(fields, "range", path + ".range", 1)),
                    (int)clampInt(yaml.integer(fields, "slide", path + ".slide", 1)),
                    aggregations(yaml, fields, path),
                    yaml.choice(fields, "value-type", path + ".value-type", ValueKind.class, ValueKind.LONG),
                    valueFields(yaml, fields, path),
                    yaml.choice(fields, "output", path + ".output", OutputFormat.class, OutputFormat.TEXT));
            }
            case TimeWindowTaskSpec.TYPE:
                return eventTimeWindow(yaml, node, path, false);
            case SessionWindowTaskSpec.TYPE:
                return eventTimeWindow(yaml, node, path, true);
            case GlobalWindowTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, GLOBAL_WINDOW_FIELDS);
                return new GlobalWindowTaskSpec(
                    (int)clampInt(yaml.integer(fields, "slide", path + ".slide", 1)),
                    aggregations(yaml, fields, path),
                    yaml.choice(fields, "value-type", path + ".value-type", ValueKind.class, ValueKind.LONG),
                    valueFields(yaml, fields, path),
                    yaml.choice(fields, "output", path + ".output", OutputFormat.class, OutputFormat.TEXT));
            }
            case FormatTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, FORMAT_FIELDS);
                return new FormatTaskSpec(yaml.requiredText(
                    fields, "template", path + ".template", "a template such as 'Processed: {value}'"));
            }
            case FilterTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, FILTER_FIELDS);
                if (fields.containsKey("where"))
                {
                    if (fields.containsKey("min") || fields.containsKey("max"))
                    {
                        yaml.problem(path, "give either 'where' (JSON input) or 'min'/'max' (text input), not both");
                    }
                    return new FilterTaskSpec(yaml.text(fields, "where", path + ".where", null));
                }
                if (!fields.containsKey("min") && !fields.containsKey("max"))
                {
                    yaml.problem(path, "expected 'where' (a condition on JSON fields), or 'min', 'max' or both");
                }
                return new FilterTaskSpec(
                    yaml.number(fields, "min", path + ".min", Double.NEGATIVE_INFINITY),
                    yaml.number(fields, "max", path + ".max", Double.POSITIVE_INFINITY));
            }
            case SetTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, SET_FIELDS);
                final Map<String, Node> expressions = fields.containsKey("set") ?
                    yaml.mapping(fields.get("set"), path + ".set", null) : null;
                if (!fields.containsKey("set"))
                {
                    yaml.problem(path + ".set", "missing; expected field names with expressions, e.g. " +
                        "{amount_eur: \"amount * fx\"}");
                }
                final Map<String, String> computed = new java.util.LinkedHashMap<>();
                if (null != expressions)
                {
                    for (final String name : expressions.keySet())
                    {
                        computed.put(name, yaml.text(expressions, name, path + ".set." + name, ""));
                    }
                }
                return new SetTaskSpec(computed);
            }
            case SelectTaskSpec.TYPE:
                return new SelectTaskSpec(names(yaml, yaml.mapping(node, path, SELECT_FIELDS), "select", path));
            case DropTaskSpec.TYPE:
                return new DropTaskSpec(names(yaml, yaml.mapping(node, path, DROP_FIELDS), "drop", path));
            case KeyByTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, KEY_BY_FIELDS);
                return new KeyByTaskSpec(yaml.requiredText(fields, "key-by", path + ".key-by",
                    "the field (or expression) to key by"));
            }
            case FeaturesTaskSpec.TYPE:
                return features(yaml, yaml.mapping(node, path, FEATURES_FIELDS), path);
            case AnomalyTaskSpec.TYPE:
                return anomaly(yaml, yaml.mapping(node, path, ANOMALY_FIELDS), path);
            case LearnTaskSpec.TYPE:
                return learn(yaml, yaml.mapping(node, path, LEARN_FIELDS), path);
            case RouteTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, ROUTE_FIELDS);
                return new RouteTaskSpec(
                    yaml.requiredText(fields, "when", path + ".when", "the condition for routing an event"),
                    yaml.requiredText(fields, "topic", path + ".topic", "the topic to route events to"),
                    yaml.bool(fields, "continue", path + ".continue", false));
            }
            case FunctionTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, FUNCTION_FIELDS);
                final String className = yaml.requiredText(fields, "class", path + ".class",
                    "the function's class name, e.g. com.example.Risk");
                final List<String> routes = fields.containsKey("routes") ?
                    names(yaml, fields, "routes", path) : List.of();
                return new FunctionTaskSpec(null == className ? "" : className,
                    yaml.properties(fields, "config", path + ".config"), routes, null,
                    yaml.where(path + ".class"));
            }
            case ScoreTaskSpec.TYPE:
            {
                final Map<String, Node> fields = yaml.mapping(node, path, SCORE_FIELDS);
                final String model = yaml.requiredText(fields, "model", path + ".model",
                    "the model file (XGBoost JSON, LightGBM text or ringflow-linear JSON), relative to this file");
                return new ScoreTaskSpec(null == model ? "" : model,
                    fields.containsKey("features") ? names(yaml, fields, "features", path) : List.of(),
                    yaml.text(fields, "output-field", path + ".output-field", ScoreTaskSpec.DEFAULT_OUTPUT_FIELD),
                    yaml.bool(fields, "watch", path + ".watch", false),
                    yaml.text(fields, "model-topic", path + ".model-topic", null),
                    yaml.text(fields, "shadow-model", path + ".shadow-model", null),
                    (int)clampInt(yaml.integer(fields, "max-batch", path + ".max-batch",
                        ScoreTaskSpec.DEFAULT_MAX_BATCH)),
                    null, null, null, yaml.where(path + ".model"));
            }
            default:
                yaml.problem(path + ".type", "unknown task type '" + type + "'; expected one of " + TASK_TYPES);
                return null;
        }
    }

    /**
     * A time or a session window: the two read the same fields but for what bounds a window, size and advance or
     * the gap, and each field is read (and its problems reported) in the order the spec lists it.
     */
    private static TaskSpec eventTimeWindow(
        final YamlFields yaml, final Node node, final String path, final boolean session)
    {
        final Map<String, Node> fields = yaml.mapping(node, path, session ? SESSION_WINDOW_FIELDS : TIME_WINDOW_FIELDS);
        final String lengthField = session ? "gap-ms" : "size-ms";
        if (!fields.containsKey(lengthField))
        {
            yaml.problem(path + "." + lengthField, session ?
                "missing; expected the inactivity gap that ends a session, in ms" :
                "missing; expected the window length in ms (an integer >= 1)");
        }
        final long lengthMs = yaml.integer(fields, lengthField, path + "." + lengthField, 1);
        final long advanceMs = session ? 0 : yaml.integer(fields, "advance-ms", path + ".advance-ms", lengthMs);
        final long outOfOrdernessMs = yaml.integer(fields, "out-of-orderness-ms", path + ".out-of-orderness-ms", 0);
        final long allowedLatenessMs = yaml.integer(fields, "allowed-lateness-ms", path + ".allowed-lateness-ms", 0);
        final List<Aggregation> aggregations = aggregations(yaml, fields, path);
        final ValueKind valueKind =
            yaml.choice(fields, "value-type", path + ".value-type", ValueKind.class, ValueKind.LONG);
        final List<String> valueFields = valueFields(yaml, fields, path);
        final OutputFormat output =
            yaml.choice(fields, "output", path + ".output", OutputFormat.class, OutputFormat.JSON);
        final long earlyResultsMs = yaml.integer(fields, "early-results-ms", path + ".early-results-ms", 0);
        return session ?
            new SessionWindowTaskSpec(lengthMs, outOfOrdernessMs, allowedLatenessMs, aggregations, valueKind,
                valueFields, output, earlyResultsMs) :
            new TimeWindowTaskSpec(lengthMs, advanceMs, outOfOrdernessMs, allowedLatenessMs, aggregations, valueKind,
                valueFields, output, earlyResultsMs);
    }

    private static FeaturesTaskSpec features(final YamlFields yaml, final Map<String, Node> fields, final String path)
    {
        final List<FeaturesTaskSpec.Window> windows = new ArrayList<>();
        if (null == fields)
        {
            return new FeaturesTaskSpec(windows);
        }
        final String valueField = yaml.text(fields, "value-field", path + ".value-field", null);
        if (!fields.containsKey("windows"))
        {
            yaml.problem(path + ".windows", "missing; expected a list of windows, e.g. " +
                "[{name: amt_5, range: 5, aggregations: [mean, max]}]");
            return new FeaturesTaskSpec(windows);
        }
        final List<Node> items = yaml.sequence(fields.get("windows"), path + ".windows");
        for (int i = 0; i < items.size(); i++)
        {
            final String at = path + ".windows[" + i + "]";
            final Map<String, Node> window = yaml.mapping(items.get(i), at, FEATURE_WINDOW_FIELDS);
            if (null == window)
            {
                continue;
            }
            if (window.containsKey("range") == window.containsKey("range-ms"))
            {
                yaml.problem(at, "expected either 'range' (the last N events) or 'range-ms' (the last T ms of " +
                    "event time)");
            }
            windows.add(new FeaturesTaskSpec.Window(
                yaml.requiredText(window, "name", at + ".name", "the prefix of the window's field names, e.g. amt_5"),
                yaml.text(window, "value-field", at + ".value-field", valueField),
                (int)clampInt(yaml.integer(window, "range", at + ".range", 0)),
                yaml.integer(window, "range-ms", at + ".range-ms", 0),
                aggregations(yaml, window, at),
                yaml.bool(window, "exclude-current", at + ".exclude-current", false),
                yaml.integer(window, "out-of-orderness-ms", at + ".out-of-orderness-ms", 0)));
        }
        return new FeaturesTaskSpec(windows);
    }

    private static AnomalyTaskSpec anomaly(final YamlFields yaml, final Map<String, Node> fields, final String path)
    {
        if (null == fields)
        {
            return null;
        }
        if (fields.containsKey("value-field") == fields.containsKey("value"))
        {
            yaml.problem(path, "expected either 'value-field' (the number field to judge) or 'value' (a number " +
                "expression)");
        }
        return new AnomalyTaskSpec(
            yaml.text(fields, "name", path + ".name", null),
            yaml.text(fields, "value-field", path + ".value-field", null),
            yaml.text(fields, "value", path + ".value", null),
            yaml.choice(fields, "method", path + ".method", AnomalyTaskSpec.Method.class,
                AnomalyTaskSpec.Method.ZSCORE),
            (int)clampInt(yaml.integer(fields, "range", path + ".range", 0)),
            yaml.integer(fields, "range-ms", path + ".range-ms", 0),
            yaml.number(fields, "alpha", path + ".alpha", Double.NaN),
            yaml.number(fields, "threshold", path + ".threshold", AnomalyTaskSpec.DEFAULT_THRESHOLD),
            yaml.integer(fields, "min-count", path + ".min-count", AnomalyTaskSpec.DEFAULT_MIN_COUNT),
            yaml.number(fields, "min-std", path + ".min-std", AnomalyTaskSpec.DEFAULT_MIN_STD),
            yaml.text(fields, "topic", path + ".topic", null));
    }

    private static LearnTaskSpec learn(final YamlFields yaml, final Map<String, Node> fields, final String path)
    {
        if (null == fields)
        {
            return null;
        }
        final List<String> features = new ArrayList<>();
        if (!fields.containsKey("features"))
        {
            yaml.problem(path + ".features", "missing; expected the list of number fields the model weighs");
        }
        else
        {
            final List<Node> items = yaml.sequence(fields.get("features"), path + ".features");
            for (int i = 0; i < items.size(); i++)
            {
                final String at = path + ".features[" + i + "]";
                final String name = yaml.text(Map.of("f", items.get(i)), "f", at, null);
                if (features.contains(name))
                {
                    yaml.problem(at, "feature '" + name + "' given twice");
                }
                else if (null != name)
                {
                    features.add(name);
                }
            }
        }
        return new LearnTaskSpec(
            yaml.text(fields, "name", path + ".name", null),
            features,
            yaml.requiredText(fields, "label-field", path + ".label-field",
                "the field holding each event's label (0/1 or false/true)"),
            yaml.number(fields, "learning-rate", path + ".learning-rate", SgdSpec.DEFAULT_LEARNING_RATE),
            yaml.number(fields, "l2", path + ".l2", 0),
            yaml.bool(fields, "adagrad", path + ".adagrad", false),
            yaml.bool(fields, "per-key", path + ".per-key", false),
            yaml.text(fields, "output-field", path + ".output-field", LearnTaskSpec.DEFAULT_OUTPUT_FIELD),
            (int)clampInt(yaml.integer(fields, "metrics-window", path + ".metrics-window",
                SgdSpec.DEFAULT_METRICS_WINDOW)));
    }

    /** {@code select: [a, b]}: top-level field names. */
    private static List<String> names(final YamlFields yaml, final Map<String, Node> fields, final String key,
        final String path)
    {
        final List<String> names = new ArrayList<>();
        if (null == fields)
        {
            return names;
        }
        if (!fields.containsKey(key))
        {
            yaml.problem(path + "." + key, "missing; expected a list of field names");
            return names;
        }
        final List<Node> items = yaml.sequence(fields.get(key), path + "." + key);
        for (int i = 0; i < items.size(); i++)
        {
            final String name = yaml.text(Map.of("f", items.get(i)), "f", path + "." + key + "[" + i + "]", null);
            if (null != name && !names.contains(name))
            {
                names.add(name);
            }
        }
        return names;
    }

    /** {@code value-field: temp} or {@code value-fields: [temp, hum]}; neither for text input. */
    private static List<String> valueFields(final YamlFields yaml, final Map<String, Node> fields, final String path)
    {
        final List<String> names = new ArrayList<>();
        if (fields.containsKey("value-field") && fields.containsKey("value-fields"))
        {
            yaml.problem(path + ".value-fields", "give either 'value-field' or 'value-fields', not both");
        }
        final String single = yaml.text(fields, "value-field", path + ".value-field", null);
        if (null != single)
        {
            names.add(single);
        }
        if (fields.containsKey("value-fields"))
        {
            final List<Node> items = yaml.sequence(fields.get("value-fields"), path + ".value-fields");
            for (int i = 0; i < items.size(); i++)
            {
                final String name = yaml.text(Map.of("f", items.get(i)), "f", path + ".value-fields[" + i + "]", null);
                if (null != name && !names.contains(name))
                {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** {@code aggregation: sum} or {@code aggregations: [sum, mean]}; exactly one of the two. */
    private static List<Aggregation> aggregations(final YamlFields yaml, final Map<String, Node> fields,
        final String path)
    {
        final List<Aggregation> aggregations = new ArrayList<>();
        final boolean single = fields.containsKey("aggregation");
        final boolean several = fields.containsKey("aggregations");
        if (single && several)
        {
            yaml.problem(path + ".aggregations", "give either 'aggregation' or 'aggregations', not both");
        }
        else if (single)
        {
            final Aggregation aggregation = yaml.choice(
                fields, "aggregation", path + ".aggregation", Aggregation.class, null);
            if (null != aggregation)
            {
                aggregations.add(aggregation);
            }
        }
        else if (several)
        {
            final List<Node> items = yaml.sequence(fields.get("aggregations"), path + ".aggregations");
            for (int i = 0; i < items.size(); i++)
            {
                final Aggregation aggregation = yaml.choice(Map.of("a", items.get(i)), "a",
                    path + ".aggregations[" + i + "]", Aggregation.class, null);
                if (null != aggregation && !aggregations.contains(aggregation))
                {
                    aggregations.add(aggregation);
                }
            }
        }
        else
        {
            yaml.problem(path + ".aggregation", "missing; expected one of " + YamlFields.names(Aggregation.class) +
                " (or a list of them as 'aggregations')");
        }
        return aggregations;
    }

    private static String typeOf(final YamlFields yaml, final org.yaml.snakeyaml.nodes.MappingNode node, final String path)
    {
        for (final org.yaml.snakeyaml.nodes.NodeTuple tuple : node.getValue())
        {
            if (tuple.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode key && "type".equals(key.getValue()))
            {
                return yaml.text(Map.of("type", tuple.getValueNode()), "type", path + ".type", null);
            }
        }
        if (node.getValue().size() == 1 && node.getValue().get(0).getKeyNode() instanceof
            org.yaml.snakeyaml.nodes.ScalarNode key && SHORT_FORMS.contains(key.getValue()))
        {
            return key.getValue();
        }
        yaml.problem(path + ".type", "missing; expected one of " + TASK_TYPES);
        return null;
    }

    private static long clampInt(final long value)
    {
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
