package dev.ringflow.windows;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The branch-free order of double bits in {@link SlidingExtremes#scan} is {@link Double#compare}'s, special values
 * included, and a scan's min and max are those of a naive loop with {@code Double.compare}.
 */
class SlidingExtremesOrderTest
{
    private static final double[] SPECIAL = {
        0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L),
        Double.longBitsToDouble(0xfff8000000000001L), 1.0, -1.0, 1e-300, -1e300 };

    @Test
    void shouldOrderLikeDoubleCompare()
    {
        final long seed = TestSeeds.seed("shouldOrderLikeDoubleCompare");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++)
        {
            final double a = next(random);
            final double b = next(random);
            final long keyA = SlidingExtremes.orderKey(Double.doubleToRawLongBits(a));
            final long keyB = SlidingExtremes.orderKey(Double.doubleToRawLongBits(b));
            assertThat(Long.signum(Long.compare(keyA, keyB))).as("order of %s and %s (seed %d)", a, b, seed)
                .isEqualTo(Integer.signum(Double.compare(a, b)));
            assertThat(Double.compare(Double.longBitsToDouble(SlidingExtremes.fromOrderKey(keyA)), a))
                .as("round trip of %s (seed %d)", a, seed).isZero();
        }
    }

    @Test
    void shouldScanTheMinAndMaxOfANaiveLoop()
    {
        final long seed = TestSeeds.seed("shouldScanTheMinAndMaxOfANaiveLoop");
        final SplittableRandom random = new SplittableRandom(seed);
        final WindowResult result = new WindowResult(ValueKind.DOUBLE);
        for (int round = 0; round < 20_000; round++)
        {
            final int count = 1 + random.nextInt(12);
            final int from = random.nextInt(4);
            final long[] page = new long[from + count];
            double min = Double.NaN;
            double max = Double.NaN;
            for (int i = 0; i < count; i++)
            {
                final double value = next(random);
                page[from + i] = Double.doubleToRawLongBits(value);
                min = 0 == i || Double.compare(value, min) < 0 ? value : min;
                max = 0 == i || Double.compare(value, max) > 0 ? value : max;
            }
            SlidingExtremes.scan(page, from, count, false, result);
            assertThat(Double.compare(Double.longBitsToDouble(result.min), min)).as("min (seed %d)", seed).isZero();
            assertThat(Double.compare(Double.longBitsToDouble(result.max), max)).as("max (seed %d)", seed).isZero();
        }
    }

    private static double next(final SplittableRandom random)
    {
        return switch (random.nextInt(3))
        {
            case 0 -> SPECIAL[random.nextInt(SPECIAL.length)];
            case 1 -> Double.longBitsToDouble(random.nextLong());
            default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-5, 6));
        };
    }
}
