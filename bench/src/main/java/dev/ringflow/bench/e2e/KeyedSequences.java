package dev.ringflow.bench.e2e;

import java.util.Arrays;

/**
 * Integer values grouped by key index, each key's in arrival order: the expected outputs of the sliding sum, or
 * what a consumer read from an output topic, in partition and offset order.
 */
final class KeyedSequences
{
    static final int SLIDING_RANGE = 5;

    private final int[][] values;
    private final int[] sizes;

    KeyedSequences(final int keys, final int expectedPerKey)
    {
        values = new int[keys][];
        for (int k = 0; k < keys; k++)
        {
            values[k] = new int[Math.max(8, expectedPerKey)];
        }
        sizes = new int[keys];
    }

    /**
     * The seed pipeline's outputs for {@code input}: per key, on every element, the sum of that key's last
     * {@code min(5, seen)} values.
     */
    static KeyedSequences expectedSlidingSums(final InputSequence input)
    {
        final int keys = input.keys();
        final KeyedSequences expected = new KeyedSequences(keys, perKeyCapacity(input.records(), keys));
        final int[][] lastValues = new int[keys][SLIDING_RANGE];
        final long[] seen = new long[keys];
        final int[] sums = new int[keys];
        input.forEach((index, key, value) ->
        {
            final int slot = (int)(seen[key] % SLIDING_RANGE);
            sums[key] += value - lastValues[key][slot];
            lastValues[key][slot] = value;
            seen[key]++;
            expected.add(key, sums[key]);
        });
        return expected;
    }

    /** The input's values per key, in order: what a pass-through writes. */
    static KeyedSequences inputValues(final InputSequence input)
    {
        final KeyedSequences values = new KeyedSequences(input.keys(), perKeyCapacity(input.records(), input.keys()));
        input.forEach((index, key, value) -> values.add(key, value));
        return values;
    }

    static int perKeyCapacity(final long records, final int keys)
    {
        return (int)Math.min(Integer.MAX_VALUE - 8, records / keys + records / keys / 8 + 16);
    }

    void add(final int key, final int value)
    {
        int[] row = values[key];
        if (sizes[key] == row.length)
        {
            row = Arrays.copyOf(row, row.length * 2);
            values[key] = row;
        }
        row[sizes[key]++] = value;
    }

    int keys()
    {
        return sizes.length;
    }

    long total()
    {
        long total = 0;
        for (final int size : sizes)
        {
            total += size;
        }
        return total;
    }

    /**
     * @return null when every key has the same sequence in both, else the first difference in words.
     */
    String firstDifference(final KeyedSequences other)
    {
        if (keys() != other.keys())
        {
            return "different key counts: " + keys() + " and " + other.keys();
        }
        for (int k = 0; k < sizes.length; k++)
        {
            final int common = Math.min(sizes[k], other.sizes[k]);
            for (int i = 0; i < common; i++)
            {
                if (values[k][i] != other.values[k][i])
                {
                    return InputSequence.KEY_PREFIX + k + ": output #" + i + " is " + values[k][i] + " here and " +
                        other.values[k][i] + " there";
                }
            }
            if (sizes[k] != other.sizes[k])
            {
                return InputSequence.KEY_PREFIX + k + ": " + sizes[k] + " outputs here and " + other.sizes[k] +
                    " there";
            }
        }
        return null;
    }
}
