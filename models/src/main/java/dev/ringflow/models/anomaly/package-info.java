/**
 * Per-key anomaly detectors on one number: a z-score against the key's previous values in a count or event-time
 * window ({@link dev.ringflow.models.anomaly.WindowZScoreDetector}) or against an exponentially weighted mean and
 * variance ({@link dev.ringflow.models.anomaly.EwmaDetector}), both judged by the one rule of
 * {@link dev.ringflow.models.anomaly.ZScore}. O(1) per value and allocation free in steady state.
 */
package dev.ringflow.models.anomaly;
