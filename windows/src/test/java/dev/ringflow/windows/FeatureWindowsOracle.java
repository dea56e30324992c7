package dev.ringflow.windows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The naive feature windows, written from {@link FeatureWindows}' documented rules alone: per key every event it
 * has had (time, value, arrival number), each answer recomputed from scratch by filtering them, the sum exactly in
 * BigDecimal and the variance in two passes around the exactly rounded mean.
 */
final class FeatureWindowsOracle
{
    /** One event as a window kept it. */
    record Element(long timeMs, double value, long arrival)
    {
    }

    /** One window's answer: every aggregate (NaN where there is no value) and the sum of magnitudes. */
    record Answer(long count, Map<Aggregation, Double> values, double sumOfMagnitudes)
    {
    }

    private static final Comparator<Element> TIME_ORDER =
        Comparator.comparingLong(Element::timeMs).thenComparingLong(Element::arrival);

    private final FeatureWindowSpec[] specs;
    /** Per window, per key: the events that carried the window's value, in arrival order. */
    private final List<Map<Integer, List<Element>>> elements = new ArrayList<>();
    /** Per key: the largest event time, over all its events. */
    private final Map<Integer, Long> maxTimes = new HashMap<>();
    private long arrivals;

    FeatureWindowsOracle(final FeatureWindowSpec... specs)
    {
        this.specs = specs;
        for (int w = 0; w < specs.length; w++)
        {
            elements.add(new HashMap<>());
        }
    }

    Answer[] onEvent(final int keyId, final long timeMs, final double[] values)
    {
        final long arrival = arrivals++;
        final Long previousMax = maxTimes.get(keyId);
        maxTimes.put(keyId, null == previousMax ? timeMs : Math.max(previousMax, timeMs));
        final Answer[] answers = new Answer[specs.length];
        for (int w = 0; w < specs.length; w++)
        {
            final FeatureWindowSpec spec = specs[w];
            final List<Element> seen = elements.get(w).computeIfAbsent(keyId, k -> new ArrayList<>());
            final boolean hasValue = Double.isFinite(values[w]);
            final Element current = new Element(timeMs, values[w], arrival);
            final List<Element> window = new ArrayList<>();
            if (spec.isCountWindow())
            {
                window.addAll(seen);
                if (hasValue && !spec.excludeCurrent())
                {
                    window.add(current);
                }
                window.subList(0, Math.max(0, window.size() - (int)spec.range())).clear();
            }
            else
            {
                final long keptAfterMs = null == previousMax ? Long.MIN_VALUE :
                    previousMax - spec.range() - spec.outOfOrdernessMs();
                for (final Element element : seen)
                {
                    if (element.timeMs() > timeMs - spec.range() && element.timeMs() <= timeMs &&
                        element.timeMs() > keptAfterMs)
                    {
                        window.add(element);
                    }
                }
                if (hasValue && !spec.excludeCurrent())
                {
                    window.add(current);
                }
                window.sort(TIME_ORDER);
            }
            if (hasValue)
            {
                seen.add(current);
            }
            answers[w] = answer(window);
        }
        return answers;
    }

    void forget(final int keyId)
    {
        maxTimes.remove(keyId);
        for (final Map<Integer, List<Element>> byKey : elements)
        {
            byKey.remove(keyId);
        }
    }

    /**
     * Drops what no window can hold again, only to keep the oracle fast: count windows' elements before their last
     * {@code range}, time windows' at or before {@code maxTime - range - outOfOrderness} (every later event's
     * filter excludes them, the max time only growing).
     */
    void prune()
    {
        for (int w = 0; w < specs.length; w++)
        {
            final FeatureWindowSpec spec = specs[w];
            for (final Map.Entry<Integer, List<Element>> entry : elements.get(w).entrySet())
            {
                final List<Element> seen = entry.getValue();
                if (spec.isCountWindow())
                {
                    seen.subList(0, Math.max(0, seen.size() - (int)spec.range())).clear();
                }
                else
                {
                    final long maxTime = maxTimes.get(entry.getKey());
                    seen.removeIf(e -> e.timeMs() <= maxTime - spec.range() - spec.outOfOrdernessMs());
                }
            }
        }
    }

    private static Answer answer(final List<Element> window)
    {
        final Map<Aggregation, Double> values = new EnumMap<>(Aggregation.class);
        final int n = window.size();
        for (final Aggregation aggregation : Aggregation.values())
        {
            values.put(aggregation, Double.NaN);
        }
        values.put(Aggregation.COUNT, (double)n);
        if (0 == n)
        {
            return new Answer(0, values, 0);
        }
        BigDecimal exactSum = BigDecimal.ZERO;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double magnitudes = 0;
        for (final Element element : window)
        {
            exactSum = exactSum.add(new BigDecimal(element.value()));
            min = Math.min(min, element.value());
            max = Math.max(max, element.value());
            magnitudes += Math.abs(element.value());
        }
        final double mean = exactSum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue();
        double squares = 0;
        for (final Element element : window)
        {
            squares += (element.value() - mean) * (element.value() - mean);
        }
        values.put(Aggregation.SUM, exactSum.doubleValue());
        values.put(Aggregation.MIN, min);
        values.put(Aggregation.MAX, max);
        values.put(Aggregation.MEAN, mean);
        values.put(Aggregation.VARIANCE, squares / n);
        values.put(Aggregation.STDDEV, Math.sqrt(squares / n));
        values.put(Aggregation.FIRST, window.get(0).value());
        values.put(Aggregation.LAST, window.get(n - 1).value());
        return new Answer(n, values, magnitudes);
    }
}
