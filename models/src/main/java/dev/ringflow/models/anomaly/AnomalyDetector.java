package dev.ringflow.models.anomaly;

import dev.ringflow.windows.WindowState;

/**
 * A per-key detector: each value of a key is judged against the key's baseline built from its previous values (the
 * current one excluded), then added to that baseline. The evidence of the last call is readable until the next one.
 * <pre>
 *   boolean anomaly = detector.onValue(keyId, timeMs, amount);
 *   double z = detector.z(), mean = detector.mean(), std = detector.std();
 * </pre>
 * <b>Note:</b> Keys are dense int ids from 0 chosen by the caller. Not thread-safe: one owner thread. Allocation free
 * in steady state.
 */
public interface AnomalyDetector extends WindowState
{
    /**
     * Judges {@code value} against the key's baseline, then adds it.
     *
     * @param timeMs the event time; ignored by detectors that do not use time.
     * @param value  the key's new value; a non-finite value is missing: not judged (z NaN, not an anomaly) and not
     *               added.
     * @return true when the value is an anomaly by the {@link ZScore} rule.
     */
    boolean onValue(int keyId, long timeMs, double value);

    /** The last value's z; NaN when it was missing or the key had no previous value. */
    double z();

    /** The mean of the baseline the last value was judged against; NaN when the key had no previous value. */
    double mean();

    /** The standard deviation of that baseline (before the {@code minStd} floor); NaN when it was empty. */
    double std();

    /** How many previous values that baseline was built from (for EWMA: every previous value of the key). */
    long count();

    /** Drops a key's state; its id may then be given to another key. */
    void forget(int keyId);
}
