package dev.ringflow.engine.pipeline;

import dev.ringflow.windows.FeatureWindowSpec;

import java.util.List;
import java.util.function.Function;

/**
 * The rules of an {@code anomaly} task's parameters, each problem reported at its field's path: what is checked
 * here is what the detector itself would refuse, said in the pipeline file's terms.
 */
final class AnomalyTaskValidator
{
    /** The boolean field an anomaly task adds (before its name prefix). */
    static final String ANOMALY_FIELD = "anomaly";
    /** The number fields an anomaly task adds (before its name prefix). */
    static final List<String> NUMBER_FIELDS = List.of("z", "mean", "std");

    private AnomalyTaskValidator()
    {
    }

    static void check(final String path, final AnomalyTaskSpec spec, final List<String> problems,
        final Function<String, String> where)
    {
        if (null != spec.name() && !spec.name().matches("[A-Za-z_][A-Za-z0-9_]*"))
        {
            problems.add(where.apply(path + ".name") + ": expected a name of letters, digits and '_', was '" +
                spec.name() + "'");
        }
        if ((null == spec.valueField()) == (null == spec.value()))
        {
            problems.add(where.apply(path) + ": expected either 'value-field' (the number field to judge) or " +
                "'value' (a number expression)");
        }
        else if (null != spec.valueField() && spec.valueField().isBlank())
        {
            problems.add(where.apply(path + ".value-field") + ": expected a field name");
        }
        if (spec.method() == AnomalyTaskSpec.Method.EWMA)
        {
            if (0 != spec.range() || 0 != spec.rangeMs())
            {
                problems.add(where.apply(path) + ": range and range-ms apply to method: zscore; ewma weighs all " +
                    "of a key's previous values, set by alpha");
            }
            if (!(spec.alpha() > 0 && spec.alpha() <= 1))
            {
                problems.add(where.apply(path + ".alpha") + ": method: ewma needs alpha, the weight of a new " +
                    "value, in (0, 1]" + (Double.isNaN(spec.alpha()) ? "" : ", was " + spec.alpha()));
            }
        }
        else
        {
            if ((spec.range() > 0) == (spec.rangeMs() > 0) || spec.range() < 0 || spec.rangeMs() < 0 ||
                spec.rangeMs() > FeatureWindowSpec.MAX_RANGE_MS)
            {
                problems.add(where.apply(path) + ": method: zscore needs either range >= 1 (the key's last N " +
                    "values) or range-ms from 1 to " + FeatureWindowSpec.MAX_RANGE_MS + " (its last T ms of " +
                    "event time)");
            }
            if (!Double.isNaN(spec.alpha()))
            {
                problems.add(where.apply(path + ".alpha") + ": alpha applies to method: ewma");
            }
        }
        if (!(spec.threshold() >= 0) || Double.isInfinite(spec.threshold()))
        {
            problems.add(where.apply(path + ".threshold") + ": expected a finite number >= 0, was " +
                spec.threshold());
        }
        if (spec.minCount() < 0)
        {
            problems.add(where.apply(path + ".min-count") + ": expected an integer >= 0, was " + spec.minCount());
        }
        if (!(spec.minStd() > 0) || Double.isInfinite(spec.minStd()))
        {
            problems.add(where.apply(path + ".min-std") + ": expected a finite number > 0, was " + spec.minStd());
        }
    }
}
