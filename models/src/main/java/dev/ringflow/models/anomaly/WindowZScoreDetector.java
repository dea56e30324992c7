package dev.ringflow.models.anomaly;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.FeatureWindowSpec;
import dev.ringflow.windows.FeatureWindows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.EnumSet;

/**
 * Judges each value of a key against the population mean and standard deviation of the key's previous values in a
 * count window of more than {@link CountZScoreDetector#MAX_RANGE} values (its last {@code range}) or an event-time
 * window (its values with times in {@code (t - rangeMs, t]}), the current value excluded. The baseline is a {@link FeatureWindows} with
 * {@code excludeCurrent}, so its rules for late events and out-of-orderness apply as documented there.
 * <p>
 * <b>Note:</b> O(1) per in-order value (amortised for the variance); allocation free in steady state. Not
 * thread-safe: one owner thread.
 */
public final class WindowZScoreDetector extends Verdict
{
    private static final int WINDOW = 0;

    private final FeatureWindows windows;
    private final double[] values = new double[1];

    WindowZScoreDetector(final AnomalySpec spec, final int expectedKeys)
    {
        super(spec);
        final FeatureWindowSpec window = spec.method() == AnomalySpec.Method.ZSCORE_COUNT ?
            FeatureWindowSpec.countWindow((int)Math.min(Integer.MAX_VALUE, spec.range())) :
            FeatureWindowSpec.timeWindow(spec.range()).outOfOrdernessMs(spec.outOfOrdernessMs());
        windows = new FeatureWindows(expectedKeys, window
            .aggregations(EnumSet.of(Aggregation.COUNT, Aggregation.MEAN, Aggregation.STDDEV))
            .excludeCurrent(true));
    }

    @Override
    public boolean onValue(final int keyId, final long timeMs, final double value)
    {
        final double[] values = this.values;
        values[WINDOW] = value;
        windows.onEvent(keyId, timeMs, values);
        return judge(value, windows.result(WINDOW, Aggregation.MEAN), windows.result(WINDOW, Aggregation.STDDEV),
            windows.count(WINDOW));
    }

    @Override
    public void forget(final int keyId)
    {
        windows.forget(keyId);
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        windows.writeState(out);
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        windows.readState(in);
    }
}
