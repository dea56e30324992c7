package dev.ringflow.engine.json;

import java.util.SplittableRandom;

/**
 * Finite doubles for the tests, mixed: random bit patterns over every exponent, subnormals, decimal-looking values
 * (random integers over powers of ten, short decimals anywhere), integers, powers of two and their neighbours,
 * values around 1e15 to 1e17 where integers stop being plain, and the edge constants.
 */
final class DoubleSamples
{
    private static final double[] EDGES = {
        0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL,
        Math.nextDown(Double.MIN_NORMAL), Math.nextUp(Double.MIN_NORMAL), 1e16, Math.nextDown(1e16), Math.nextUp(1e16),
        1e-5, Math.nextDown(1e-5), Math.nextUp(1e-5), 9007199254740992.0, 9007199254740994.0, 9007199254740990.0,
        1.0, -1.0, 0.1, 0.2, 0.3, 2e23, 1e23, 5e-324, 1e15, 1e17 };
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
    private static final long MANTISSA_MASK = (1L << 52) - 1;

    private DoubleSamples()
    {
    }

    static double next(final SplittableRandom random)
    {
        final double value;
        switch (random.nextInt(10))
        {
            case 0:
            case 1:
            case 2:
                value = randomBits(random);
                break;
            case 3:
                // Subnormal, of any width.
                value = Double.longBitsToDouble((random.nextLong() & MANTISSA_MASK) >>> random.nextInt(53));
                break;
            case 4:
                // n / 10^k and n * 10^k: correctly rounded, so the double nearest a short decimal.
                final long n = random.nextLong(1, 1L + (long)POWERS_OF_TEN[1 + random.nextInt(17)]);
                final double power = POWERS_OF_TEN[random.nextInt(POWERS_OF_TEN.length)];
                value = random.nextInt(4) == 0 ? n * power : n / power;
                break;
            case 5:
                value = Double.parseDouble(random.nextLong(1, 1_000_000_000L) + "e" + random.nextInt(-333, 300));
                break;
            case 6:
                value = random.nextBoolean() ? random.nextInt(-1000, 1000) : random.nextLong(-(1L << 53), 1L << 53);
                break;
            case 7:
                value = neighbour(random, Math.scalb(1.0, random.nextInt(-1074, 1024)));
                break;
            case 8:
                value = nearIntegerLimit(random);
                break;
            default:
                value = EDGES[random.nextInt(EDGES.length)];
        }
        return random.nextBoolean() ? value : -value;
    }

    private static double randomBits(final SplittableRandom random)
    {
        while (true)
        {
            final double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(value))
            {
                return value;
            }
        }
    }

    /** 1e15 to 1e17: integers, halves and quarters, a few ulps either side of 1e16 and 2^53. */
    private static double nearIntegerLimit(final SplittableRandom random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return random.nextLong(1_000_000_000_000_000L, 100_000_000_000_000_000L);
            case 1:
                return random.nextLong(1_000_000_000_000_000L, 10_000_000_000_000_000L) + random.nextInt(4) * 0.25;
            case 2:
                return stepUlps(1e16, random.nextInt(-8, 9));
            default:
                return stepUlps(9007199254740992.0, random.nextInt(-8, 9));
        }
    }

    private static double neighbour(final SplittableRandom random, final double value)
    {
        return stepUlps(value, random.nextInt(-1, 2));
    }

    private static double stepUlps(final double value, final int ulps)
    {
        double result = value;
        for (int i = 0; i < ulps; i++)
        {
            result = Math.nextUp(result);
        }
        for (int i = 0; i > ulps; i--)
        {
            result = Math.nextDown(result);
        }
        return Double.isFinite(result) ? result : value;
    }
}
