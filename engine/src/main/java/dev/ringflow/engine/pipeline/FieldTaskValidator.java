package dev.ringflow.engine.pipeline;

import dev.ringflow.engine.expr.Expression;
import dev.ringflow.engine.expr.ExpressionException;
import dev.ringflow.engine.expr.FieldResolver;
import dev.ringflow.engine.expr.FieldType;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The rules of the tasks that work on the fields of JSON events (filter's {@code where}, set, select, drop, key-by,
 * route): they need JSON input, and every expression must parse and type-check against the fields the tasks before
 * it computed. One instance checks one pipeline, task by task, in order.
 */
final class FieldTaskValidator implements FieldResolver
{
    private final List<String> problems;
    private final Function<String, String> where;
    private final boolean json;
    private final Map<String, FieldType> computed = new HashMap<>();
    private final Map<String, Integer> ids = new HashMap<>();
    /** Top-level fields a drop removed (until a task sets them again). */
    private final Set<String> dropped = new HashSet<>();
    /** The score and version fields model tasks write, by the path of the task that writes them. */
    private final Map<String, String> modelFields = new HashMap<>();
    /** The top-level fields a select kept, or null when no select came before. */
    private Set<String> selected;

    FieldTaskValidator(final List<String> problems, final Function<String, String> where, final boolean json)
    {
        this.problems = problems;
        this.where = where;
        this.json = json;
    }

    @Override
    public int fieldId(final String path)
    {
        return ids.computeIfAbsent(path, name -> ids.size());
    }

    @Override
    public FieldType fieldType(final String path)
    {
        return computed.getOrDefault(path, FieldType.UNKNOWN);
    }

    /** Checks task {@code path} if it is a field task; returns false for other tasks. */
    boolean check(final String path, final TaskSpec task)
    {
        if (task instanceof FilterTaskSpec filter)
        {
            if (null != filter.where())
            {
                needsJson(path + ".where", "filter's 'where'");
                expression(path + ".where", filter.where(), FieldType.BOOLEAN);
            }
            else if (json)
            {
                problems.add(where.apply(path) + ": 'min'/'max' filter the text value; with format: json every " +
                    "event would be bad input: write a condition on its fields instead, e.g. where: \"amount >= 10\"");
            }
            return true;
        }
        if (task instanceof SetTaskSpec set)
        {
            needsJson(path + ".set", "set");
            if (set.fields().isEmpty())
            {
                problems.add(where.apply(path + ".set") + ": expected at least one field to set");
            }
            for (final Map.Entry<String, String> field : set.fields().entrySet())
            {
                final String fieldPath = path + ".set." + field.getKey();
                topLevelName(fieldPath, field.getKey());
                final Expression expression = expression(fieldPath, field.getValue(), null);
                computed.put(field.getKey(), null == expression ? FieldType.UNKNOWN : expression.type());
            }
            return true;
        }
        if (task instanceof SelectTaskSpec select)
        {
            names(path + ".select", "select", select.fields());
            computed.keySet().retainAll(select.fields());
            if (null == selected)
            {
                selected = new HashSet<>(select.fields());
            }
            else
            {
                selected.retainAll(select.fields());
            }
            return true;
        }
        if (task instanceof DropTaskSpec drop)
        {
            names(path + ".drop", "drop", drop.fields());
            for (final String name : drop.fields())
            {
                computed.remove(name);
                dropped.add(name);
            }
            return true;
        }
        if (task instanceof KeyByTaskSpec keyBy)
        {
            needsJson(path + ".key-by", "key-by");
            expression(path + ".key-by", keyBy.expression(), null);
            return true;
        }
        if (task instanceof FeaturesTaskSpec features)
        {
            checkFeatures(path, features);
            return true;
        }
        if (task instanceof FunctionTaskSpec function)
        {
            needsJson(path + ".class", "function");
            if (!function.className().matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*"))
            {
                problems.add(where.apply(path + ".class") + ": expected a class name such as com.example.Risk, was '" +
                    function.className() + "'");
            }
            return true;
        }
        if (task instanceof AnomalyTaskSpec anomaly)
        {
            AnomalyTaskValidator.check(path, anomaly, problems, where);
            needsJson(path, "anomaly");
            if (null != anomaly.value())
            {
                expression(path + ".value", anomaly.value(), FieldType.NUMBER);
            }
            for (final String field : AnomalyTaskValidator.NUMBER_FIELDS)
            {
                computed.put(anomaly.fieldName(field), FieldType.NUMBER);
            }
            computed.put(anomaly.fieldName(AnomalyTaskValidator.ANOMALY_FIELD), FieldType.BOOLEAN);
            return true;
        }
        if (task instanceof ScoreTaskSpec score)
        {
            checkScore(path, score);
            return true;
        }
        if (task instanceof LearnTaskSpec learn)
        {
            LearnTaskValidator.check(path, learn, problems, where);
            needsJson(path, "learn");
            modelField(path, learn.outputField());
            modelField(path, learn.versionField());
            computed.put(learn.outputField(), FieldType.NUMBER);
            computed.put(learn.versionField(), FieldType.STRING);
            return true;
        }
        if (task instanceof RouteTaskSpec route)
        {
            needsJson(path + ".when", "route");
            expression(path + ".when", route.when(), FieldType.BOOLEAN);
            return true;
        }
        return false;
    }

    /**
     * Two model tasks writing the same score or version field would leave only the later one's: which model scored
     * an event would be lost, so it is refused.
     */
    private void modelField(final String path, final String field)
    {
        final String earlier = modelFields.putIfAbsent(field, path);
        if (null != earlier)
        {
            problems.add(where.apply(path) + ": writes the field '" + field + "' that " + earlier + " writes too, " +
                "so the later would overwrite which model scored the event; give one of them another " +
                "output-field (a score or learn task then writes <output-field>_model_version)");
        }
    }

    private void checkScore(final String path, final ScoreTaskSpec score)
    {
        modelField(path, score.outputField());
        modelField(path, score.versionField());
        needsJson(path + ".model", "score");
        topLevelName(path + ".output-field", score.outputField());
        if (score.maxBatch() < 1 || score.maxBatch() > ScoreTaskSpec.MAX_MAX_BATCH)
        {
            problems.add(where.apply(path + ".max-batch") + ": expected 1 to " + ScoreTaskSpec.MAX_MAX_BATCH +
                " events per model call, was " + score.maxBatch());
        }
        final List<String> inputs = score.inputFields();
        final String at = score.features().isEmpty() ? path + ".model" : path + ".features";
        if (score.features().isEmpty() && null == score.loaded())
        {
            // A pipeline built in code: the model is loaded, and its features checked, when the processor is built.
            return;
        }
        if (inputs.isEmpty())
        {
            problems.add(where.apply(path + ".features") + ": expected at least one feature field");
        }
        for (final String field : inputs)
        {
            final String top = field.indexOf('.') < 0 ? field : field.substring(0, field.indexOf('.'));
            final FieldType type = computed.get(field);
            if (field.isEmpty())
            {
                problems.add(where.apply(at) + ": a feature field name is empty");
            }
            else if (null != type && type != FieldType.NUMBER && type != FieldType.UNKNOWN)
            {
                problems.add(where.apply(at) + ": feature '" + field + "' is a " + type.name().toLowerCase() +
                    " field set by an earlier task; a model takes numbers");
            }
            else if (!computed.containsKey(top) && (dropped.contains(top) || (null != selected && !selected.contains(top))))
            {
                problems.add(where.apply(at) + ": feature '" + field + "' is removed by an earlier " +
                    (dropped.contains(top) ? "drop" : "select") + " task; the model cannot be fed");
            }
        }
        computed.put(score.outputField(), FieldType.NUMBER);
        computed.put(score.versionField(), FieldType.STRING);
        if (null != score.shadowModel())
        {
            computed.put(score.shadowField(), FieldType.NUMBER);
        }
    }

    private void checkFeatures(final String path, final FeaturesTaskSpec features)
    {
        needsJson(path + ".windows", "features");
        if (features.windows().isEmpty())
        {
            problems.add(where.apply(path + ".windows") + ": expected at least one window");
        }
        final java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < features.windows().size(); i++)
        {
            final FeaturesTaskSpec.Window window = features.windows().get(i);
            final String at = path + ".windows[" + i + "]";
            if (null == window.name() || !window.name().matches("[A-Za-z_][A-Za-z0-9_]*"))
            {
                problems.add(where.apply(at + ".name") + ": expected a name of letters, digits and '_', was '" +
                    window.name() + "'");
            }
            else if (!names.add(window.name()))
            {
                problems.add(where.apply(at + ".name") + ": two windows named '" + window.name() + "'");
            }
            if (null == window.valueField())
            {
                problems.add(where.apply(at + ".value-field") + ": missing; expected the number field to aggregate " +
                    "(here or for the whole task)");
            }
            if (window.range() < 0 || (window.range() == 0 && window.rangeMs() <= 0) ||
                window.rangeMs() < 0 || window.rangeMs() > dev.ringflow.windows.FeatureWindowSpec.MAX_RANGE_MS)
            {
                problems.add(where.apply(at) + ": expected range >= 1 or range-ms from 1 to " +
                    dev.ringflow.windows.FeatureWindowSpec.MAX_RANGE_MS);
            }
            if (window.outOfOrdernessMs() < 0)
            {
                problems.add(where.apply(at + ".out-of-orderness-ms") + ": expected an integer >= 0");
            }
            if (window.aggregations().isEmpty())
            {
                problems.add(where.apply(at + ".aggregations") + ": expected at least one aggregation");
            }
            for (final dev.ringflow.windows.Aggregation aggregation : window.aggregations())
            {
                computed.put(window.fieldName(aggregation), FieldType.NUMBER);
            }
        }
    }

    private void names(final String path, final String task, final List<String> names)
    {
        needsJson(path, task);
        if (names.isEmpty())
        {
            problems.add(where.apply(path) + ": expected at least one field name");
        }
        for (int i = 0; i < names.size(); i++)
        {
            topLevelName(path + "[" + i + "]", names.get(i));
        }
    }

    private void topLevelName(final String path, final String name)
    {
        if (null == name || name.isEmpty() || name.indexOf('.') >= 0)
        {
            problems.add(where.apply(path) + ": expected a top-level field name (no dots), was '" + name + "'");
        }
    }

    private void needsJson(final String path, final String task)
    {
        if (!json)
        {
            problems.add(where.apply(path) + ": " + task + " works on the fields of JSON events: set source.format: " +
                "json");
        }
    }

    /** Compiles an expression; null (with a problem) when it does not parse, type-check or have the wanted type. */
    private Expression expression(final String path, final String text, final FieldType wanted)
    {
        if (null == text || text.isBlank())
        {
            problems.add(where.apply(path) + ": expected an expression");
            return null;
        }
        try
        {
            final Expression expression = null == wanted ? Expression.compile(text, this) :
                Expression.compile(text, this, wanted);
            if (null != wanted && expression.type() != wanted)
            {
                problems.add(where.apply(path) + ": expected a " + wanted.name().toLowerCase() +
                    " expression, but '" + text + "' gives a " + expression.type().name().toLowerCase());
                return null;
            }
            return expression;
        }
        catch (final ExpressionException ex)
        {
            problems.add(where.apply(path) + ": " + ex.getMessage() + " of '" + text + "'");
            return null;
        }
    }
}
