package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.expr.FieldType;
import dev.ringflow.engine.expr.FieldValues;
import dev.ringflow.engine.pipeline.FeaturesTaskSpec;
import dev.ringflow.engine.pipeline.SourceSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.FeatureWindowSpec;
import dev.ringflow.windows.FeatureWindows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;

/**
 * The {@code features} task: adds to each event, at once, the aggregates of its key's recent events per window as
 * number fields ({@code <name>_<aggregation>}); a window with nothing in it gives {@code null} (COUNT gives 0). The
 * key is the record key (as {@code key-by} left it) or {@code source.key-field}; the time is
 * {@code source.timestamp-field} or the record timestamp. An event without a window's value field (or with one that
 * is not a number) is not added to that window but still gets its aggregates.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free in steady state.
 */
final class FeaturesStage extends FieldStage
{
    private final FeatureWindows windows;
    private final EventKeyAndTime keyAndTime;
    private final int[] valueFields;
    private final Aggregation[][] aggregations;
    private final int[][] outputFields;
    private final double[] values;

    FeaturesStage(final FeaturesTaskSpec spec, final SourceSpec source, final JsonEvents events)
    {
        super(events);
        final List<FeaturesTaskSpec.Window> specs = spec.windows();
        final FeatureWindowSpec[] windowSpecs = new FeatureWindowSpec[specs.size()];
        valueFields = new int[specs.size()];
        aggregations = new Aggregation[specs.size()][];
        outputFields = new int[specs.size()][];
        values = new double[specs.size()];
        final FieldTable table = events.table();
        for (int w = 0; w < windowSpecs.length; w++)
        {
            final FeaturesTaskSpec.Window window = specs.get(w);
            windowSpecs[w] = (window.range() > 0 ? FeatureWindowSpec.countWindow(window.range()) :
                FeatureWindowSpec.timeWindow(window.rangeMs()))
                .aggregations(EnumSet.copyOf(window.aggregations()))
                .excludeCurrent(window.excludeCurrent())
                .outOfOrdernessMs(window.outOfOrdernessMs());
            valueFields[w] = table.fieldId(window.valueField());
            aggregations[w] = window.aggregations().toArray(new Aggregation[0]);
            outputFields[w] = new int[aggregations[w].length];
            for (int a = 0; a < aggregations[w].length; a++)
            {
                outputFields[w][a] = table.define(window.fieldName(aggregations[w][a]), FieldType.NUMBER);
            }
        }
        windows = new FeatureWindows(1024, windowSpecs);
        keyAndTime = new EventKeyAndTime(source, table);
    }

    @Override
    boolean onEvent(final JsonEvent event, final RecordBuffer in, final int index, final OutputList outputs)
    {
        if (!keyAndTime.read(event, in, index, events, outputs))
        {
            return false;
        }
        final double[] values = this.values;
        for (int w = 0; w < values.length; w++)
        {
            final int field = valueFields[w];
            values[w] = event.kind(field) == FieldValues.NUMBER ? event.number(field) : FeatureWindows.MISSING;
        }
        windows.onEvent(keyAndTime.keyId(), keyAndTime.timeMs(), values);
        for (int w = 0; w < values.length; w++)
        {
            final Aggregation[] aggregations = this.aggregations[w];
            final int[] fields = outputFields[w];
            final boolean hasResult = windows.hasResult(w);
            for (int a = 0; a < aggregations.length; a++)
            {
                if (aggregations[a] == Aggregation.COUNT)
                {
                    event.setNumber(fields[a], windows.count(w));
                }
                else if (hasResult)
                {
                    event.setNumber(fields[a], windows.result(w, aggregations[a]));
                }
                else
                {
                    event.setNull(fields[a]);
                }
            }
        }
        return true;
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        keyAndTime.writeState(out);
        windows.writeState(out);
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        keyAndTime.readState(in);
        windows.readState(in);
    }
}
