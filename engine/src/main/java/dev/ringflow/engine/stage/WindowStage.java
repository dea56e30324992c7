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
 * Feeds each record's values into per-key count or global windows; when the windows fire, the record becomes the
 * windows' result, otherwise it produces nothing. All value fields of a key fire together: they see the same elements.
 */
final class WindowStage implements Stage, WindowInput.IdleKeyHandler
{
    /**
     * Window state (keys x bytes per key) below which looking ahead does not pay: it stays in the CPU caches, and the
     * extra key lookup only adds work (half this machine class's 2 MiB second-level cache). The system property
     * {@code ringflow.lookAheadMinBytes} overrides it: 0 looks ahead always, a huge value never.
     */
    static final long LOOK_AHEAD_MIN_BYTES = Long.getLong("ringflow.lookAheadMinBytes", 1 << 20);

    private final ElementWindows window;
    private final WindowInput input;
    private final WindowOutputWriter writer;
    private final boolean isLong;
    private final boolean perField;
    /** Record keys of the records looked ahead at; null if the stage does not look ahead. */
    private final ByteSlice[] lookedAheadKeys;
    private final int[] lookedAheadIds;
    private final int[] lookedAheadWindowKeys;
    private int lookedAheadCount;
    /** Keys from which on the windows' state is beyond {@link #LOOK_AHEAD_MIN_BYTES}. */
    private final long lookAheadMinKeys;

    WindowStage(final WindowTaskSpec spec, final SourceSpec source, final KeyInterner keys,
        final AsciiNumbers numbers, final long idleKeyTimeoutMs, final JsonEvents events)
    {
        this(new CountWindowAggregator(spec.range(), spec.slide(), spec.valueKind(),
            EnumSet.copyOf(spec.aggregations()), 1024), spec.aggregations(), spec.valueKind(), spec.valueFields(),
            spec.output(), source, keys, numbers, idleKeyTimeoutMs, events);
    }

    WindowStage(final GlobalWindowTaskSpec spec, final SourceSpec source, final KeyInterner keys,
        final AsciiNumbers numbers, final long idleKeyTimeoutMs, final JsonEvents events)
    {
        this(new GlobalWindowAggregator(spec.slide(), spec.valueKind(), EnumSet.copyOf(spec.aggregations()), 1024),
            spec.aggregations(), spec.valueKind(), spec.valueFields(), spec.output(), source, keys, numbers,
            idleKeyTimeoutMs, events);
    }

    private WindowStage(final ElementWindows window, final List<Aggregation> aggregations, final ValueKind kind,
        final List<String> valueFields, final OutputFormat output, final SourceSpec source, final KeyInterner keys,
        final AsciiNumbers numbers, final long idleKeyTimeoutMs, final JsonEvents events)
    {
        this.window = window;
        this.input = new WindowInput(source, valueFields, kind, numbers, keys, idleKeyTimeoutMs, events);
        this.writer = new WindowOutputWriter(output, aggregations, false, valueFields, numbers);
        this.isLong = kind == ValueKind.LONG;
        this.perField = !valueFields.isEmpty();
        final boolean looksAhead = window instanceof CountWindowAggregator && input.keysAreRecordKeys();
        this.lookedAheadKeys = looksAhead ? new ByteSlice[ElementWindows.PREFETCH_GROUP] : null;
        this.lookedAheadIds = looksAhead ? new int[ElementWindows.PREFETCH_GROUP] : null;
        this.lookedAheadWindowKeys = looksAhead ? new int[ElementWindows.PREFETCH_GROUP * input.fieldCount()] : null;
        this.lookAheadMinKeys = window instanceof CountWindowAggregator count ?
            LOOK_AHEAD_MIN_BYTES / ((long)count.bytesPerKey() * input.fieldCount()) : Long.MAX_VALUE;
    }

    /**
     * True if {@link #lookAhead} is worth calling: the windows can load their state ahead of the adds, and there are
     * enough keys that it is not all in the CPU caches anyway.
     */
    boolean looksAhead()
    {
        return null != lookedAheadKeys && input.keyCount() >= lookAheadMinKeys;
    }

    /**
     * Notes a record key whose record will come soon; the next {@link #prefetchLookedAhead} loads the state its
     * record will touch. {@code recordKey} must not change until then.
     */
    void lookAhead(final ByteSlice recordKey)
    {
        if (lookedAheadCount == lookedAheadKeys.length)
        {
            prefetchLookedAhead();
        }
        lookedAheadKeys[lookedAheadCount++] = recordKey;
    }

    /**
     * Loads what the records noted by {@link #lookAhead} since the last call will touch: their keys' entries in the
     * key table, then their window state, each for the whole group at once so that the cache misses overlap.
     * Changes nothing that results depend on.
     */
    void prefetchLookedAhead()
    {
        final int count = lookedAheadCount;
        if (0 == count)
        {
            return;
        }
        lookedAheadCount = 0;
        final int[] keyIds = lookedAheadIds;
        input.findKeyIds(lookedAheadKeys, count, keyIds);
        final int fields = input.fieldCount();
        final int[] windowKeys = lookedAheadWindowKeys;
        int windowKeyCount = 0;
        for (int i = 0; i < count; i++)
        {
            final int keyId = keyIds[i];
            if (keyId != KeyInterner.MISSING)
            {
                for (int field = 0; field < fields; field++)
                {
                    windowKeys[windowKeyCount++] = input.windowKey(keyId, field);
                }
            }
        }
        window.prefetch(windowKeys, 0, windowKeyCount);
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
