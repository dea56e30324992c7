package dev.ringflow.engine.pipeline;

/**
 * Judges a number of each JSON event against its key's previous values and adds the verdict as fields
 * ({@code anomaly}, {@code z}, {@code mean}, {@code std}, each prefixed by {@code <name>_} when a name is given);
 * with a topic, anomalies are also sent there, as they are with those fields.
 * <ul>
 *   <li>{@code zscore}: population mean and standard deviation of the key's previous values in a count window
 *   ({@code range}) or an event-time window ({@code rangeMs}), the current value excluded.</li>
 *   <li>{@code ewma}: exponentially weighted mean and variance of all the key's previous values, weight
 *   {@code alpha} on each new one.</li>
 * </ul>
 * {@code z = (x - mean) / max(std, minStd)}; an anomaly when at least {@code minCount} previous values exist and
 * {@code |z| > threshold}.
 *
 * @param name       prefix of the fields it adds, or null for the bare names.
 * @param valueField the number field judged, or null when {@code value} is given.
 * @param value      a number expression judged instead of a field, or null.
 * @param method     how the baseline is kept.
 * @param range      zscore over the key's last this many values; 0 otherwise.
 * @param rangeMs    zscore over the key's values in this much event time ending at the event; 0 otherwise.
 * @param alpha      ewma's weight of a new value, in (0, 1]; NaN when not given.
 * @param threshold  the bound on |z|.
 * @param minCount   previous values needed before a value can be an anomaly.
 * @param minStd     floor of the standard deviation in z.
 * @param topic      where anomalies are also sent, or null.
 */
public record AnomalyTaskSpec(String name, String valueField, String value, Method method, int range, long rangeMs,
    double alpha, double threshold, long minCount, double minStd, String topic) implements TaskSpec
{
    public static final String TYPE = "anomaly";
    public static final double DEFAULT_THRESHOLD = 3.0;
    public static final long DEFAULT_MIN_COUNT = 2;
    public static final double DEFAULT_MIN_STD = 1e-9;

    /** How the key's baseline is kept. */
    public enum Method
    {
        ZSCORE,
        EWMA
    }

    @Override
    public String type()
    {
        return TYPE;
    }

    /** The name of the added field {@code field} (anomaly, z, mean or std). */
    public String fieldName(final String field)
    {
        return null == name ? field : name + "_" + field;
    }
}
