package dev.ringflow.engine.pipeline;

import dev.ringflow.windows.Aggregation;

import java.util.List;

/**
 * Attaches each key's recent history to every JSON event as new fields, at once: for each window, the aggregates of
 * the key's last {@code range} events, or of its events in the last {@code rangeMs} of event time ending at this
 * event, named {@code <name>_<aggregation>} (e.g. {@code amt_5_mean}).
 *
 * @param windows the windows, in order.
 */
public record FeaturesTaskSpec(List<Window> windows) implements TaskSpec
{
    public static final String TYPE = "features";

    public FeaturesTaskSpec
    {
        windows = List.copyOf(windows);
    }

    @Override
    public String type()
    {
        return TYPE;
    }

    /**
     * One feature window.
     *
     * @param name             prefix of the field names it adds.
     * @param valueField       the number field it aggregates.
     * @param range            the last this many events of the key; 0 for a time window.
     * @param rangeMs          the key's events in this much event time ending at the event; 0 for a count window.
     * @param aggregations     what it computes; each becomes a field {@code <name>_<aggregation>}.
     * @param excludeCurrent   true to aggregate the key's previous events only.
     * @param outOfOrdernessMs how far behind the key's latest time an event may be and still see its whole window.
     */
    public record Window(String name, String valueField, int range, long rangeMs, List<Aggregation> aggregations,
        boolean excludeCurrent, long outOfOrdernessMs)
    {
        public Window
        {
            aggregations = List.copyOf(aggregations);
        }

        /** The name of the field holding {@code aggregation}. */
        public String fieldName(final Aggregation aggregation)
        {
            return name + "_" + aggregation.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
