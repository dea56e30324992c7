package dev.ringflow.windows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The naive event-time window: keeps every accepted element, and on every element rescans everything to decide
 * which windows the watermark closes and whether the element is late.
 */
final class TimeWindowOracle
{
    /** An accepted element and the windows that were still open when it arrived (as in Flink, a window that
     * has closed takes no more elements, even if it never fired because it was empty). */
    record Element(int key, long time, double value, List<Long> windows)
    {
    }

    /** A fired window with every aggregate. */
    record Fired(int key, long start, long end, long count, double sum, double min, double max, double mean,
        double variance, double first, double last)
    {
    }

    private final long size;
    private final long advance;
    private final long outOfOrderness;
    private final long lateness;
    private final List<Element> accepted = new ArrayList<>();
    private final Set<List<Long>> fired = new HashSet<>();
    private long watermark = Long.MIN_VALUE;
    long late;

    TimeWindowOracle(final long size, final long advance, final long outOfOrderness, final long lateness)
    {
        this.size = size;
        this.advance = advance;
        this.outOfOrderness = outOfOrderness;
        this.lateness = lateness;
    }

    /** Adds an element; returns the windows fired before it was considered. */
    List<Fired> add(final int key, final long time, final double value)
    {
        return add(key, time, value, true);
    }

    /**
     * Adds an element under a watermark moved only by {@link #advance} (but for the first element, when there is no
     * watermark yet); returns the windows fired before it was considered.
     */
    List<Fired> addUnderOutsideWatermark(final int key, final long time, final double value)
    {
        return add(key, time, value, watermark == Long.MIN_VALUE);
    }

    private List<Fired> add(final int key, final long time, final double value, final boolean moveWatermark)
    {
        final List<Fired> out = moveWatermark ? advance(Math.max(watermark, time - outOfOrderness)) : List.of();
        final List<Long> open = new ArrayList<>();
        for (final long start : starts(time))
        {
            if (start + size + lateness > watermark)
            {
                open.add(start);
            }
        }
        if (!open.isEmpty())
        {
            accepted.add(new Element(key, time, value, open));
        }
        else
        {
            late++;
        }
        return out;
    }

    List<Fired> advance(final long newWatermark)
    {
        watermark = Math.max(watermark, newWatermark);
        final List<long[]> due = new ArrayList<>();
        for (final Element e : accepted)
        {
            for (final long start : e.windows())
            {
                final List<Long> id = List.of((long)e.key(), start);
                if (start + size + lateness <= watermark && !fired.contains(id))
                {
                    fired.add(id);
                    due.add(new long[] { start + size, e.key(), start });
                }
            }
        }
        return fire(due);
    }

    List<Fired> fireAll()
    {
        return advance(Long.MAX_VALUE);
    }

    private List<Fired> fire(final List<long[]> due)
    {
        due.sort(Comparator.<long[]>comparingLong(d -> d[0]).thenComparingLong(d -> d[1]).thenComparingLong(d -> d[2]));
        final List<Fired> out = new ArrayList<>();
        for (final long[] d : due)
        {
            final int key = (int)d[1];
            final long start = d[2];
            final List<Element> in = new ArrayList<>();
            for (final Element e : accepted)
            {
                if (e.key() == key && e.windows().contains(start))
                {
                    in.add(e);
                }
            }
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            Element first = in.get(0);
            Element last = in.get(0);
            for (final Element e : in)
            {
                sum += e.value();
                min = Math.min(min, e.value());
                max = Math.max(max, e.value());
                first = e.time() < first.time() ? e : first;
                last = e.time() >= last.time() ? e : last;
            }
            final double mean = sum / in.size();
            double squares = 0;
            for (final Element e : in)
            {
                squares += (e.value() - mean) * (e.value() - mean);
            }
            out.add(new Fired(key, start, start + size, in.size(), sum, min, max, mean, squares / in.size(),
                first.value(), last.value()));
        }
        return out;
    }

    private List<Long> starts(final long time)
    {
        final List<Long> starts = new ArrayList<>();
        for (long start = Math.floorDiv(time, advance) * advance; start > time - size; start -= advance)
        {
            starts.add(start);
        }
        return starts;
    }
}
