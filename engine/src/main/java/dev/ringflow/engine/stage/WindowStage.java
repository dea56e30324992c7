package dev.ringflow.engine.stage;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.WindowTaskSpec;
import dev.ringflow.windows.CountWindowAggregator;

import java.util.EnumSet;

/**
 * Feeds the parsed value into a per-key count window; when the window fires, the record's value becomes the
 * window's result, otherwise the record produces nothing.
 */
final class WindowStage implements Stage
{
    private final CountWindowAggregator window;
    private final ValueParser parser;
    private final KeyInterner keys;
    private final WindowOutputWriter writer;

    WindowStage(final WindowTaskSpec spec, final KeyInterner keys, final AsciiNumbers numbers)
    {
        this.window = new CountWindowAggregator(
            spec.range(), spec.slide(), spec.valueKind(), EnumSet.copyOf(spec.aggregations()), 1024);
        this.parser = new ValueParser(spec.valueKind(), numbers);
        this.keys = keys;
        this.writer = new WindowOutputWriter(spec.output(), spec.aggregations(), false, numbers);
    }

    @Override
    public void onRecord(final RecordBuffer in, final int index, final RecordBuffer out, final EventSlot slot)
    {
        if (!parser.parse(in.value(index), slot))
        {
            return;
        }
        final int keyId = keys.intern(in.key(index));
        final boolean fired = parser.isLong() ? window.addLong(keyId, parser.longValue) :
            window.addDouble(keyId, parser.doubleValue);
        if (fired)
        {
            final int added = out.addWithKeyOf(in, index);
            writer.write(window.result(), out.key(added), out.value(added));
        }
    }
}
