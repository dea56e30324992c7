package dev.ringflow.windows;

/**
 * The layout of one window's answer to an event in a {@link FeatureWindows}' answer array: {@link #WORDS} doubles
 * from a base, from which every {@link Aggregation} is read (MEAN and STDDEV derived on reading).
 * <pre>
 *   word       holds
 *   COUNT      elements in the window, 0 when it is empty
 *   SUM        compensated sum
 *   MIN, MAX   extremes
 *   FIRST      the oldest element (count windows: earliest arrival; time windows: earliest time, then arrival)
 *   LAST       the newest element (count windows: latest arrival; time windows: latest time, then arrival)
 *   VARIANCE   population variance
 * </pre>
 * <b>Note:</b> Stateless; allocation free.
 */
final class FeatureAnswer
{
    static final int COUNT = 0;
    static final int SUM = 1;
    static final int MIN = 2;
    static final int MAX = 3;
    static final int FIRST = 4;
    static final int LAST = 5;
    static final int VARIANCE = 6;
    static final int WORDS = 7;

    private FeatureAnswer()
    {
    }

    /** An empty window: count 0; the other words are never read ({@link #read} gives NaN). */
    static void empty(final double[] answers, final int base)
    {
        answers[base + COUNT] = 0;
    }

    /** A window of the one value. */
    static void single(final double[] answers, final int base, final double value)
    {
        answers[base + COUNT] = 1;
        answers[base + SUM] = value;
        answers[base + MIN] = value;
        answers[base + MAX] = value;
        answers[base + FIRST] = value;
        answers[base + LAST] = value;
        answers[base + VARIANCE] = 0;
    }

    /** The aggregate; NaN when the window is empty, except COUNT, which is then 0. */
    static double read(final double[] answers, final int base, final Aggregation aggregation)
    {
        final double count = answers[base + COUNT];
        if (0 == count)
        {
            return Aggregation.COUNT == aggregation ? 0 : Double.NaN;
        }
        switch (aggregation)
        {
            case COUNT:
                return count;
            case SUM:
                return answers[base + SUM];
            case MIN:
                return answers[base + MIN];
            case MAX:
                return answers[base + MAX];
            case MEAN:
                return answers[base + SUM] / count;
            case VARIANCE:
                return answers[base + VARIANCE];
            case STDDEV:
                return Math.sqrt(answers[base + VARIANCE]);
            case FIRST:
                return answers[base + FIRST];
            default:
                return answers[base + LAST];
        }
    }
}
