package dev.ringflow.engine.pipeline;

import java.util.List;

/**
 * Learns a logistic regression online by SGD from the JSON events that carry a label, and scores every event with
 * it (prequential: a labelled event is scored with the model as it is, then learnt). Each event gets the score
 * ({@code outputField}) and the version of the model that gave it ({@link #versionField()}:
 * {@code <name or learn>@<updates>}, the updates being those of the model that scored the event).
 *
 * @param name          the task's name: prefix of the model version, label of its metrics; null when not given.
 * @param features      the number fields the model weighs, in order; a missing or null one counts as missing.
 * @param labelField    the field holding the label: 0/1 or false/true; an event without it is only scored.
 * @param learningRate  the SGD step.
 * @param l2            the L2 coefficient on the weights (not the bias).
 * @param adagrad       true: a per-feature AdaGrad step.
 * @param perKey        true: one model per key ({@code source.key-field} or the record key); false: one model.
 * @param outputField   the number field the score goes to.
 * @param metricsWindow how many of the last labelled events the log-loss and AUC are over.
 */
public record LearnTaskSpec(String name, List<String> features, String labelField, double learningRate, double l2,
    boolean adagrad, boolean perKey, String outputField, int metricsWindow) implements TaskSpec
{
    public static final String TYPE = "learn";
    public static final String DEFAULT_OUTPUT_FIELD = "score";
    /** The version field beside the default output field; other output fields get {@code <output-field>_} before. */
    public static final String VERSION_FIELD = "model_version";

    /**
     * The string field every scored event gets, the version of the model that scored it: {@code model_version}
     * beside the default output field, else {@code <output-field>_model_version}, as a score task names it.
     */
    public String versionField()
    {
        return DEFAULT_OUTPUT_FIELD.equals(outputField) ? VERSION_FIELD : outputField + "_" + VERSION_FIELD;
    }

    public LearnTaskSpec
    {
        features = List.copyOf(features);
    }

    @Override
    public String type()
    {
        return TYPE;
    }

    /** What the model versions start with: the name, or {@code learn}. */
    public String versionPrefix()
    {
        return null == name ? TYPE : name;
    }
}
