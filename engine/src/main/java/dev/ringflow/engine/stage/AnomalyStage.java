package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.expr.EvalContext;
import dev.ringflow.engine.expr.Expression;
import dev.ringflow.engine.expr.FieldType;
import dev.ringflow.engine.expr.FieldValues;
import dev.ringflow.engine.pipeline.AnomalyTaskSpec;
import dev.ringflow.engine.pipeline.SourceSpec;
import dev.ringflow.models.anomaly.AnomalyDetector;
import dev.ringflow.models.anomaly.AnomalySpec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The {@code anomaly} task: judges a number of each event (a field, or an expression) against its key's previous
 * values with a {@link AnomalyDetector}, adds the verdict as fields ({@code anomaly}, {@code z}, {@code mean},
 * {@code std}, prefixed by {@code <name>_} when named; z, mean and std are {@code null} while the key has no
 * previous value), and with a topic also sends each anomaly there, as the event is then. Key and time as for
 * {@code features}. An event whose value is missing, not a number or not finite is bad input.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free in steady state.
 */
final class AnomalyStage extends FieldStage
{
    private final AnomalyDetector detector;
    private final EventKeyAndTime keyAndTime;
    private final int valueField;
    private final Expression value;
    private final String badValue;
    private final String topic;
    private final int anomalyField;
    private final int zField;
    private final int meanField;
    private final int stdField;

    AnomalyStage(final AnomalyTaskSpec spec, final SourceSpec source, final JsonEvents events)
    {
        super(events);
        final FieldTable table = events.table();
        detector = detectorSpec(spec).newDetector(1024);
        keyAndTime = new EventKeyAndTime(source, table);
        valueField = null == spec.valueField() ? -1 : table.fieldId(spec.valueField());
        value = null == spec.value() ? null : Expression.compile(spec.value(), table, FieldType.NUMBER);
        badValue = null == spec.valueField() ?
            "the anomaly value '" + spec.value() + "' is not a finite number" :
            "the anomaly value field '" + spec.valueField() + "' is missing or not a finite number";
        topic = spec.topic();
        anomalyField = table.define(spec.fieldName("anomaly"), FieldType.BOOLEAN);
        zField = table.define(spec.fieldName("z"), FieldType.NUMBER);
        meanField = table.define(spec.fieldName("mean"), FieldType.NUMBER);
        stdField = table.define(spec.fieldName("std"), FieldType.NUMBER);
    }

    private static AnomalySpec detectorSpec(final AnomalyTaskSpec spec)
    {
        final AnomalySpec detector = spec.method() == AnomalyTaskSpec.Method.EWMA ? AnomalySpec.ewma(spec.alpha()) :
            spec.range() > 0 ? AnomalySpec.countWindow(spec.range()) : AnomalySpec.timeWindow(spec.rangeMs());
        return detector.threshold(spec.threshold()).minCount(spec.minCount()).minStd(spec.minStd());
    }

    @Override
    boolean onEvent(final JsonEvent event, final RecordBuffer in, final int index, final OutputList outputs)
    {
        final double x;
        if (null != value)
        {
            final EvalContext context = events.context();
            x = value.evalNumber(event, context);
            if (context.failed())
            {
                outputs.deadLetter(context.failure());
                return false;
            }
        }
        else
        {
            x = event.kind(valueField) == FieldValues.NUMBER ? event.number(valueField) : Double.NaN;
        }
        if (!Double.isFinite(x))
        {
            outputs.deadLetter(badValue);
            return false;
        }
        if (!keyAndTime.read(event, in, index, events, outputs))
        {
            return false;
        }
        final AnomalyDetector detector = this.detector;
        final boolean anomaly = detector.onValue(keyAndTime.keyId(), keyAndTime.timeMs(), x);
        event.setBoolean(anomalyField, anomaly);
        setNumber(event, zField, detector.z());
        setNumber(event, meanField, detector.mean());
        setNumber(event, stdField, detector.std());
        if (anomaly && null != topic)
        {
            final int routed = outputs.add(OutputList.ROUTED, in.timeMs(index), topic);
            outputs.key(routed).set(in.key(index));
            events.write(event, outputs.value(routed));
        }
        return true;
    }

    private static void setNumber(final JsonEvent event, final int field, final double value)
    {
        if (Double.isNaN(value))
        {
            event.setNull(field);
        }
        else
        {
            event.setNumber(field, value);
        }
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        keyAndTime.writeState(out);
        detector.writeState(out);
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        keyAndTime.readState(in);
        detector.readState(in);
    }
}
