package dev.ringflow.models.anomaly;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The detectors written from the documented rules alone: per key every previous value it has had (with time and
 * arrival), the window filtered from scratch for each value, mean and standard deviation in two plain passes; EWMA
 * from the formula in {@link EwmaDetector}'s doc, per key in a map.
 */
final class NaiveAnomalyDetector
{
    /** One answer. */
    record Verdict(boolean anomaly, double z, double mean, double std, long count)
    {
    }

    private record Element(long timeMs, double value)
    {
    }

    private final AnomalySpec spec;
    private final Map<Integer, List<Element>> seen = new HashMap<>();
    private final Map<Integer, Long> maxTimes = new HashMap<>();
    private final Map<Integer, double[]> ewma = new HashMap<>();

    NaiveAnomalyDetector(final AnomalySpec spec)
    {
        this.spec = spec;
    }

    Verdict onValue(final int keyId, final long timeMs, final double value)
    {
        final double mean;
        final double std;
        final long count;
        if (spec.method() == AnomalySpec.Method.EWMA)
        {
            final double[] state = ewma.get(keyId);
            count = null == state ? 0 : (long)state[2];
            mean = null == state ? Double.NaN : state[0];
            std = null == state ? Double.NaN : Math.sqrt(state[1]);
            if (Double.isFinite(value))
            {
                if (null == state)
                {
                    ewma.put(keyId, new double[] {value, 0, 1});
                }
                else
                {
                    final double diff = value - state[0];
                    final double incr = spec.alpha() * diff;
                    state[0] = state[0] + incr;
                    state[1] = (1 - spec.alpha()) * (state[1] + diff * incr);
                    state[2]++;
                }
            }
        }
        else
        {
            final List<Element> previous = seen.computeIfAbsent(keyId, k -> new ArrayList<>());
            final List<Double> window = new ArrayList<>();
            if (spec.method() == AnomalySpec.Method.ZSCORE_COUNT)
            {
                for (int i = Math.max(0, previous.size() - (int)spec.range()); i < previous.size(); i++)
                {
                    window.add(previous.get(i).value());
                }
            }
            else
            {
                final Long previousMax = maxTimes.get(keyId);
                final long keptAfter = null == previousMax ? Long.MIN_VALUE :
                    previousMax - spec.range() - spec.outOfOrdernessMs();
                for (final Element element : previous)
                {
                    if (element.timeMs() > timeMs - spec.range() && element.timeMs() <= timeMs &&
                        element.timeMs() > keptAfter)
                    {
                        window.add(element.value());
                    }
                }
                maxTimes.put(keyId, null == previousMax ? timeMs : Math.max(previousMax, timeMs));
            }
            if (Double.isFinite(value))
            {
                previous.add(new Element(timeMs, value));
            }
            count = window.size();
            double sum = 0;
            for (final double x : window)
            {
                sum += x;
            }
            mean = 0 == count ? Double.NaN : sum / count;
            double squares = 0;
            for (final double x : window)
            {
                squares += (x - mean) * (x - mean);
            }
            std = 0 == count ? Double.NaN : Math.sqrt(squares / count);
        }
        if (!Double.isFinite(value) || 0 == count)
        {
            return new Verdict(false, Double.NaN, mean, std, count);
        }
        final double z = (value - mean) / Math.max(std, spec.minStd());
        return new Verdict(count >= spec.minCount() && Math.abs(z) > spec.threshold(), z, mean, std, count);
    }
}
