package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.OutputFormat;
import dev.ringflow.engine.pipeline.SessionWindowTaskSpec;
import dev.ringflow.engine.pipeline.SourceSpec;
import dev.ringflow.engine.pipeline.TimeWindowTaskSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.EventTimeWindows;
import dev.ringflow.windows.PartitionWatermarks;
import dev.ringflow.windows.SessionWindowAggregator;
import dev.ringflow.windows.TimeWindowAggregator;
import dev.ringflow.windows.ValueKind;
import dev.ringflow.windows.WindowListener;
import dev.ringflow.windows.WindowResult;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;

/**
 * Feeds each record's values, at its event time, into per-key event-time windows (time or session windows). Each window that the
 * watermark closes, for this record's key or any other, becomes one output record keyed by its window's key.
 * A record whose every window has closed goes to the late-data output; one whose time is not a sane event time
 * ({@link EventTimes}) is a dead letter, never a watermark jump of thousands of years.
 * <p>
 * The watermark is kept per source partition ({@link PartitionWatermarks}): the slowest partition that has had
 * records and is not idle ({@code source.partition-idle-ms}), minus out-of-orderness, so records of a partition that
 * lags behind another are not late for that. A record further ahead of it than the window can hold for one key
 * ({@link EventTimeWindows#maxLeadMs()}) is a dead letter and moves nothing.
 * <p>
 * Windows of one key and time fire with consecutive window keys ({@code keyId * fields + field}), so the fields
 * of one window arrive one after the other and are written into one output.
 */
final class EventTimeWindowStage implements Stage, WindowInput.IdleKeyHandler
{
    static final String LATE = "later than the allowed lateness";

    private final EventTimeWindows window;
    private final WindowInput input;
    private final KeyInterner keys;
    private final WindowOutputWriter writer;
    private final boolean isLong;
    private final boolean perField;
    private final boolean markFinal;
    private final int lastField;
    private final WindowListener onWindow = this::onWindow;
    private final InputPartition partition;
    private final PartitionIds partitionIds = new PartitionIds();
    private final PartitionWatermarks watermarks;
    private final String tooFarAhead;
    private RecordBuffer out;
    private ByteSlice value;
    private long watermarkAtLastInputMs = Long.MIN_VALUE;

    EventTimeWindowStage(final TimeWindowTaskSpec spec, final SourceSpec source, final KeyInterner keys,
        final AsciiNumbers numbers, final long idleKeyTimeoutMs, final JsonEvents events,
        final InputPartition partition)
    {
        this(new TimeWindowAggregator(spec.sizeMs(), spec.advanceMs(), spec.outOfOrdernessMs(),
            spec.allowedLatenessMs(), spec.earlyResultsMs(), spec.valueKind(), EnumSet.copyOf(spec.aggregations()),
            1024), spec.aggregations(), spec.valueKind(), spec.valueFields(), spec.output(), spec.earlyResultsMs() > 0,
            spec.outOfOrdernessMs(), source, keys, numbers, idleKeyTimeoutMs, events, partition);
    }

    EventTimeWindowStage(final SessionWindowTaskSpec spec, final SourceSpec source, final KeyInterner keys,
        final AsciiNumbers numbers, final long idleKeyTimeoutMs, final JsonEvents events,
        final InputPartition partition)
    {
        this(new SessionWindowAggregator(spec.gapMs(), spec.outOfOrdernessMs(), spec.allowedLatenessMs(),
            spec.earlyResultsMs(), spec.valueKind(), EnumSet.copyOf(spec.aggregations()), 1024),
            spec.aggregations(), spec.valueKind(), spec.valueFields(), spec.output(), spec.earlyResultsMs() > 0,
            spec.outOfOrdernessMs(), source, keys, numbers, idleKeyTimeoutMs, events, partition);
    }

    private EventTimeWindowStage(final EventTimeWindows window, final List<Aggregation> aggregations,
        final ValueKind kind, final List<String> valueFields, final OutputFormat output, final boolean markFinal,
        final long outOfOrdernessMs, final SourceSpec source,
        final KeyInterner keys, final AsciiNumbers numbers, final long idleKeyTimeoutMs, final JsonEvents events,
        final InputPartition partition)
    {
        this.window = window;
        window.takeWatermarkFromOutside();
        this.partition = partition;
        this.watermarks = new PartitionWatermarks(outOfOrdernessMs, source.partitionIdleMs());
        this.tooFarAhead = "event time is more than " + window.maxLeadMs() + " ms ahead of the watermark (the " +
            "slowest input partition's time): further than the window keeps state for one key";
        this.input = new WindowInput(source, valueFields, kind, numbers, keys, idleKeyTimeoutMs, events);
        this.keys = keys;
        this.writer = new WindowOutputWriter(output, aggregations, true, valueFields, numbers);
        this.markFinal = markFinal;
        this.isLong = kind == ValueKind.LONG;
        this.perField = !valueFields.isEmpty();
        this.lastField = input.fieldCount() - 1;
    }

    @Override
    public void onRecord(final RecordBuffer in, final int index, final RecordBuffer out, final OutputList outputs)
    {
        if (!input.read(in, index, outputs))
        {
            return;
        }
        final String badTime = EventTimes.problem(input.timeMs);
        if (null != badTime)
        {
            outputs.deadLetter(badTime);
            return;
        }
        if (window.watermarkMs() != Long.MIN_VALUE && input.timeMs - window.watermarkMs() > window.maxLeadMs())
        {
            // Checked here, before the record moves its partition's time: the window could not take it anyway.
            outputs.deadLetter(tooFarAhead);
            return;
        }
        this.out = out;
        input.sweepIdleKeys(this);
        window.advanceWatermark(watermarks.onElement(partitionIds.idOf(partition.topic, partition.partition),
            input.timeMs), onWindow);
        int outcome = EventTimeWindows.ACCEPTED;
        for (int field = 0; field <= lastField; field++)
        {
            final int windowKey = input.windowKey(field);
            outcome = isLong ? window.addLong(windowKey, input.timeMs, input.longValues[field], onWindow) :
                window.addDouble(windowKey, input.timeMs, input.doubleValues[field], onWindow);
        }
        watermarkAtLastInputMs = window.watermarkMs();
        if (outcome == EventTimeWindows.LATE)
        {
            final int late = outputs.add(OutputList.LATE, input.timeMs, LATE);
            outputs.key(late).set(input.key(in, index));
            outputs.value(late).set(in.value(index));
        }
    }

    @Override
    public void onIdle(final long idleMs, final RecordBuffer out, final OutputList outputs)
    {
        if (watermarkAtLastInputMs != Long.MIN_VALUE)
        {
            this.out = out;
            window.advanceWatermark(watermarkAtLastInputMs + idleMs, onWindow);
        }
    }

    @Override
    public boolean canForget(final int keyId)
    {
        for (int field = 0; field <= lastField; field++)
        {
            if (window.hasOpenWindows(input.windowKey(keyId, field)))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public void forget(final int keyId)
    {
        // An event-time key without open windows holds no window state: only its key id goes.
    }

    private void onWindow(final WindowResult result)
    {
        final int field = input.fieldOf(result.keyId());
        if (field == 0)
        {
            final int added = out.add(result.windowEndMs() - 1);
            final ByteSlice key = out.key(added);
            keys.copyKey(input.keyIdOf(result.keyId()), key);
            value = out.value(added);
            if (writer.isText())
            {
                writer.writeText(result, value);
                return;
            }
            writer.begin(result, key, value);
            if (markFinal)
            {
                writer.appendFinal(result.isFinal(), value);
            }
        }
        if (perField)
        {
            writer.appendField(field, result, value);
        }
        else
        {
            writer.appendAggregates(result, value);
        }
        if (field == lastField)
        {
            writer.end(value);
        }
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        input.writeState(out);
        window.writeState(out);
        out.writeLong(watermarkAtLastInputMs);
        partitionIds.writeState(out);
        watermarks.writeState(out);
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        input.readState(in);
        window.readState(in);
        watermarkAtLastInputMs = in.readLong();
        partitionIds.readState(in);
        watermarks.readState(in);
    }
}
