package dev.ringflow.windows;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Random;

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

    @Test
    void shouldRejectASlideBelowOne()
    {
        assertThatThrownBy(() -> new GlobalWindowAggregator(0, ValueKind.LONG, EnumSet.of(Aggregation.SUM), 1))
            .hasMessage("slide must be >= 1, was 0");
    }
}
