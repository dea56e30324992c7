package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The feature windows of one pipeline task for all its keys: each event of a key gets, at once, the aggregates of
 * each window over the key's recent events (Flink SQL's {@code OVER (PARTITION BY key ORDER BY ts ... PRECEDING)}),
 * with no buffering and no watermark.
 * <pre>
 *   FeatureWindows windows = new FeatureWindows(10_000,
 *       FeatureWindowSpec.countWindow(5).aggregations(EnumSet.of(MEAN, MAX)),
 *       FeatureWindowSpec.timeWindow(3_600_000).aggregations(EnumSet.of(COUNT, SUM, MEAN)));
 *   windows.onEvent(keyId, timeMs, values);           // values[w]: the event's value for window w, or MISSING
 *   double meanOfLast5 = windows.result(0, MEAN);
 * </pre>
 * <b>Windows.</b> A count window ({@code range: N}) is the key's last N events that carry its value, in arrival
 * order; event time plays no part. A time window ({@code range-ms: T}) of an event at time t is the key's events
 * that arrived before it and whose time lies in {@code (t - T, t]}, plus the event itself: an event that arrived
 * earlier with a time after t is not in it, and a late event is in the windows of later events whose range holds
 * its time. FIRST and LAST are the oldest and newest element: by arrival in a count window; by time in a time
 * window, equal times by arrival (so LAST is the current event whenever it is included).
 * <p>
 * <b>Late events and eviction.</b> Per key and time window, with M the largest event time the key has had before
 * this event and L the window's {@link FeatureWindowSpec#outOfOrdernessMs out-of-orderness} (0 by default): an
 * element is dropped once its time is at or before {@code M - T - L}, the oldest time any event up to L behind M can
 * need. So an event at {@code t >= M - L} sees its whole window, exactly; an event later than that is answered over
 * what is kept, i.e. its window is the elements in {@code (max(t, M - L) - T, t]} (plus itself when included), and
 * it is not kept for later events when its own time is at or before {@code M - T - L}. Every event of a key, with
 * or without a value, advances M. An in-order event costs O(1) (amortised for MIN, MAX, VARIANCE, STDDEV); a late
 * one O(log n + its window) for a rescan and O(elements after it) to insert it in time order.
 * <p>
 * <b>Current event.</b> With {@link FeatureWindowSpec#excludeCurrent excludeCurrent}, an event's aggregates are over
 * the key's previous events only. A window with no elements has {@link #count} 0, {@link #hasResult} false and
 * every other aggregate NaN.
 * <p>
 * <b>Missing values.</b> A value that is not finite ({@link #MISSING}, any NaN, an infinity) is missing: the event
 * is not added to that window, and the window's answer to it is the one it would have with the current event
 * excluded. Time windows still take its time as the key's latest (above).
 * <p>
 * <b>Numbers.</b> Sums are Neumaier-compensated (error about one rounding of the window's sum, plus
 * {@code n * 2^-106 * sum|x|}); MEAN is SUM / COUNT; VARIANCE is the population variance from merged Welford
 * aggregates, which never subtract a leaving value (a late event's window: two passes over it); MIN, MAX, FIRST,
 * LAST and COUNT are exact.
 * <p>
 * <b>Note:</b> Keys are dense int ids from 0 chosen by the caller ({@link #forget} frees one for reuse). Event times
 * must lie above {@code Long.MIN_VALUE + 2 * FeatureWindowSpec.MAX_RANGE_MS}, so that no bound overflows.
 * <p>
 * <b>Note:</b> Allocation free in steady state: state grows (by doubling) when a key id or a key's window exceeds
 * what has been seen, never per event. Not thread-safe: one owner thread.
 */
public final class FeatureWindows implements WindowState
{
    /** The value of a window the event lacks (any non-finite value counts as missing). */
    public static final double MISSING = Double.NaN;

    private final FeatureWindowSpec[] specs;
    private final FeatureWindow[] windows;
    /** Per window, bit {@code 1 << ordinal} for each aggregation it computes. */
    private final int[] aggregationBits;
    /** The last event's answer of window w from {@code w * FeatureAnswer.WORDS}. */
    private final double[] answers;

    /**
     * @param expectedKeys initial capacity of the key tables; they grow as needed.
     * @throws IllegalArgumentException when there is no window or a window is not well defined.
     */
    public FeatureWindows(final int expectedKeys, final FeatureWindowSpec... specs)
    {
        if (0 == specs.length)
        {
            throw new IllegalArgumentException("a features task needs at least one window");
        }
        this.specs = new FeatureWindowSpec[specs.length];
        windows = new FeatureWindow[specs.length];
        aggregationBits = new int[specs.length];
        for (int w = 0; w < specs.length; w++)
        {
            final FeatureWindowSpec spec = specs[w].copy().conclude();
            this.specs[w] = spec;
            windows[w] = spec.isCountWindow() ? new CountFeatureWindow(spec, expectedKeys) :
                new TimeFeatureWindow(spec, expectedKeys);
            aggregationBits[w] = spec.aggregationBits();
        }
        answers = new double[specs.length * FeatureAnswer.WORDS];
    }

    public int windowCount()
    {
        return windows.length;
    }

    /** A copy of window {@code window}'s definition. */
    public FeatureWindowSpec spec(final int window)
    {
        return specs[window].copy();
    }

    /**
     * Takes an event of a key into every window and makes each window's aggregates for it readable through
     * {@link #result}, until the next event.
     *
     * @param values the event's value for each window, {@link #MISSING} where it has none.
     * @throws IllegalArgumentException when {@code keyId} is negative.
     */
    public void onEvent(final int keyId, final long timeMs, final double[] values)
    {
        if (keyId < 0)
        {
            throw new IllegalArgumentException("key id must be >= 0, was " + keyId);
        }
        final FeatureWindow[] windows = this.windows;
        final double[] answers = this.answers;
        for (int w = 0; w < windows.length; w++)
        {
            final double value = values[w];
            windows[w].onEvent(keyId, timeMs, value, Double.isFinite(value), answers, w * FeatureAnswer.WORDS);
        }
    }

    /** Elements in window {@code window} for the last event. */
    public long count(final int window)
    {
        return (long)answers[window * FeatureAnswer.WORDS + FeatureAnswer.COUNT];
    }

    /** False when window {@code window} had no elements for the last event: its aggregates but COUNT are NaN. */
    public boolean hasResult(final int window)
    {
        return 0 != answers[window * FeatureAnswer.WORDS + FeatureAnswer.COUNT];
    }

    /**
     * An aggregate of window {@code window} for the last event: NaN when the window is empty (COUNT is then 0) or
     * was not built with {@code aggregation}.
     */
    public double result(final int window, final Aggregation aggregation)
    {
        if (0 == (aggregationBits[window] & 1 << aggregation.ordinal()) && Aggregation.COUNT != aggregation)
        {
            return Double.NaN;
        }
        return FeatureAnswer.read(answers, window * FeatureAnswer.WORDS, aggregation);
    }

    /** Drops a key's state in every window; its id may then be given to another key. */
    public void forget(final int keyId)
    {
        for (final FeatureWindow window : windows)
        {
            window.forget(keyId);
        }
    }

    /** Writes each window's definition (for checking) and state. */
    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeCheck(out, windows.length);
        for (final FeatureWindowSpec spec : specs)
        {
            WindowSnapshots.writeCheck(out, spec.isCountWindow() ? 1 : 0);
            WindowSnapshots.writeCheck(out, spec.range());
            WindowSnapshots.writeCheck(out, spec.aggregationBits());
            WindowSnapshots.writeCheck(out, spec.excludeCurrent() ? 1 : 0);
            WindowSnapshots.writeCheck(out, spec.outOfOrdernessMs());
        }
        for (final FeatureWindow window : windows)
        {
            window.writeState(out);
        }
    }

    /**
     * Replaces every key's state by one {@link #writeState} wrote.
     *
     * @throws SnapshotMismatchException when the snapshot's windows were defined otherwise.
     */
    @Override
    public void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readCheck(in, windows.length, "number of feature windows");
        for (final FeatureWindowSpec spec : specs)
        {
            WindowSnapshots.readCheck(in, spec.isCountWindow() ? 1 : 0, spec + " kind (1 = count, 0 = time)");
            WindowSnapshots.readCheck(in, spec.range(), spec + " range");
            WindowSnapshots.readCheck(in, spec.aggregationBits(), spec + " aggregations (bit flags)");
            WindowSnapshots.readCheck(in, spec.excludeCurrent() ? 1 : 0, spec + " exclude-current (1 = true)");
            WindowSnapshots.readCheck(in, spec.outOfOrdernessMs(), spec + " out-of-orderness (ms)");
        }
        for (final FeatureWindow window : windows)
        {
            window.readState(in);
        }
    }
}
