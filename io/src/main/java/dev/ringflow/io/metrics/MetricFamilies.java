package dev.ringflow.io.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the data points of one scrape by metric name (every pipeline adds its own, told apart by the
 * {@code pipeline} label) and builds the Prometheus snapshots.
 * <p>
 * <b>Note:</b> Counter names are given without {@code _total}: the exposition format adds it.
 */
final class MetricFamilies
{
    private enum Type
    {
        COUNTER, GAUGE, HISTOGRAM
    }

    private record Family(Type type, String help, List<DataPointSnapshot> points)
    {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    void counter(final String name, final String help, final double value, final Labels labels)
    {
        family(name, Type.COUNTER, help).points.add(new CounterSnapshot.CounterDataPointSnapshot(value, labels, null, 0L));
    }

    void gauge(final String name, final String help, final double value, final Labels labels)
    {
        family(name, Type.GAUGE, help).points.add(new GaugeSnapshot.GaugeDataPointSnapshot(value, labels, null));
    }

    void histogram(final String name, final String help, final HistogramSnapshot.HistogramDataPointSnapshot point)
    {
        family(name, Type.HISTOGRAM, help).points.add(point);
    }

    MetricSnapshots build()
    {
        final List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
        for (final Map.Entry<String, Family> entry : families.entrySet())
        {
            final Family family = entry.getValue();
            final MetricMetadata metadata = new MetricMetadata(entry.getKey(), family.help);
            switch (family.type)
            {
                case COUNTER -> snapshots.add(new CounterSnapshot(metadata, cast(family.points)));
                case GAUGE -> snapshots.add(new GaugeSnapshot(metadata, cast(family.points)));
                default -> snapshots.add(new HistogramSnapshot(metadata, cast(family.points)));
            }
        }
        return new MetricSnapshots(snapshots);
    }

    private Family family(final String name, final Type type, final String help)
    {
        final Family family = families.computeIfAbsent(name, key -> new Family(type, help, new ArrayList<>()));
        if (family.type != type)
        {
            throw new IllegalStateException("metric " + name + " is both a " + family.type + " and a " + type);
        }
        return family;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(final List<DataPointSnapshot> points)
    {
        return (List<T>) (List<?>) points;
    }
}
