package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.expr.FieldType;
import dev.ringflow.engine.expr.FieldValues;
import dev.ringflow.engine.pipeline.ScoreModelLoader;
import dev.ringflow.engine.pipeline.ScoreTaskSpec;
import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelException;

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
    private final Model model;
    private final boolean handlesMissing;
    private final int[] featureFields;
    private final String[] notNumber;
    private final String[] missing;
    private final double[] row;
    private final int scoreField;
    private final int versionField;
    private final byte[] version;

    ScoreStage(final ScoreTaskSpec spec, final JsonEvents events)
    {
        super(events);
        model = null == spec.loaded() ? load(spec) : spec.loaded();
        handlesMissing = model.handlesMissing();
        final List<String> features = spec.features().isEmpty() ? model.featureNames() : spec.features();
        final FieldTable table = events.table();
        featureFields = new int[features.size()];
        notNumber = new String[features.size()];
        missing = new String[features.size()];
        for (int i = 0; i < featureFields.length; i++)
        {
            featureFields[i] = table.fieldId(features.get(i));
            notNumber[i] = "the score feature '" + features.get(i) + "' is not a number";
            missing[i] = "the score feature '" + features.get(i) + "' is missing or null, and the model " +
                model.sourceName() + " has no missing-value handling";
        }
        row = new double[Math.max(features.size(), model.featureCount())];
        scoreField = table.define(spec.outputField(), FieldType.NUMBER);
        versionField = table.define(spec.versionField(), FieldType.STRING);
        version = model.version().getBytes(StandardCharsets.UTF_8);
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
        final double[] row = this.row;
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
                    outputs.deadLetter(missing[i]);
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
        final double score = model.score(row);
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
        return true;
    }
}
