package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.expr.FieldType;
import dev.ringflow.engine.expr.FieldValues;
import dev.ringflow.engine.pipeline.LearnTaskSpec;
import dev.ringflow.engine.pipeline.SourceSpec;
import dev.ringflow.models.learn.LinearModelExport;
import dev.ringflow.models.learn.LogisticSgdLearner;
import dev.ringflow.models.learn.PrequentialMetrics;
import dev.ringflow.models.learn.SgdSpec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code learn} task: scores each JSON event with a logistic regression learnt online by a
 * {@link LogisticSgdLearner}, and learns from the events that carry a label, after scoring them (prequential). The
 * event gets the score and {@code model_version}, {@code <name or learn>@<n>} with n the updates of the model that
 * scored it (the key's model when per key). A feature that is absent or null is missing (NaN: no weight, no
 * gradient); one that is not a finite number, or a label other than 0, 1, false, true or null, is bad input.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free in steady state (per-key arrays grow by doubling with new keys).
 */
final class LearnStage extends FieldStage
{
    private final LogisticSgdLearner learner;
    private final LearnTaskSpec spec;
    /** Null for one model per pipeline: the key is then never read. */
    private final EventKeyAndTime keyAndTime;
    private final int[] featureFields;
    private final String[] badFeature;
    private final double[] x;
    private final int labelField;
    private final String badLabel;
    private final int outputField;
    private final int versionField;
    private final byte[] versionPrefix;
    private final ByteSlice version = new ByteSlice();
    private final LearnTaskMetrics metrics;
    /** Updates of each key's model (index 0 for one model per pipeline). */
    private long[] keyUpdates = new long[1];
    /** Updates as of the last publication of the metrics; -1 to publish at the next chance. */
    private long publishedUpdates = -1;
    private long publishedNs;

    LearnStage(final LearnTaskSpec spec, final int taskIndex, final SourceSpec source, final JsonEvents events)
    {
        super(events);
        this.spec = spec;
        final FieldTable table = events.table();
        learner = new SgdSpec(spec.features().size()).learningRate(spec.learningRate()).l2(spec.l2())
            .adagrad(spec.adagrad()).perKey(spec.perKey()).metricsWindow(spec.metricsWindow()).newLearner();
        keyAndTime = spec.perKey() ? new EventKeyAndTime(source, table) : null;
        featureFields = new int[spec.features().size()];
        badFeature = new String[featureFields.length];
        for (int j = 0; j < featureFields.length; j++)
        {
            featureFields[j] = table.fieldId(spec.features().get(j));
            badFeature[j] = "the learn feature '" + spec.features().get(j) + "' is not a finite number";
        }
        x = new double[featureFields.length];
        labelField = table.fieldId(spec.labelField());
        badLabel = "the learn label field '" + spec.labelField() + "' is not 0, 1, false, true or null";
        outputField = table.define(spec.outputField(), FieldType.NUMBER);
        versionField = table.define(spec.versionField(), FieldType.STRING);
        versionPrefix = (spec.versionPrefix() + "@").getBytes(StandardCharsets.US_ASCII);
        metrics = new LearnTaskMetrics(taskIndex, null == spec.name() ? "tasks[" + taskIndex + "]" : spec.name(),
            spec.versionPrefix());
    }

    LearnTaskMetrics metrics()
    {
        return metrics;
    }

    @Override
    boolean onEvent(final JsonEvent event, final RecordBuffer in, final int index, final OutputList outputs)
    {
        final double[] x = this.x;
        for (int j = 0; j < x.length; j++)
        {
            final int field = featureFields[j];
            final int kind = event.kind(field);
            if (kind == FieldValues.NUMBER && Double.isFinite(event.number(field)))
            {
                x[j] = event.number(field);
            }
            else if (kind == FieldValues.MISSING || kind == FieldValues.NULL)
            {
                x[j] = Double.NaN;
            }
            else
            {
                outputs.deadLetter(badFeature[j]);
                return false;
            }
        }
        final double label = label(event);
        if (Double.isNaN(label) && event.kind(labelField) != FieldValues.MISSING &&
            event.kind(labelField) != FieldValues.NULL)
        {
            outputs.deadLetter(badLabel);
            return false;
        }
        int keyId = 0;
        if (null != keyAndTime)
        {
            if (!keyAndTime.read(event, in, index, events, outputs))
            {
                return false;
            }
            keyId = keyAndTime.keyId();
            if (keyId >= keyUpdates.length)
            {
                keyUpdates = Arrays.copyOf(keyUpdates, Math.max(keyId + 1, 2 * keyUpdates.length));
            }
        }
        final long updates = keyUpdates[keyId];
        final double score;
        if (Double.isNaN(label))
        {
            score = learner.score(keyId, x);
        }
        else
        {
            score = learner.learn(keyId, x, label);
            keyUpdates[keyId] = updates + 1;
        }
        event.setNumber(outputField, score);
        final ByteSlice version = this.version;
        version.clear();
        version.append(versionPrefix, 0, versionPrefix.length);
        version.appendDigits(updates, digits(updates));
        event.setString(versionField, version.bytes(), 0, version.length());
        return true;
    }

    /** 0 or 1, or NaN when the event has no valid label (absent, null or something else). */
    private double label(final JsonEvent event)
    {
        final int kind = event.kind(labelField);
        if (kind == FieldValues.BOOLEAN)
        {
            return event.bool(labelField) ? 1 : 0;
        }
        if (kind == FieldValues.NUMBER)
        {
            final double value = event.number(labelField);
            return value == 0 || value == 1 ? Math.abs(value) : Double.NaN;
        }
        return Double.NaN;
    }

    private static int digits(final long value)
    {
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10)
        {
            digits++;
        }
        return digits;
    }

    /**
     * Publishes the figures if the model learnt since the last time and, unless {@code force}, the last time was at
     * least {@link LearnTaskMetrics#PUBLISH_INTERVAL_NS} ago.
     */
    void publishMetrics(final long nowNs, final boolean force)
    {
        final PrequentialMetrics prequential = learner.metrics();
        final long updates = prequential.recorded();
        if (updates != publishedUpdates && (force || nowNs - publishedNs >= LearnTaskMetrics.PUBLISH_INTERVAL_NS))
        {
            metrics.publish(updates, prequential.size(), prequential.logLoss(), prequential.auc());
            publishedUpdates = updates;
            publishedNs = nowNs;
        }
    }

    /**
     * The model of {@code key} (null for one model per pipeline) in the linear JSON format.
     *
     * @throws IllegalArgumentException when the key is needed and not given, given and not needed, or unknown.
     */
    LearnedModel exportModel(final String key)
    {
        int keyId = 0;
        if (null != keyAndTime)
        {
            if (null == key)
            {
                throw new IllegalArgumentException("the task learns one model per key: name the key");
            }
            final ByteSlice bytes = new ByteSlice();
            bytes.set(key.getBytes(StandardCharsets.UTF_8));
            keyId = keyAndTime.find(bytes);
            if (keyId < 0)
            {
                throw new IllegalArgumentException("the task has no model for key '" + key + "' (no event of it " +
                    "was seen)");
            }
        }
        else if (null != key)
        {
            throw new IllegalArgumentException("the task learns one model for the pipeline (per-key: false): " +
                "it takes no key");
        }
        final long updates = keyId < keyUpdates.length ? keyUpdates[keyId] : 0;
        return new LearnedModel(metrics.version(updates), LinearModelExport.toJson(learner, keyId, spec.features()));
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        if (null != keyAndTime)
        {
            keyAndTime.writeState(out);
        }
        learner.writeState(out);
        out.writeInt(keyUpdates.length);
        for (final long updates : keyUpdates)
        {
            out.writeLong(updates);
        }
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        if (null != keyAndTime)
        {
            keyAndTime.readState(in);
        }
        learner.readState(in);
        final int keys = in.readInt();
        if (keys < 1)
        {
            throw new StreamCorruptedException("learn task snapshot with " + keys + " update counts");
        }
        final long[] updates = new long[keys];
        for (int k = 0; k < keys; k++)
        {
            updates[k] = in.readLong();
        }
        keyUpdates = updates;
        publishedUpdates = -1;
    }
}
