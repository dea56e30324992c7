package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * A feature window over each key's last {@code range} values in arrival order: a {@link CountWindowAggregator} that
 * fires on every value (slide 1), so its result is the window including the current event, and per key a copy of
 * the answer after its latest value, which is the answer of its next event when that event's own value is
 * excluded or missing.
 * <p>
 * <b>Note:</b> Event time plays no part. A key takes the aggregator's state and {@value FeatureAnswer#WORDS} doubles;
 * allocation free once every key id has been seen. Not thread-safe.
 */
final class CountFeatureWindow implements FeatureWindow
{
    private final CountWindowAggregator aggregator;
    private final boolean excludeCurrent;
    /** Key k's answer over its latest values from {@code k * FeatureAnswer.WORDS}; count 0 before any. */
    private double[] latest;

    CountFeatureWindow(final FeatureWindowSpec spec, final int expectedKeys)
    {
        aggregator = new CountWindowAggregator((int)spec.range(), 1, ValueKind.DOUBLE, spec.aggregations(),
            expectedKeys);
        excludeCurrent = spec.excludeCurrent();
        latest = new double[Math.max(1, expectedKeys) * FeatureAnswer.WORDS];
    }

    @Override
    public void onEvent(final int keyId, final long timeMs, final double value, final boolean hasValue,
        final double[] answers, final int answerBase)
    {
        final double[] latest = latest(keyId);
        final int base = keyId * FeatureAnswer.WORDS;
        if (!hasValue || excludeCurrent)
        {
            System.arraycopy(latest, base, answers, answerBase, FeatureAnswer.WORDS);
        }
        if (hasValue)
        {
            aggregator.addDouble(keyId, value);
            final WindowResult result = aggregator.result();
            latest[base + FeatureAnswer.COUNT] = result.count();
            latest[base + FeatureAnswer.SUM] = result.doubleValue(Aggregation.SUM);
            latest[base + FeatureAnswer.MIN] = result.doubleValue(Aggregation.MIN);
            latest[base + FeatureAnswer.MAX] = result.doubleValue(Aggregation.MAX);
            latest[base + FeatureAnswer.FIRST] = result.doubleValue(Aggregation.FIRST);
            latest[base + FeatureAnswer.LAST] = result.doubleValue(Aggregation.LAST);
            latest[base + FeatureAnswer.VARIANCE] = result.doubleValue(Aggregation.VARIANCE);
            if (!excludeCurrent)
            {
                System.arraycopy(latest, base, answers, answerBase, FeatureAnswer.WORDS);
            }
        }
    }

    /** The array of latest answers, grown to hold {@code keyId}'s. */
    private double[] latest(final int keyId)
    {
        if (keyId >= latest.length / FeatureAnswer.WORDS)
        {
            latest = Arrays.copyOf(latest, Math.max(keyId + 1, 2 * latest.length / FeatureAnswer.WORDS) *
                FeatureAnswer.WORDS);
        }
        return latest;
    }

    @Override
    public void forget(final int keyId)
    {
        aggregator.removeKey(keyId);
        if (0 <= keyId && keyId < latest.length / FeatureAnswer.WORDS)
        {
            Arrays.fill(latest, keyId * FeatureAnswer.WORDS, (keyId + 1) * FeatureAnswer.WORDS, 0);
        }
    }

    /** The aggregator's state, then the latest answer of every key that has one. */
    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        aggregator.writeState(out);
        final int keys = latest.length / FeatureAnswer.WORDS;
        int live = 0;
        for (int keyId = 0; keyId < keys; keyId++)
        {
            live += 0 == latest[keyId * FeatureAnswer.WORDS + FeatureAnswer.COUNT] ? 0 : 1;
        }
        out.writeInt(live);
        for (int keyId = 0; keyId < keys; keyId++)
        {
            final int base = keyId * FeatureAnswer.WORDS;
            if (0 != latest[base + FeatureAnswer.COUNT])
            {
                out.writeInt(keyId);
                for (int i = base; i < base + FeatureAnswer.WORDS; i++)
                {
                    out.writeDouble(latest[i]);
                }
            }
        }
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        aggregator.readState(in);
        Arrays.fill(latest, 0);
        for (int i = 0, live = in.readInt(); i < live; i++)
        {
            final int keyId = in.readInt();
            if (keyId < 0)
            {
                throw new StreamCorruptedException("key id " + keyId);
            }
            final double[] latest = latest(keyId);
            for (int w = keyId * FeatureAnswer.WORDS, end = w + FeatureAnswer.WORDS; w < end; w++)
            {
                latest[w] = in.readDouble();
            }
        }
    }
}
