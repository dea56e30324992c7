package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Set;

/**
 * Per-key global windows: every element a key has ever had, emitted every {@code slide} elements of the key
 * (running totals, all-time extremes, running mean and variance). O(1) per element and {@code 88} bytes per key,
 * whatever the number of elements.
 * <p>
 * <b>Note:</b> Allocation free in steady state (the per-key arrays grow with new key ids). Not thread-safe.
 */
public final class GlobalWindowAggregator implements ElementWindows
{
    private final int slide;
    private final PaneStore panes;
    private final WindowResult result;

    public GlobalWindowAggregator(final int slide, final ValueKind kind, final Set<Aggregation> aggregations,
        final int expectedKeys)
    {
        if (slide < 1)
        {
            throw new IllegalArgumentException("slide must be >= 1, was " + slide);
        }
        if (null == kind || null == aggregations || aggregations.isEmpty())
        {
            throw new IllegalArgumentException("kind and at least one aggregation are required");
        }
        this.slide = slide;
        this.panes = new PaneStore(Math.max(16, expectedKeys), kind, PaneStore.needsMoments(aggregations));
        this.result = new WindowResult(kind);
    }

    @Override
    public boolean addLong(final int keyId, final long value)
    {
        return add(keyId, value);
    }

    @Override
    public boolean addDouble(final int keyId, final double value)
    {
        return add(keyId, Double.doubleToRawLongBits(value));
    }

    @Override
    public WindowResult result()
    {
        return result;
    }

    @Override
    public void removeKey(final int keyId)
    {
        if (keyId < panes.capacity())
        {
            panes.clear(keyId);
        }
    }

    private boolean add(final int keyId, final long bits)
    {
        if (keyId >= panes.capacity())
        {
            panes.ensureCapacity(keyId + 1);
        }
        final long sequence = panes.count(keyId) + 1;
        panes.add(keyId, bits, sequence);
        // A long division costs more than the rest of the update: skip it for the usual slide of 1.
        if (slide != 1 && sequence % slide != 0)
        {
            return false;
        }
        final WindowResult result = this.result;
        PaneStore.begin(result);
        panes.mergeInto(result, keyId);
        PaneStore.end(result);
        result.keyId = keyId;
        result.firstSequence = 1;
        result.lastSequence = sequence;
        result.windowStartMs = 0;
        result.windowEndMs = 0;
        return true;
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeCheck(out, slide);
        panes.writeState(out, panes.capacity());
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readCheck(in, slide, "global window slide");
        for (int keyId = 0; keyId < panes.capacity(); keyId++)
        {
            panes.clear(keyId);
        }
        panes.readState(in);
    }
}
