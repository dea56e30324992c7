package dev.ringflow.windows;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlobalWindowAggregatorTest
{
    @RepeatedTest(5)
    void shouldMatchACountWindowLongerThanTheStream()
    {
        final long seed = System.nanoTime();
        System.out.println("shouldMatchACountWindowLongerThanTheStream seed=" + seed);
        final Random random = new Random(seed);
        final int slide = 1 + random.nextInt(10);
        final GlobalWindowAggregator global = new GlobalWindowAggregator(slide, ValueKind.LONG,
            EnumSet.allOf(Aggregation.class), 1);
        final CountWindowAggregator oracle = new CountWindowAggregator(100_000, slide, ValueKind.LONG,
            EnumSet.allOf(Aggregation.class), 1);
        for (int i = 0; i < 50_000; i++)
        {
            final int key = random.nextInt(40);
            final long value = random.nextInt(20_001) - 10_000;
            final boolean fired = global.addLong(key, value);
            assertThat(fired).isEqualTo(oracle.addLong(key, value));
            if (fired)
            {
                for (final Aggregation a : Aggregation.values())
                {
                    assertThat(global.result().doubleValue(a)).as("seed %d #%d %s", seed, i, a)
                        .isCloseTo(oracle.result().doubleValue(a),
                            org.assertj.core.api.Assertions.within(1e-6 * Math.max(1,
                                Math.abs(oracle.result().doubleValue(a)))));
                }
                assertThat(global.result().longValue(Aggregation.SUM))
                    .isEqualTo(oracle.result().longValue(Aggregation.SUM));
                assertThat(global.result().lastSequence()).isEqualTo(oracle.result().lastSequence());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ValueKind.class)
    void shouldMatchTheNaiveOracleForAnySubsetOfAggregationsAndForgetRemovedKeys(final ValueKind kind)
    {
        for (int run = 0; run < 6; run++)
        {
            final long seed = System.nanoTime();
            System.out.println("shouldMatchTheNaiveOracleForAnySubsetOfAggregationsAndForgetRemovedKeys seed=" + seed);
            final Random random = new Random(seed);
            final int slide = 1 + random.nextInt(4);
            final Set<Aggregation> aggregations = EnumSet.noneOf(Aggregation.class);
            for (final Aggregation aggregation : Aggregation.values())
            {
                if (random.nextBoolean())
                {
                    aggregations.add(aggregation);
                }
            }
            aggregations.add(Aggregation.values()[random.nextInt(Aggregation.values().length)]);
            final GlobalWindowAggregator global = new GlobalWindowAggregator(slide, kind, aggregations, 1);
            final CountWindowOracle oracle = new CountWindowOracle(Integer.MAX_VALUE, slide);
            final int keys = 1 + random.nextInt(40);
            final int[] generation = new int[keys];
            for (int i = 0; i < 20_000; i++)
            {
                final int key = random.nextInt(keys);
                if (random.nextInt(500) == 0)
                {
                    global.removeKey(key);
                    generation[key]++;
                    continue;
                }
                final long longValue = random.nextInt(4) == 0 ? random.nextLong() >> 20 : random.nextInt(201) - 100;
                final double value = kind == ValueKind.LONG ? longValue :
                    (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(7) - 3);
                final boolean fired = kind == ValueKind.LONG ? global.addLong(key, longValue) :
                    global.addDouble(key, value);
                final CountWindowOracle.Fired expected = oracle.add(key + keys * generation[key], value, longValue);
                assertThat(fired).as("seed %d #%d", seed, i).isEqualTo(null != expected);
                if (fired)
                {
                    final WindowResult result = global.result();
                    assertThat(result.keyId()).isEqualTo(key);
                    assertThat(result.count()).as("seed %d #%d", seed, i).isEqualTo(expected.count());
                    assertThat(result.firstSequence()).isEqualTo(1);
                    assertThat(result.lastSequence()).isEqualTo(expected.count());
                    for (final Aggregation a : aggregations)
                    {
                        if (kind == ValueKind.LONG && result.isIntegral(a))
                        {
                            assertThat(result.longValue(a)).as("seed %d #%d %s", seed, i, a)
                                .isEqualTo(expected.longs().get(a));
                        }
                        else
                        {
                            final double want = expected.values().get(a);
                            assertThat(result.doubleValue(a)).as("seed %d #%d %s", seed, i, a)
                                .isCloseTo(want, org.assertj.core.api.Assertions.within(1e-6 * Math.max(1,
                                    Math.abs(want))));
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldRejectASlideBelowOne()
    {
        assertThatThrownBy(() -> new GlobalWindowAggregator(0, ValueKind.LONG, EnumSet.of(Aggregation.SUM), 1))
            .hasMessage("slide must be >= 1, was 0");
    }
}
