package dev.ringflow.models.score;

import java.util.List;

/**
 * A loaded, validated model that turns one row of features into one score.
 * <p>
 * <b>Note:</b> immutable and thread-safe: load it once on a control thread ({@link ModelLoader}) and share it with
 * every worker. {@link #score(double[])} is allocation free and never throws for any feature value.
 * <p>
 * Calling it from a worker: keep one {@code double[featureCount()]} per worker, fill it in {@link #featureNames()}
 * order (or the pipeline's {@code features} order, checked once with {@link #checkFeatures(List)}) with
 * {@link Double#NaN} for an absent, null or non-numeric field, then call {@code score}. A NaN result means the model
 * cannot score that row (only a model without missing-value handling does that: see {@link #handlesMissing()}).
 */
public interface Model
{
    /**
     * @return the format the model was read from.
     */
    ModelKind kind();

    /**
     * @return the version the file declares, else the first 12 hex digits of the SHA-256 of the file's bytes: every
     * scored event can say which model scored it.
     */
    String version();

    /**
     * @return the name the model was loaded under (usually its file name), as error messages use it.
     */
    String sourceName();

    /**
     * @return the model's input names in input order: the names the file declares, else {@code f0 .. fN-1}.
     */
    List<String> featureNames();

    /**
     * @return whether {@link #featureNames()} come from the file (false: generated {@code f0 .. fN-1}).
     */
    boolean declaresFeatureNames();

    /**
     * @return the length of the row {@link #score(double[])} reads.
     */
    int featureCount();

    /**
     * @return true when a NaN feature has a defined meaning (trees' default branches, a linear file's
     * {@code "missing": "zero"}); false when a NaN feature makes the score NaN.
     */
    boolean handlesMissing();

    /**
     * Scores one row.
     *
     * @param features at least {@link #featureCount()} values in input order; NaN means missing.
     * @return the score: a probability for logistic links and binary objectives, else the raw regression value; NaN
     * when a feature is missing and the model does not handle missing values.
     */
    double score(double[] features);

    /**
     * @return how many rows this model would rather score per {@link #scoreBatch} call: 1 (the default) for a model
     * whose call costs nothing beyond its rows, more for one with a fixed cost per call (ONNX Runtime's native call).
     * A {@code score} task with such a model gathers the events of a ring batch and scores them together.
     */
    default int preferredBatchRows()
    {
        return 1;
    }

    /**
     * Scores several rows, as {@link #score(double[])} would one by one. A model whose every call has a fixed cost
     * (ONNX Runtime's native call) overrides it to score them all in one call; the default loops, allocation free.
     *
     * @param rows   at least {@code count} rows, each as {@link #score(double[])} takes it.
     * @param count  how many rows to score, from the first.
     * @param scores receives row i's score at index i; at least {@code count} long.
     */
    default void scoreBatch(final double[][] rows, final int count, final double[] scores)
    {
        for (int i = 0; i < count; i++)
        {
            scores[i] = score(rows[i]);
        }
    }

    /**
     * Checks that the pipeline's feature list fits this model: the same count and, when the file declares names, the
     * same names in the same order. Call it once when binding a model to a pipeline, not per event.
     *
     * @param pipelineFeatures the fields the pipeline feeds, in input order.
     * @throws ModelException naming the model, the expected and the given features when they do not fit.
     */
    default void checkFeatures(final List<String> pipelineFeatures) throws ModelException
    {
        final List<String> names = featureNames();
        if (pipelineFeatures.size() != names.size())
        {
            throw new ModelException(sourceName() + ": the model takes " + names.size() + " features " + names +
                " but the pipeline gives " + pipelineFeatures.size() + " " + pipelineFeatures);
        }
        if (declaresFeatureNames())
        {
            for (int i = 0; i < names.size(); i++)
            {
                if (!names.get(i).equals(pipelineFeatures.get(i)))
                {
                    throw new ModelException(sourceName() + ": feature " + i + " of the model is '" + names.get(i) +
                        "' but the pipeline gives '" + pipelineFeatures.get(i) + "' there; the model's features are " +
                        names);
                }
            }
        }
    }
}
