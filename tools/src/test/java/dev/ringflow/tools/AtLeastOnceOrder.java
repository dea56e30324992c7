package dev.ringflow.tools;

import java.util.List;
import java.util.Map;

/**
 * Checks at-least-once output against the exact expected sequence of each key: the output must be that sequence
 * in order, where after a crash a stretch may be emitted again from an earlier point (the input replayed from the
 * journal), but no output may be missing or differ (which lost or wrong window state would cause).
 */
final class AtLeastOnceOrder
{
    /** Outputs that must follow a jump back before it is believed to be a repeated stretch. */
    private static final int CONFIRM = 8;

    private AtLeastOnceOrder()
    {
    }

    /**
     * @return null when every key's output is its expected sequence with repeated stretches, else what is wrong.
     */
    static String firstProblem(final Map<String, List<String>> expected, final Map<String, List<String>> actual)
    {
        for (final Map.Entry<String, List<String>> key : expected.entrySet())
        {
            final String problem = problem(key.getValue(), actual.getOrDefault(key.getKey(), List.of()));
            if (null != problem)
            {
                return "key " + key.getKey() + ": " + problem;
            }
        }
        for (final String key : actual.keySet())
        {
            if (!expected.containsKey(key))
            {
                return "unexpected key " + key;
            }
        }
        return null;
    }

    private static String problem(final List<String> expected, final List<String> actual)
    {
        int next = 0;
        for (int j = 0; j < actual.size(); )
        {
            if (next < expected.size() && expected.get(next).equals(actual.get(j)))
            {
                next++;
                j++;
                continue;
            }
            int restart = -1;
            for (int q = next - 1; q >= 0 && restart < 0; q--)
            {
                if (matches(expected, q, actual, j))
                {
                    restart = q;
                }
            }
            if (restart < 0)
            {
                return "output #" + j + " (" + actual.get(j) + ") neither continues nor repeats the expected " +
                    "sequence (expected #" + next + ": " + (next < expected.size() ? expected.get(next) : "none") + ")";
            }
            next = restart;
        }
        return next == expected.size() ? null : "only " + next + " of " + expected.size() + " outputs arrived";
    }

    private static boolean matches(final List<String> expected, final int from, final List<String> actual,
        final int at)
    {
        for (int k = 0; k < CONFIRM && from + k < expected.size() && at + k < actual.size(); k++)
        {
            if (!expected.get(from + k).equals(actual.get(at + k)))
            {
                return false;
            }
        }
        return true;
    }
}
