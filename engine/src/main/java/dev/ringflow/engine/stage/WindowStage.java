package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.pipeline.GlobalWindowTaskSpec;
import dev.ringflow.engine.pipeline.OutputFormat;
import dev.ringflow.engine.pipeline.SourceSpec;
import dev.ringflow.engine.pipeline.WindowTaskSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.CountWindowAggregator;
import dev.ringflow.windows.ElementWindows;
import dev.ringflow.windows.GlobalWindowAggregator;
import dev.ringflow.windows.ValueKind;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;

/**
 * Feeds each record's values into per-key count or global windows; when the windows fire, the record becomes the windows'
 * result, otherwise it produces nothing. All value fields of a key fire together: they see the same elements.
 */
final class WindowStage implements Stage, WindowInput.IdleKeyHandler
{
    private final ElementWindows window;
    private final WindowInput input;
    private final WindowOutputWriter writer;
    private final boolean isLong;
    private final boolean perField;

    WindowStage(final WindowTaskSpec spec, final SourceSpec source, final KeyInterner keys,
        final AsciiNumbers numbers, final long idleKeyTimeoutMs)
    {
        this(new CountWindowAggregator(spec.range(), spec.slide(), spec.valueKind(),
            EnumSet.copyOf(spec.aggregations()), 1024), spec.aggregations(), spec.valueKind(), spec.valueFields(),
            spec.output(), source, keys, numbers, idleKeyTimeoutMs);
    }

    WindowStage(final GlobalWindowTaskSpec spec, final SourceSpec source, final KeyInterner keys,
        final AsciiNumbers numbers, final long idleKeyTimeoutMs)
    {
        this(new GlobalWindowAggregator(spec.slide(), spec.valueKind(), EnumSet.copyOf(spec.aggregations()), 1024),
            spec.aggregations(), spec.valueKind(), spec.valueFields(), spec.output(), source, keys, numbers,
            idleKeyTimeoutMs);
    }

    private WindowStage(final ElementWindows window, final List<Aggregation> aggregations, final ValueKind kind,
        final List<String> valueFields, final OutputFormat output, final SourceSpec source, final KeyInterner keys,
        final AsciiNumbers numbers, final long idleKeyTimeoutMs)
    {
        this.window = window;
        this.input = new WindowInput(source, valueFields, kind, numbers, keys, idleKeyTimeoutMs);
        this.writer = new WindowOutputWriter(output, aggregations, false, valueFields, numbers);
        this.isLong = kind == ValueKind.LONG;
        this.perField = !valueFields.isEmpty();
    }

    @Override
    public void onRecord(final RecordBuffer in, final int index, final RecordBuffer out, final OutputList outputs)
    {
        if (!input.read(in, index, outputs))
        {
            return;
        }
        input.sweepIdleKeys(this);
        ByteSlice value = null;
        for (int field = 0, fields = input.fieldCount(); field < fields; field++)
        {
            final int windowKey = input.windowKey(field);
            final boolean fired = isLong ? window.addLong(windowKey, input.longValues[field]) :
                window.addDouble(windowKey, input.doubleValues[field]);
            if (!fired)
            {
                continue;
            }
            if (null == value)
            {
                final int added = out.add(input.timeMs);
                out.key(added).set(input.key(in, index));
                value = out.value(added);
                if (writer.isText())
                {
                    writer.writeText(window.result(), value);
                    return;
                }
                writer.begin(window.result(), out.key(added), value);
            }
            if (perField)
            {
                writer.appendField(field, window.result(), value);
            }
            else
            {
                writer.appendAggregates(window.result(), value);
            }
        }
        if (null != value)
        {
            writer.end(value);
        }
    }

    @Override
    public boolean canForget(final int keyId)
    {
        return true;
    }

    @Override
    public void forget(final int keyId)
    {
        for (int field = 0, fields = input.fieldCount(); field < fields; field++)
        {
            window.removeKey(keyId * fields + field);
        }
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        input.writeState(out);
        window.writeState(out);
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        input.readState(in);
        window.readState(in);
    }
}
