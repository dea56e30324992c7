package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import static dev.ringflow.windows.TimeFeatureState.BACK_M2;
import static dev.ringflow.windows.TimeFeatureState.BACK_MAX;
import static dev.ringflow.windows.TimeFeatureState.BACK_MEAN;
import static dev.ringflow.windows.TimeFeatureState.BACK_MIN;
import static dev.ringflow.windows.TimeFeatureState.END;
import static dev.ringflow.windows.TimeFeatureState.FIRST;
import static dev.ringflow.windows.TimeFeatureState.FRONT_END;
import static dev.ringflow.windows.TimeFeatureState.MAX_TIME;
import static dev.ringflow.windows.TimeFeatureState.SUM;
import static dev.ringflow.windows.TimeFeatureState.VALUE;
import static dev.ringflow.windows.TimeFeatureState.WINDOW;

/**
 * A feature window over each key's events in the last {@code rangeMs} of event time: an event at time {@code t}
 * sees the key's earlier events whose time lies in {@code (t - rangeMs, t]} (see {@link FeatureWindows} for the
 * rule on late events).
 * <p>
 * A key's elements are kept sorted by time ({@link TimeFeatureState}). For an event at or after the key's latest
 * time the window is a suffix of them, kept as a queue with the two-stacks method: the front's slots carry the
 * suffix min, max, Welford mean and M2 from each element to the front's end, the back is one running aggregate, and
 * when elements leave past the front, what stays becomes the new front in one backward pass. So min, max and
 * variance never subtract (no cancellation when a huge value leaves) and cost amortised O(1): an element enters a
 * front once. The sum is Neumaier-compensated ({@link CompensatedSum}); values leaving are subtracted, and it is
 * recomputed from the window at each such pass, so it cannot drift. A late event (time before the key's latest)
 * finds its range by binary search and rescans it, and is inserted in time order: O(log n + window).
 * <p>
 * <b>Note:</b> Allocation free once each key's ring holds its largest window (rings only grow). Not thread-safe.
 */
final class TimeFeatureWindow implements FeatureWindow
{
    private final long rangeMs;
    private final long outOfOrdernessMs;
    private final boolean excludeCurrent;
    private final boolean needsMin;
    private final boolean needsMax;
    private final boolean needsVariance;
    private final boolean needsSuffixes;
    private final TimeFeatureState state;
    /** Sum and compensation of a late event's rescanned range. */
    private final long[] scanSum = new long[2];

    TimeFeatureWindow(final FeatureWindowSpec spec, final int expectedKeys)
    {
        rangeMs = spec.range();
        outOfOrdernessMs = spec.outOfOrdernessMs();
        excludeCurrent = spec.excludeCurrent();
        needsMin = spec.needs(Aggregation.MIN);
        needsMax = spec.needs(Aggregation.MAX);
        needsVariance = spec.needs(Aggregation.VARIANCE) || spec.needs(Aggregation.STDDEV);
        needsSuffixes = needsMin || needsMax || needsVariance;
        state = new TimeFeatureState(needsMin, needsMax, needsVariance, expectedKeys);
    }

    @Override
    public void onEvent(final int keyId, final long timeMs, final double value, final boolean hasValue,
        final double[] answers, final int answerBase)
    {
        final long[] header = state.headers(keyId);
        final int hb = TimeFeatureState.headerBase(keyId);
        final long[] ring = state.ring(keyId);
        if (timeMs < header[hb + MAX_TIME])
        {
            onLateEvent(keyId, header, hb, ring, timeMs, value, hasValue, answers, answerBase);
            return;
        }
        header[hb + MAX_TIME] = timeMs;
        slide(header, hb, ring, timeMs);
        if (!hasValue || excludeCurrent)
        {
            answerWindow(header, hb, ring, answers, answerBase);
        }
        if (hasValue)
        {
            final long end = header[hb + END];
            final long[] grown = state.insert(keyId, header, hb, end, timeMs, value);
            addToBack(header, hb, end + 1, value);
            if (!excludeCurrent)
            {
                answerWindow(header, hb, grown, answers, answerBase);
            }
        }
    }

    /** Moves the window to {@code (timeMs - rangeMs, timeMs]} and drops the elements no later event may see. */
    private void slide(final long[] header, final int hb, final long[] ring, final long timeMs)
    {
        final TimeFeatureState state = this.state;
        final long windowAfterMs = timeMs - rangeMs;
        final long window = header[hb + WINDOW];
        final long end = header[hb + END];
        long stays = window;
        while (stays < end && state.time(ring, stays) <= windowAfterMs)
        {
            stays++;
        }
        if (stays != window)
        {
            header[hb + WINDOW] = stays;
            // Within the front, subtract what leaves; past it (or leaving nothing) rebuild, the sum from zero.
            if (stays <= header[hb + FRONT_END] && stays != end)
            {
                for (long s = window; s < stays; s++)
                {
                    CompensatedSum.add(header, hb + SUM, -state.value(ring, s));
                }
            }
            else
            {
                rebuildFront(header, hb, ring, stays, end);
            }
        }
        final long keepAfterMs = windowAfterMs - outOfOrdernessMs;
        long first = header[hb + FIRST];
        while (first < stays && state.time(ring, first) <= keepAfterMs)
        {
            first++;
        }
        header[hb + FIRST] = first;
    }

    /**
     * Makes {@code from .. end - 1} the front, with the suffix aggregates in its slots, and the back empty; sums the
     * window afresh.
     */
    private void rebuildFront(final long[] header, final int hb, final long[] ring, final long from, final long end)
    {
        final TimeFeatureState state = this.state;
        CompensatedSum.reset(header, hb + SUM);
        long count = 0;
        long min = 0;
        long max = 0;
        double mean = 0;
        double m2 = 0;
        for (long s = end - 1; s >= from; s--)
        {
            final int slot = state.slot(ring, s);
            final long bits = ring[slot + VALUE];
            final double value = Double.longBitsToDouble(bits);
            CompensatedSum.add(header, hb + SUM, value);
            if (needsSuffixes)
            {
                count++;
                min = 1 == count ? bits : SlidingExtremes.better(min, bits, false, false);
                max = 1 == count ? bits : SlidingExtremes.better(max, bits, true, false);
                final double delta = value - mean;
                mean += delta / count;
                m2 += delta * (value - mean);
                if (needsMin)
                {
                    ring[slot + state.suffixMinOffset] = min;
                }
                if (needsMax)
                {
                    ring[slot + state.suffixMaxOffset] = max;
                }
                if (needsVariance)
                {
                    ring[slot + state.suffixMeanOffset] = Double.doubleToRawLongBits(mean);
                    ring[slot + state.suffixM2Offset] = Double.doubleToRawLongBits(m2);
                }
            }
        }
        header[hb + FRONT_END] = end;
        header[hb + BACK_MEAN] = 0;
        header[hb + BACK_M2] = 0;
    }

    /** Takes the value just put at the back ({@code end} is the new end) into the sum and the back's aggregates. */
    private void addToBack(final long[] header, final int hb, final long end, final double value)
    {
        CompensatedSum.add(header, hb + SUM, value);
        if (!needsSuffixes)
        {
            return;
        }
        final long count = end - header[hb + FRONT_END];
        final long bits = Double.doubleToRawLongBits(value);
        if (needsMin)
        {
            final long min = header[hb + BACK_MIN];
            header[hb + BACK_MIN] = 1 == count ? bits : SlidingExtremes.better(min, bits, false, false);
        }
        if (needsMax)
        {
            final long max = header[hb + BACK_MAX];
            header[hb + BACK_MAX] = 1 == count ? bits : SlidingExtremes.better(max, bits, true, false);
        }
        if (needsVariance)
        {
            double mean = Double.longBitsToDouble(header[hb + BACK_MEAN]);
            final double delta = value - mean;
            mean += delta / count;
            header[hb + BACK_MEAN] = Double.doubleToRawLongBits(mean);
            header[hb + BACK_M2] = Double.doubleToRawLongBits(
                Double.longBitsToDouble(header[hb + BACK_M2]) + delta * (value - mean));
        }
    }

    /** Answers with the window {@code WINDOW .. END - 1}: front and back merged. */
    private void answerWindow(final long[] header, final int hb, final long[] ring, final double[] answers,
        final int base)
    {
        final long window = header[hb + WINDOW];
        final long end = header[hb + END];
        if (window == end)
        {
            FeatureAnswer.empty(answers, base);
            return;
        }
        final TimeFeatureState state = this.state;
        final long frontCount = header[hb + FRONT_END] - window;
        final long backCount = end - window - frontCount;
        final int firstSlot = state.slot(ring, window);
        answers[base + FeatureAnswer.COUNT] = end - window;
        answers[base + FeatureAnswer.SUM] = CompensatedSum.value(header, hb + SUM);
        answers[base + FeatureAnswer.FIRST] = Double.longBitsToDouble(ring[firstSlot + VALUE]);
        answers[base + FeatureAnswer.LAST] = state.value(ring, end - 1);
        if (needsMin)
        {
            answers[base + FeatureAnswer.MIN] = merge(ring[firstSlot + state.suffixMinOffset], frontCount,
                header[hb + BACK_MIN], backCount, false);
        }
        if (needsMax)
        {
            answers[base + FeatureAnswer.MAX] = merge(ring[firstSlot + state.suffixMaxOffset], frontCount,
                header[hb + BACK_MAX], backCount, true);
        }
        if (needsVariance)
        {
            final double backM2 = Double.longBitsToDouble(header[hb + BACK_M2]);
            final double frontM2 = 0 == frontCount ? 0 :
                Double.longBitsToDouble(ring[firstSlot + state.suffixM2Offset]);
            double m2 = frontM2 + backM2;
            if (0 != frontCount && 0 != backCount)
            {
                // Chan's merge of the two Welford aggregates.
                final double delta = Double.longBitsToDouble(header[hb + BACK_MEAN]) -
                    Double.longBitsToDouble(ring[firstSlot + state.suffixMeanOffset]);
                m2 += delta * delta * frontCount * backCount / (frontCount + backCount);
            }
            answers[base + FeatureAnswer.VARIANCE] = Math.max(0, m2 / (end - window));
        }
    }

    /** The min or max of the front's suffix extreme and the back's, either of which may be of no elements. */
    private static double merge(final long front, final long frontCount, final long back, final long backCount,
        final boolean isMax)
    {
        final long extreme = 0 == frontCount ? back :
            0 == backCount ? front : SlidingExtremes.better(front, back, isMax, false);
        return Double.longBitsToDouble(extreme);
    }

    /**
     * An event before the key's latest time: answers from a rescan of its range and, unless it is too old for any
     * later event to see, inserts it in time order, into the sliding window when it falls in it.
     */
    private void onLateEvent(final int keyId, final long[] header, final int hb, final long[] ring, final long timeMs,
        final double value, final boolean hasValue, final double[] answers, final int answerBase)
    {
        final TimeFeatureState state = this.state;
        final long maxTimeMs = header[hb + MAX_TIME];
        final long end = header[hb + END];
        final long from = state.firstAfter(ring, header[hb + FIRST], end, timeMs - rangeMs);
        final long to = state.firstAfter(ring, from, end, timeMs);
        if (!hasValue || excludeCurrent)
        {
            scan(ring, from, to, answers, answerBase);
        }
        if (!hasValue)
        {
            return;
        }
        if (timeMs <= maxTimeMs - rangeMs - outOfOrdernessMs)
        {
            // Older than anything kept (so its range is empty): no later event may see it.
            if (!excludeCurrent)
            {
                FeatureAnswer.single(answers, answerBase, value);
            }
            return;
        }
        final long[] grown = state.insert(keyId, header, hb, to, timeMs, value);
        if (timeMs <= maxTimeMs - rangeMs)
        {
            header[hb + WINDOW]++;
            header[hb + FRONT_END]++;
        }
        else if (to >= header[hb + FRONT_END])
        {
            addToBack(header, hb, end + 1, value);
        }
        else
        {
            rebuildFront(header, hb, grown, header[hb + WINDOW], end + 1);
        }
        if (!excludeCurrent)
        {
            scan(grown, from, to + 1, answers, answerBase);
        }
    }

    /** Answers with the elements {@code from .. to - 1}, aggregated afresh (variance in two passes). */
    private void scan(final long[] ring, final long from, final long to, final double[] answers, final int base)
    {
        if (from == to)
        {
            FeatureAnswer.empty(answers, base);
            return;
        }
        final TimeFeatureState state = this.state;
        final long[] scanSum = this.scanSum;
        CompensatedSum.reset(scanSum, 0);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (long s = from; s < to; s++)
        {
            final double value = state.value(ring, s);
            CompensatedSum.add(scanSum, 0, value);
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        final long count = to - from;
        final double sum = CompensatedSum.value(scanSum, 0);
        answers[base + FeatureAnswer.COUNT] = count;
        answers[base + FeatureAnswer.SUM] = sum;
        answers[base + FeatureAnswer.MIN] = min;
        answers[base + FeatureAnswer.MAX] = max;
        answers[base + FeatureAnswer.FIRST] = state.value(ring, from);
        answers[base + FeatureAnswer.LAST] = state.value(ring, to - 1);
        if (needsVariance)
        {
            final double mean = sum / count;
            double m2 = 0;
            for (long s = from; s < to; s++)
            {
                final double deviation = state.value(ring, s) - mean;
                m2 += deviation * deviation;
            }
            answers[base + FeatureAnswer.VARIANCE] = m2 / count;
        }
    }

    @Override
    public void forget(final int keyId)
    {
        state.reset(keyId);
    }

    @Override
    public void writeState(final DataOutput out) throws IOException
    {
        state.writeState(out);
    }

    @Override
    public void readState(final DataInput in) throws IOException
    {
        state.readState(in);
    }
}
