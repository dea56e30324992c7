package dev.ringflow.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The obviously-correct computation the engine is checked against: keep every value of a key in a list and
 * recompute the window from it each time one fires.
 */
final class NaiveOracle
{
    private NaiveOracle()
    {
    }

    static Map<String, List<String>> slidingSums(final List<InMemorySource.Record> input, final int range,
        final int slide)
    {
        return compute(input, range, slide, false);
    }

    static Map<String, List<String>> slidingMax(final List<InMemorySource.Record> input, final int range,
        final int slide)
    {
        return compute(input, range, slide, true);
    }

    private static Map<String, List<String>> compute(final List<InMemorySource.Record> input, final int range,
        final int slide, final boolean max)
    {
        final Map<String, List<Long>> seen = new LinkedHashMap<>();
        final Map<String, List<String>> out = new LinkedHashMap<>();
        for (final InMemorySource.Record record : input)
        {
            final String key = null == record.key() ? null : new String(record.key(), StandardCharsets.UTF_8);
            final long value;
            try
            {
                value = Long.parseLong(new String(record.value(), StandardCharsets.UTF_8));
            }
            catch (final NumberFormatException ex)
            {
                continue;
            }
            final List<Long> values = seen.computeIfAbsent(key, k -> new ArrayList<>());
            values.add(value);
            if (values.size() % slide != 0)
            {
                continue;
            }
            long result = max ? Long.MIN_VALUE : 0;
            for (int i = Math.max(0, values.size() - range); i < values.size(); i++)
            {
                result = max ? Math.max(result, values.get(i)) : result + values.get(i);
            }
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(Long.toString(result));
        }
        return out;
    }
}
