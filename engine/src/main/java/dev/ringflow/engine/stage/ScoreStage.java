package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.expr.FieldType;
import dev.ringflow.engine.expr.FieldValues;
import dev.ringflow.engine.pipeline.ScoreModelLoader;
import dev.ringflow.engine.pipeline.ScoreTaskSpec;
import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelException;

import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import dev.ringflow.windows.SnapshotMismatchException;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code score} task: reads the model's features from each event as numbers, scores them with the task's
 * {@link Model} and adds the score (a number field) and the model's version (a string field). An absent or
 * {@code null} feature is missing, which the model's missing-value handling decides (tree models: each split's
 * default branch); a model without one makes the event bad input, as does a feature that is not a number.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free in steady state. The model is immutable and shared.
 */
final class ScoreStage extends FieldStage
{
    private final String name;
    private final List<String> features;
    private final int[] featureFields;
    private final String[] notNumber;
    private final int scoreField;
    private final int versionField;
    // Replaced together by a model swap, between events.
    private Model model;
    private boolean handlesMissing;
    private String[] missing;
    private double[] row;
    private byte[] version;
    /** The swapped-in model's file, which snapshots keep; null while the task's own model scores. */
    private byte[] swappedBytes;
    /** A candidate scored beside the live model, or null; its score goes to its own field only. */
    private final Model shadow;
    private final int shadowField;
    private final double[] shadowRow;
    private final String shadowVersion;
    private ScoreTaskMetrics metrics;
    /** Events per model call when the processor batches this task; 1 when it scores each event at once. */
    private final int batchRows;
    /** While true, {@link #onEvent} gathers each event's features instead of scoring it: see {@link #defer}. */
    private boolean deferring;
    /** The gathered rows, their scores once {@link #scoreGathered} ran, how many, and how many were applied. */
    private double[][] gathered = new double[0][];
    private double[] scores = new double[0];
    private int gatheredCount;
    private int appliedCount;

    ScoreStage(final ScoreTaskSpec spec, final JsonEvents events)
    {
        super(events);
        name = spec.name();
        final Model model = null == spec.loaded() ? load(spec) : spec.loaded();
        features = spec.features().isEmpty() ? model.featureNames() : spec.features();
        final FieldTable table = events.table();
        featureFields = new int[features.size()];
        notNumber = new String[features.size()];
        for (int i = 0; i < featureFields.length; i++)
        {
            featureFields[i] = table.fieldId(features.get(i));
            notNumber[i] = "the score feature '" + features.get(i) + "' is not a number";
        }
        scoreField = table.define(spec.outputField(), FieldType.NUMBER);
        versionField = table.define(spec.versionField(), FieldType.STRING);
        shadow = null == spec.shadowModel() ? null : null == spec.shadow() ? loadShadow(spec, model) : spec.shadow();
        shadowField = null == shadow ? -1 : table.define(spec.shadowField(), FieldType.NUMBER);
        shadowRow = null == shadow ? null : new double[Math.max(features.size(), shadow.featureCount())];
        shadowVersion = null == shadow ? null : shadow.version();
        use(model);
        metrics = new ScoreTaskMetrics(-1, name, model.version(), shadowVersion);
        batchRows = Math.max(1, Math.min(spec.maxBatch(), model.preferredBatchRows()));
    }

    /**
     * How many events one model call should score: more than 1 for a model that scores a batch for less per row
     * (ONNX Runtime) and a task whose {@code max-batch} allows it; decided by the model the task loads with.
     */
    int batchRows()
    {
        return batchRows;
    }

    /**
     * From now on {@link #onEvent} only gathers each event's features (and dead-letters the events it cannot
     * score); {@link #scoreGathered} scores them in one call and {@link #applyNext} writes each event's fields, in
     * the order they were gathered.
     */
    void defer()
    {
        deferring = true;
    }

    /** Scores every gathered row in one model call. */
    void scoreGathered()
    {
        appliedCount = 0;
        if (gatheredCount > 0)
        {
            model.scoreBatch(gathered, gatheredCount, scores);
        }
    }

    /** Writes the next gathered row's score into {@code event}, the event it was gathered from. */
    void applyNext(final JsonEvent event)
    {
        final int index = appliedCount++;
        write(event, gathered[index], scores[index]);
        if (appliedCount == gatheredCount)
        {
            gatheredCount = 0;
            appliedCount = 0;
        }
    }

    /** The row the next gathered event's features go to. */
    private double[] nextGathered()
    {
        if (gatheredCount == gathered.length)
        {
            final int capacity = Math.max(batchRows, gathered.length << 1);
            gathered = java.util.Arrays.copyOf(gathered, capacity);
            for (int i = gatheredCount; i < capacity; i++)
            {
                gathered[i] = new double[row.length];
            }
            scores = new double[capacity];
        }
        return gathered[gatheredCount];
    }

    /** Numbers this stage's figures with its index in the pipeline's tasks. */
    void task(final int task)
    {
        metrics = new ScoreTaskMetrics(task, name, model.version(), shadowVersion);
    }

    ScoreTaskMetrics metrics()
    {
        return metrics;
    }

    private static Model loadShadow(final ScoreTaskSpec spec, final Model live)
    {
        try
        {
            return ScoreModelLoader.loadShadow(spec, live);
        }
        catch (final ModelException ex)
        {
            throw new IllegalArgumentException(spec.location() + ": shadow-model: " + ex.getMessage(), ex);
        }
    }

    private void use(final Model model)
    {
        this.model = model;
        handlesMissing = model.handlesMissing();
        missing = new String[features.size()];
        for (int i = 0; i < missing.length; i++)
        {
            missing[i] = "the score feature '" + features.get(i) + "' is missing or null, and the model " +
                model.sourceName() + " has no missing-value handling";
        }
        row = new double[Math.max(features.size(), model.featureCount())];
        version = model.version().getBytes(StandardCharsets.UTF_8);
    }

    /** The task's name for model swaps: its output field. */
    String name()
    {
        return name;
    }

    /**
     * Scores the next events with {@code next}, whose features were checked against this task's when the swap was
     * accepted; {@code bytes} is its file, kept for snapshots.
     */
    void swap(final Model next, final byte[] bytes) throws ModelException
    {
        next.checkFeatures(features);
        use(next);
        swappedBytes = bytes;
        metrics.onSwap(next.version());
    }

    /**
     * Scores the next events with the model {@code other} scores with now: its task's own, or one swapped in. For
     * a partition's state taken over from another daemon, which may have scored it with another version.
     */
    void adopt(final ScoreStage other)
    {
        if (other.model == model)
        {
            return;
        }
        use(other.model);
        swappedBytes = other.swappedBytes;
        metrics.onSwap(other.model.version());
    }

    String version()
    {
        return model.version();
    }

    /** A swapped-in model (its file's bytes), so that a restart scores with it again; else nothing but a flag. */
    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        out.writeBoolean(null != swappedBytes);
        if (null != swappedBytes)
        {
            out.writeUTF(model.sourceName());
            out.writeInt(swappedBytes.length);
            out.write(swappedBytes);
        }
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        if (!in.readBoolean())
        {
            return;
        }
        final String sourceName = in.readUTF();
        final byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try
        {
            swap(ModelLoader.load(bytes, sourceName, ModelLimits.defaults()), bytes);
        }
        catch (final ModelException ex)
        {
            throw new SnapshotMismatchException("the snapshot's model " + sourceName + " for score task '" + name +
                "' no longer loads: " + ex.getMessage());
        }
    }

    /** A pipeline built in code carries no loaded model: load it now, as loading a pipeline file would have. */
    private static Model load(final ScoreTaskSpec spec)
    {
        try
        {
            return ScoreModelLoader.load(spec);
        }
        catch (final ModelException ex)
        {
            throw new IllegalArgumentException(spec.location() + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    boolean onEvent(final JsonEvent event, final RecordBuffer in, final int index, final OutputList outputs)
    {
        final int[] featureFields = this.featureFields;
        final double[] row = deferring ? nextGathered() : this.row;
        final boolean handlesMissing = this.handlesMissing;
        for (int i = 0; i < featureFields.length; i++)
        {
            final int field = featureFields[i];
            final int kind = event.kind(field);
            if (kind == FieldValues.NUMBER)
            {
                row[i] = event.number(field);
            }
            else if (kind == FieldValues.MISSING || kind == FieldValues.NULL)
            {
                if (!handlesMissing)
                {
                    outputs.deadLetter(this.missing[i]);
                    return false;
                }
                row[i] = Double.NaN;
            }
            else
            {
                outputs.deadLetter(notNumber[i]);
                return false;
            }
        }
        if (deferring)
        {
            gatheredCount++;
            return true;
        }
        write(event, row, model.score(row));
        return true;
    }

    /** Writes the score, the version and the shadow model's score of {@code row} into the event's fields. */
    private void write(final JsonEvent event, final double[] row, final double score)
    {
        if (Double.isNaN(score))
        {
            // Only a linear model fed a non-finite number gets here (e.g. 1e400 times a zero weight).
            event.setNull(scoreField);
        }
        else
        {
            event.setNumber(scoreField, score);
        }
        event.setString(versionField, version, 0, version.length);
        metrics.onScored();
        if (null != shadow)
        {
            scoreShadow(event, row, score);
        }
    }

    /** The shadow model's score of the same row, into its own field; counted as agreeing on the same side of 0.5. */
    private void scoreShadow(final JsonEvent event, final double[] row, final double live)
    {
        final double[] shadowRow = this.shadowRow;
        System.arraycopy(row, 0, shadowRow, 0, featureFields.length);
        final double candidate = shadow.score(shadowRow);
        if (Double.isNaN(candidate))
        {
            event.setNull(shadowField);
            return;
        }
        event.setNumber(shadowField, candidate);
        if (!Double.isNaN(live))
        {
            metrics.onCompared(live >= 0.5 == candidate >= 0.5);
        }
    }
}
