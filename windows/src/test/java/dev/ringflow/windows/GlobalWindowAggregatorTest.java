package dev.ringflow.windows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GlobalWindowAggregatorTest
{
    @ParameterizedTest
    @EnumSource(ValueKind.class)
    void shouldMatchTheNaiveOracleWithEveryAggregationOverALongStream(final ValueKind kind)
    {
        final long seed = TestSeeds.seed("shouldMatchTheNaiveOracleWithEveryAggregationOverALongStream " + kind);
        final Random random = new Random(seed);
        final int slide = 1 + random.nextInt(10);
        assertMatchesTheNaiveOracle(seed, random, kind, EnumSet.allOf(Aggregation.class), slide, 40, 50_000, 0);
    }

    @ParameterizedTest
    @EnumSource(ValueKind.class)
    void shouldMatchTheNaiveOracleForAnySubsetOfAggregationsAndForgetRemovedKeys(final ValueKind kind)
    {
        final long seed = TestSeeds.seed("shouldMatchTheNaiveOracleForAnySubsetOfAggregationsAndForgetRemovedKeys " +
            kind);
        final Random random = new Random(seed);
        for (int run = 0; run < 6; run++)
        {
            final Set<Aggregation> aggregations = EnumSet.noneOf(Aggregation.class);
            for (final Aggregation aggregation : Aggregation.values())
            {
                if (random.nextBoolean())
                {
                    aggregations.add(aggregation);
                }
            }
            aggregations.add(Aggregation.values()[random.nextInt(Aggregation.values().length)]);
            final int slide = 1 + random.nextInt(4);
            final int keys = 1 + random.nextInt(40);
            assertMatchesTheNaiveOracle(seed, random, kind, aggregations, slide, keys, 20_000, 500);
        }
    }

    @Test
    void shouldRejectASlideBelowOne()
    {
        assertThatThrownBy(() -> new GlobalWindowAggregator(0, ValueKind.LONG, EnumSet.of(Aggregation.SUM), 1))
            .hasMessage("slide must be >= 1, was 0");
    }

    /**
     * Feeds one random stream to the aggregator and to {@link CountWindowOracle} with an unbounded range (a global
     * window is a count window that never evicts), and checks every fired window against the oracle's from-scratch
     * recomputation.
     *
     * @param removeOneIn remove a key instead of adding to it once in this many elements on average; 0 never.
     */
    private static void assertMatchesTheNaiveOracle(final long seed, final Random random, final ValueKind kind,
        final Set<Aggregation> aggregations, final int slide, final int keys, final int elements, final int removeOneIn)
    {
        final GlobalWindowAggregator global = new GlobalWindowAggregator(slide, kind, aggregations, 1);
        final CountWindowOracle oracle = new CountWindowOracle(Integer.MAX_VALUE, slide);
        // A removed key starts afresh: the oracle sees it as a new key, one per generation.
        final int[] generation = new int[keys];
        int fires = 0;
        for (int i = 0; i < elements; i++)
        {
            final int key = random.nextInt(keys);
            if (removeOneIn > 0 && random.nextInt(removeOneIn) == 0)
            {
                global.removeKey(key);
                generation[key]++;
                continue;
            }
            final long longValue = random.nextInt(4) == 0 ? random.nextLong() >> 20 : random.nextInt(20_001) - 10_000;
            final double value = kind == ValueKind.LONG ? longValue :
                (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(7) - 3);
            final boolean fired = kind == ValueKind.LONG ? global.addLong(key, longValue) :
                global.addDouble(key, value);
            final CountWindowOracle.Fired expected = oracle.add(key + keys * generation[key], value, longValue);
            assertThat(fired).as("seed %d #%d fired", seed, i).isEqualTo(null != expected);
            if (!fired)
            {
                continue;
            }
            fires++;
            final WindowResult result = global.result();
            assertThat(result.keyId()).as("seed %d #%d key", seed, i).isEqualTo(key);
            assertThat(result.count()).as("seed %d #%d count", seed, i).isEqualTo(expected.count());
            assertThat(result.firstSequence()).as("seed %d #%d first sequence", seed, i).isEqualTo(1);
            assertThat(result.lastSequence()).as("seed %d #%d last sequence", seed, i).isEqualTo(expected.count());
            for (final Aggregation a : aggregations)
            {
                if (kind == ValueKind.LONG && result.isIntegral(a))
                {
                    assertThat(result.longValue(a)).as("seed %d #%d %s", seed, i, a)
                        .isEqualTo(expected.longs().get(a));
                }
                else if (isSelection(a))
                {
                    assertThat(result.doubleValue(a)).as("seed %d #%d %s", seed, i, a)
                        .isEqualTo(expected.values().get(a));
                }
                else
                {
                    final double want = expected.values().get(a);
                    assertThat(result.doubleValue(a)).as("seed %d #%d %s", seed, i, a)
                        .isCloseTo(want, within(1e-6 * Math.max(1, Math.abs(want))));
                }
            }
        }
        assertThat(fires).as("seed %d: windows fired", seed).isGreaterThan(0);
    }

    /** An aggregate that picks one element rather than computing from several: exact for doubles too. */
    private static boolean isSelection(final Aggregation aggregation)
    {
        return aggregation == Aggregation.MIN || aggregation == Aggregation.MAX || aggregation == Aggregation.FIRST ||
            aggregation == Aggregation.LAST;
    }
}
