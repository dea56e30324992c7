package dev.ringflow.tools;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks at-least-once output against the exact expected sequence of each key: the output must be that sequence
 * in order, where after a crash a stretch may be emitted again from an earlier point (the input replayed from the
 * journal), but no output may be missing or differ (which lost or wrong window state would cause).
 */
final class AtLeastOnceOrder
{
    private static final int MAX_STATES = 1_000_000;

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

    /** @return a key whose output has not yet reached its last expected value, or null when none. */
    static String unfinishedKey(final Map<String, List<String>> expected, final Map<String, List<String>> actual)
    {
        for (final Map.Entry<String, List<String>> key : expected.entrySet())
        {
            final List<String> outputs = actual.getOrDefault(key.getKey(), List.of());
            final List<String> want = key.getValue();
            if (outputs.size() < want.size() || !outputs.get(outputs.size() - 1).equals(want.get(want.size() - 1)))
            {
                return "key " + key.getKey() + " has " + outputs.size() + " of " + want.size() + " outputs";
            }
        }
        return null;
    }

    /**
     * Searches for a way to read {@code actual} as stretches of {@code expected}: each output either continues
     * the stretch or starts a new one at the same or an earlier expected output (never later: that would be a gap),
     * ending at the last expected output. Depth first, continuing before jumping back, each state tried once.
     */
    private static String problem(final List<String> expected, final List<String> actual)
    {
        final int n = expected.size();
        final Map<String, List<Integer>> positions = new HashMap<>();
        for (int i = 0; i < n; i++)
        {
            positions.computeIfAbsent(expected.get(i), k -> new ArrayList<>()).add(i);
        }
        final Set<Long> tried = new HashSet<>();
        final ArrayDeque<long[]> pending = new ArrayDeque<>();
        pending.push(new long[] { 0, 0 });
        int furthest = -1;
        int furthestNext = 0;
        while (!pending.isEmpty())
        {
            final long[] state = pending.pop();
            final int j = (int)state[0];
            final int next = (int)state[1];
            if (!tried.add((long)j * (n + 1) + next))
            {
                continue;
            }
            if (tried.size() > MAX_STATES)
            {
                return "too ambiguous to check (over " + MAX_STATES + " ways tried)";
            }
            if (j == actual.size())
            {
                if (next == n)
                {
                    return null;
                }
                continue;
            }
            if (j > furthest)
            {
                furthest = j;
                furthestNext = next;
            }
            final String value = actual.get(j);
            // Pushed last, tried first: continuing the current stretch.
            for (final int q : positions.getOrDefault(value, List.of()))
            {
                if (q < next)
                {
                    pending.push(new long[] { j + 1, q + 1 });
                }
            }
            if (next < n && expected.get(next).equals(value))
            {
                pending.push(new long[] { j + 1, next + 1 });
            }
        }
        if (furthest < actual.size() - 1 || furthest < 0)
        {
            final int j = Math.max(furthest, 0);
            return "output #" + j + " (" + (j < actual.size() ? actual.get(j) : "none") + ") neither continues " +
                "nor repeats the expected sequence (expected #" + furthestNext + ": " +
                (furthestNext < n ? expected.get(furthestNext) : "none") + "); expected from #" +
                Math.max(0, furthestNext - 20) + ": " +
                expected.subList(Math.max(0, furthestNext - 20), Math.min(n, furthestNext + 20)) +
                "; actual from #" + Math.max(0, j - 30) + ": " +
                actual.subList(Math.max(0, j - 30), Math.min(actual.size(), j + 20));
        }
        return "the output ends before the last expected output (" + n + " expected, " + actual.size() +
            " outputs)";
    }
}
