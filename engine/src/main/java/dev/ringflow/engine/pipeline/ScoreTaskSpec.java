package dev.ringflow.engine.pipeline;

import dev.ringflow.models.score.Model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Scores each JSON event with a trained model (XGBoost JSON, LightGBM text or Ringflow's linear JSON) and adds the
 * score as the number field {@code outputField} and the model's version as the string field
 * {@link #versionField()}. The features are read as numbers from the event, in the model's input order.
 *
 * @param model       the model file as written in the pipeline file.
 * @param features    the event fields fed to the model, in its input order; empty for the names the model declares.
 * @param outputField the score's field name; it also names the task for models pushed to a running daemon.
 * @param watch       whether the daemon watches the model file (or directory) and swaps in what is written there.
 * @param modelTopic  a Kafka topic the daemon reads new models for this task from (keyed by {@link #name()}), or
 *                    null.
 * @param shadowModel a candidate model file scored beside the live one into {@code shadow_<output-field>}, without
 *                    affecting anything else, or null.
 * @param maxBatch    the most events scored in one call of a model that scores batches for less per row (ONNX
 *                    Runtime): the task gathers the events of a ring batch, up to this many; 1 scores each event on
 *                    its own. Models without a per-call cost always score event by event.
 * @param baseDir     the directory a relative {@code model} path is resolved against (the pipeline file's), or null
 *                    for the working directory.
 * @param loaded      the validated model; null until {@link PipelineFile} loads it (a pipeline built in code is
 *                    loaded when its processor is built).
 * @param shadow      the loaded shadow model; null until loaded, or without one.
 * @param location    where the task is written ({@code file:line}), for load-time messages; not part of the
 *                    pipeline's identity.
 */
public record ScoreTaskSpec(String model, List<String> features, String outputField, boolean watch,
    String modelTopic, String shadowModel, int maxBatch, Path baseDir, Model loaded, Model shadow, String location)
    implements TaskSpec
{
    public static final String TYPE = "score";
    public static final String DEFAULT_OUTPUT_FIELD = "score";
    /** The version field beside the default output field; other output fields get {@code <output-field>_} before. */
    public static final String VERSION_FIELD = "model_version";
    /** Events per call for a model that scores batches: ONNX Runtime's call costs as much as ~1 row in 64 here. */
    public static final int DEFAULT_MAX_BATCH = 64;
    /** The most {@code max-batch} allows: more would hold a ring batch's outputs back for long. */
    public static final int MAX_MAX_BATCH = 1024;

    public ScoreTaskSpec
    {
        features = List.copyOf(features);
    }

    /** A task scoring with a model file (relative to the working directory), for pipelines built in code. */
    public static ScoreTaskSpec of(final String model, final List<String> features, final String outputField)
    {
        return new ScoreTaskSpec(model, features, outputField, false, null, null, DEFAULT_MAX_BATCH, null, null, null,
            model);
    }

    @Override
    public String type()
    {
        return TYPE;
    }

    /** The name models pushed to a running daemon give to reach this task: its output field. */
    public String name()
    {
        return outputField;
    }

    /** Whether new models reach this task while the daemon runs. */
    public boolean swappable()
    {
        return watch || null != modelTopic;
    }

    /** The model file (or directory), resolved against {@link #baseDir()}. */
    public Path modelFile()
    {
        return null == baseDir ? Path.of(model) : baseDir.resolve(model);
    }

    /** This task with its model (and shadow model, or null) loaded. */
    public ScoreTaskSpec withModel(final Model model, final Model shadow)
    {
        return new ScoreTaskSpec(this.model, features, outputField, watch, modelTopic, shadowModel, maxBatch, baseDir,
            model, shadow, location);
    }

    /** The field the shadow model's score goes to: {@code shadow_<output-field>}. */
    public String shadowField()
    {
        return "shadow_" + outputField;
    }

    /** The shadow model file, resolved against {@link #baseDir()}; null without one. */
    public Path shadowModelFile()
    {
        return null == shadowModel ? null : null == baseDir ? Path.of(shadowModel) : baseDir.resolve(shadowModel);
    }

    /** The fields fed to the model: {@link #features()}, else the names the loaded model declares. */
    public List<String> inputFields()
    {
        return features.isEmpty() && null != loaded ? loaded.featureNames() : features;
    }

    /** {@code model_version} beside the default output field, else {@code <output-field>_model_version}. */
    public String versionField()
    {
        return DEFAULT_OUTPUT_FIELD.equals(outputField) ? VERSION_FIELD : outputField + "_" + VERSION_FIELD;
    }

    /** Equal when scoring the same way: the same file, features and field, and a model of the same version. */
    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ScoreTaskSpec that && model.equals(that.model) && features.equals(that.features) &&
            outputField.equals(that.outputField) && watch == that.watch &&
            Objects.equals(modelTopic, that.modelTopic) && Objects.equals(shadowModel, that.shadowModel) &&
            maxBatch == that.maxBatch && Objects.equals(baseDir, that.baseDir) && Objects.equals(version(loaded), version(that.loaded)) &&
            Objects.equals(version(shadow), version(that.shadow));
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(model, features, outputField, watch, modelTopic, shadowModel, maxBatch, baseDir,
            version(loaded),
            version(shadow));
    }

    private static String version(final Model model)
    {
        return null == model ? null : model.version();
    }

    /** The model path as written, the features and the output field: snapshots are tagged with it. */
    @Override
    public String toString()
    {
        return "ScoreTaskSpec[model=" + model + ", features=" + features + ", outputField=" + outputField +
            (watch ? ", watch" : "") + (null == modelTopic ? "" : ", modelTopic=" + modelTopic) +
            (null == shadowModel ? "" : ", shadowModel=" + shadowModel) + "]";
    }
}
