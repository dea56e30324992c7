package dev.ringflow.engine.pipeline;

import java.util.List;
import java.util.function.Function;

/**
 * The rules of a {@code learn} task's parameters, each problem reported at its field's path: what the learner
 * itself would refuse ({@code SgdSpec.conclude()}), said in the pipeline file's terms, and the field names that
 * would make the task read its own output.
 */
final class LearnTaskValidator
{
    private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";

    private LearnTaskValidator()
    {
    }

    static void check(final String path, final LearnTaskSpec spec, final List<String> problems,
        final Function<String, String> where)
    {
        if (null != spec.name() && !spec.name().matches(NAME))
        {
            problems.add(where.apply(path + ".name") + ": expected a name of letters, digits and '_', was '" +
                spec.name() + "'");
        }
        if (spec.features().isEmpty())
        {
            problems.add(where.apply(path + ".features") + ": expected at least one number field");
        }
        for (int i = 0; i < spec.features().size(); i++)
        {
            if (spec.features().get(i).isBlank())
            {
                problems.add(where.apply(path + ".features[" + i + "]") + ": expected a field name");
            }
        }
        if (null != spec.labelField())
        {
            if (spec.labelField().isBlank())
            {
                problems.add(where.apply(path + ".label-field") + ": expected a field name");
            }
            else if (spec.features().contains(spec.labelField()))
            {
                problems.add(where.apply(path + ".label-field") + ": '" + spec.labelField() + "' is also a " +
                    "feature: the model would learn the answer from itself");
            }
        }
        final String output = spec.outputField();
        if (null == output || output.isEmpty() || output.indexOf('.') >= 0)
        {
            problems.add(where.apply(path + ".output-field") + ": expected a top-level field name (no dots), was '" +
                output + "'");
        }
        else if (output.equals(spec.labelField()) || spec.features().contains(output) ||
            output.equals(LearnTaskSpec.VERSION_FIELD))
        {
            problems.add(where.apply(path + ".output-field") + ": '" + output + "' is the label, a feature or " +
                LearnTaskSpec.VERSION_FIELD + ": the score needs a field of its own");
        }
        if (!(spec.learningRate() > 0) || Double.isInfinite(spec.learningRate()))
        {
            problems.add(where.apply(path + ".learning-rate") + ": expected a finite number > 0, was " +
                spec.learningRate());
        }
        if (!(spec.l2() >= 0) || Double.isInfinite(spec.l2()))
        {
            problems.add(where.apply(path + ".l2") + ": expected a finite number >= 0, was " + spec.l2());
        }
        if (spec.metricsWindow() < 1)
        {
            problems.add(where.apply(path + ".metrics-window") + ": expected an integer >= 1 (labelled events), " +
                "was " + spec.metricsWindow());
        }
    }
}
