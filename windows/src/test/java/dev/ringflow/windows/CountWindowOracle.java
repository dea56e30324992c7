package dev.ringflow.windows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The naive window: every value of every key in a list, each fired window recomputed from scratch.
 */
final class CountWindowOracle
{
    /** One fired window: the key, the element count and every aggregate, as doubles (and exact longs). */
    record Fired(int keyId, long count, Map<Aggregation, Double> values, Map<Aggregation, Long> longs)
    {
    }

    private final int range;
    private final int slide;
    private final Map<Integer, List<Double>> seen = new HashMap<>();
    private final Map<Integer, List<Long>> seenLongs = new HashMap<>();

    CountWindowOracle(final int range, final int slide)
    {
        this.range = range;
        this.slide = slide;
    }

    Fired add(final int keyId, final double value, final long longValue)
    {
        final List<Double> values = seen.computeIfAbsent(keyId, k -> new ArrayList<>());
        final List<Long> longs = seenLongs.computeIfAbsent(keyId, k -> new ArrayList<>());
        values.add(value);
        longs.add(longValue);
        if (values.size() % slide != 0)
        {
            return null;
        }
        final List<Double> window = values.subList(Math.max(0, values.size() - range), values.size());
        final List<Long> longWindow = longs.subList(Math.max(0, longs.size() - range), longs.size());
        final int n = window.size();
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long longSum = 0;
        long longMin = Long.MAX_VALUE;
        long longMax = Long.MIN_VALUE;
        for (int i = 0; i < n; i++)
        {
            sum += window.get(i);
            min = Math.min(min, window.get(i));
            max = Math.max(max, window.get(i));
            longSum += longWindow.get(i);
            longMin = Math.min(longMin, longWindow.get(i));
            longMax = Math.max(longMax, longWindow.get(i));
        }
        final double mean = sum / n;
        double squares = 0;
        for (final double v : window)
        {
            squares += (v - mean) * (v - mean);
        }
        final Map<Aggregation, Double> result = new HashMap<>();
        result.put(Aggregation.COUNT, (double)n);
        result.put(Aggregation.SUM, sum);
        result.put(Aggregation.MIN, min);
        result.put(Aggregation.MAX, max);
        result.put(Aggregation.MEAN, mean);
        result.put(Aggregation.VARIANCE, squares / n);
        result.put(Aggregation.STDDEV, Math.sqrt(squares / n));
        result.put(Aggregation.FIRST, window.get(0));
        result.put(Aggregation.LAST, window.get(n - 1));
        final Map<Aggregation, Long> exact = new HashMap<>();
        exact.put(Aggregation.COUNT, (long)n);
        exact.put(Aggregation.SUM, longSum);
        exact.put(Aggregation.MIN, longMin);
        exact.put(Aggregation.MAX, longMax);
        exact.put(Aggregation.FIRST, longWindow.get(0));
        exact.put(Aggregation.LAST, longWindow.get(n - 1));
        return new Fired(keyId, n, result, exact);
    }
}
