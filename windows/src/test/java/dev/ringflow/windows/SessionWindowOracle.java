package dev.ringflow.windows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The naive session window: keeps every accepted element that is not yet in a fired session; after every
 * element it regroups each key's elements by sorting them by time and splitting where two are {@code gap} or
 * more apart, and fires the groups whose end the watermark has passed.
 */
final class SessionWindowOracle
{
    private final long gap;
    private final long outOfOrderness;
    private final long lateness;
    private final List<TimeWindowOracle.Element> pending = new ArrayList<>();
    private long watermark = Long.MIN_VALUE;
    long late;

    SessionWindowOracle(final long gap, final long outOfOrderness, final long lateness)
    {
        this.gap = gap;
        this.outOfOrderness = outOfOrderness;
        this.lateness = lateness;
    }

    List<TimeWindowOracle.Fired> add(final int key, final long time, final double value)
    {
        final List<TimeWindowOracle.Fired> out = advance(Math.max(watermark, time - outOfOrderness));
        final TimeWindowOracle.Element element = new TimeWindowOracle.Element(key, time, value, List.of());
        pending.add(element);
        for (final List<TimeWindowOracle.Element> session : sessions())
        {
            if (session.contains(element) && end(session) + lateness <= watermark)
            {
                pending.remove(element);
                late++;
            }
        }
        return out;
    }

    List<TimeWindowOracle.Fired> advance(final long newWatermark)
    {
        watermark = Math.max(watermark, newWatermark);
        final List<List<TimeWindowOracle.Element>> due = new ArrayList<>();
        for (final List<TimeWindowOracle.Element> session : sessions())
        {
            if (end(session) + lateness <= watermark)
            {
                due.add(session);
            }
        }
        due.sort(Comparator.<List<TimeWindowOracle.Element>>comparingLong(SessionWindowOracle.this::end)
            .thenComparingInt(s -> s.get(0).key()).thenComparingLong(s -> s.get(0).time()));
        final List<TimeWindowOracle.Fired> out = new ArrayList<>();
        for (final List<TimeWindowOracle.Element> session : due)
        {
            pending.removeAll(session);
            out.add(fired(session));
        }
        return out;
    }

    List<TimeWindowOracle.Fired> fireAll()
    {
        return advance(Long.MAX_VALUE);
    }

    private List<List<TimeWindowOracle.Element>> sessions()
    {
        final List<TimeWindowOracle.Element> sorted = new ArrayList<>(pending);
        sorted.sort(Comparator.comparingInt(TimeWindowOracle.Element::key)
            .thenComparingLong(TimeWindowOracle.Element::time));
        final List<List<TimeWindowOracle.Element>> sessions = new ArrayList<>();
        List<TimeWindowOracle.Element> current = null;
        for (final TimeWindowOracle.Element e : sorted)
        {
            final TimeWindowOracle.Element previous = null == current ? null : current.get(current.size() - 1);
            if (null == previous || previous.key() != e.key() || e.time() - previous.time() >= gap)
            {
                current = new ArrayList<>();
                sessions.add(current);
            }
            current.add(e);
        }
        return sessions;
    }

    private long end(final List<TimeWindowOracle.Element> session)
    {
        return session.get(session.size() - 1).time() + gap;
    }

    private TimeWindowOracle.Fired fired(final List<TimeWindowOracle.Element> session)
    {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (final TimeWindowOracle.Element e : session)
        {
            sum += e.value();
            min = Math.min(min, e.value());
            max = Math.max(max, e.value());
        }
        final double mean = sum / session.size();
        double squares = 0;
        for (final TimeWindowOracle.Element e : session)
        {
            squares += (e.value() - mean) * (e.value() - mean);
        }
        final TimeWindowOracle.Element first = session.get(0);
        final TimeWindowOracle.Element last = session.get(session.size() - 1);
        return new TimeWindowOracle.Fired(first.key(), first.time(), end(session), session.size(), sum, min, max, mean,
            squares / session.size(), Double.NaN, Double.NaN);
    }
}
