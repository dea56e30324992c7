package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.TimeWindowTaskSpec;
import dev.ringflow.windows.TimeWindowAggregator;
import dev.ringflow.windows.WindowListener;
import dev.ringflow.windows.WindowResult;

import java.util.EnumSet;

/**
 * Feeds the parsed value, at the record's event time, into per-key event-time windows. Each window that the
 * watermark closes, for this record's key or any other, becomes one output record keyed by its window's key.
 * A record whose every window has closed goes to the late-data output.
 */
final class TimeWindowStage implements Stage
{
    static final String LATE = "later than the allowed lateness";

    private final TimeWindowAggregator window;
    private final ValueParser parser;
    private final KeyInterner keys;
    private final WindowOutputWriter writer;
    private final WindowListener onWindow = this::onWindow;
    private RecordBuffer out;

    TimeWindowStage(final TimeWindowTaskSpec spec, final KeyInterner keys, final AsciiNumbers numbers)
    {
        this.window = new TimeWindowAggregator(spec.sizeMs(), spec.advanceMs(), spec.outOfOrdernessMs(),
            spec.allowedLatenessMs(), spec.valueKind(), EnumSet.copyOf(spec.aggregations()), 1024);
        this.parser = new ValueParser(spec.valueKind(), numbers);
        this.keys = keys;
        this.writer = new WindowOutputWriter(spec.output(), spec.aggregations(), true, numbers);
    }

    @Override
    public void onRecord(final RecordBuffer in, final int index, final RecordBuffer out, final EventSlot slot)
    {
        final ByteSlice value = in.value(index);
        if (!parser.parse(value, slot))
        {
            return;
        }
        final long timeMs = in.timeMs(index);
        final int keyId = keys.intern(in.key(index));
        this.out = out;
        final int outcome = parser.isLong() ? window.addLong(keyId, timeMs, parser.longValue, onWindow) :
            window.addDouble(keyId, timeMs, parser.doubleValue, onWindow);
        if (outcome == TimeWindowAggregator.LATE)
        {
            final OutputList outputs = slot.outputs();
            final int late = outputs.add(OutputList.LATE, timeMs, LATE);
            outputs.key(late).set(in.key(index));
            outputs.value(late).set(value);
        }
    }

    /** Fires every open window, as at the end of a bounded input (replays). */
    void fireAll(final RecordBuffer out)
    {
        this.out = out;
        window.fireAll(onWindow);
    }

    private void onWindow(final WindowResult result)
    {
        final int added = out.add(result.windowEndMs() - 1);
        final ByteSlice key = out.key(added);
        keys.copyKey(result.keyId(), key);
        writer.write(result, key, out.value(added));
    }
}
