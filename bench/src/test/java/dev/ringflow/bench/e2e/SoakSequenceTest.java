package dev.ringflow.bench.e2e;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak's closed-form expected outputs against a naive replay of the sequence through a sliding sum of five.
 */
class SoakSequenceTest
{
    @Test
    void shouldPredictEveryOutputOfTheSlidingSum()
    {
        for (final int keys : new int[] { 1, 3, 1_000 })
        {
            final SoakSequence sequence = new SoakSequence(keys);
            final List<List<Integer>> valuesPerKey = new ArrayList<>();
            for (int k = 0; k < keys; k++)
            {
                valuesPerKey.add(new ArrayList<>());
            }
            for (long i = 0; i < 20_000; i++)
            {
                final int key = sequence.keyOf(i);
                final List<Integer> values = valuesPerKey.get(key);
                values.add(SoakSequence.valueOf(i));
                long naive = 0;
                for (int m = Math.max(0, values.size() - 5); m < values.size(); m++)
                {
                    naive += values.get(m);
                }
                assertThat(sequence.expectedOutput(key, values.size() - 1)).as("keys %d, record %d", keys, i)
                    .isEqualTo(naive);
            }
        }
    }

    @Test
    void shouldSpreadValuesOverTheWholeRange()
    {
        final int[] counts = new int[InputSequence.VALUE_BOUND];
        for (long i = 0; i < 100_000; i++)
        {
            counts[SoakSequence.valueOf(i)]++;
        }
        // A uniform spread puts 1,000 in each; a stuck or narrow generator leaves some empty.
        assertThat(java.util.Arrays.stream(counts).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(700, 1_300));
    }
}
