package dev.ringflow.engine;

/**
 * Hands each event's records to the sink once the worker is done with it.
 * <p>
 * <b>Note:</b> Runs on the worker thread, fused after the pipeline's stages: a second ring consumer would have
 * to wait for the worker, and Disruptor consumers wait for the consumers before them by spinning, which takes a
 * whole core on a 2-core machine. A sink failure stops the engine: output that cannot be written must not be
 * acknowledged upstream.
 */
final class SinkHandler
{
    private final Sink sink;
    private final boolean deadLetters;
    private final boolean lateRecords;
    private final EngineCounters counters;
    private final Engine engine;

    SinkHandler(final Sink sink, final boolean deadLetters, final boolean lateRecords, final EngineCounters counters,
        final Engine engine)
    {
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.lateRecords = lateRecords;
        this.counters = counters;
        this.engine = engine;
    }

    void onEvent(final EventSlot slot, final boolean endOfBatch)
    {
        if (engine.hasFailed())
        {
            return;
        }
        try
        {
            final OutputList outputs = slot.outputs();
            for (int i = 0, size = outputs.size(); i < size; i++)
            {
                final int kind = outputs.kind(i);
                if (kind == OutputList.OUTPUT)
                {
                    emit(kind, outputs, i, slot);
                    counters.onEventOut();
                }
                else if (kind == OutputList.DEAD_LETTER && deadLetters)
                {
                    emit(kind, outputs, i, slot);
                    counters.onDeadLettered();
                }
                else if (kind == OutputList.LATE && lateRecords)
                {
                    emit(kind, outputs, i, slot);
                }
            }
            if (endOfBatch)
            {
                sink.onEndOfBatch();
            }
        }
        catch (final RuntimeException ex)
        {
            engine.fail(ex);
        }
    }

    private void emit(final int kind, final OutputList outputs, final int index, final EventSlot slot)
    {
        sink.onRecord(kind, outputs.key(index), outputs.value(index), outputs.timestampMs(index),
            outputs.reason(index), slot);
    }
}
