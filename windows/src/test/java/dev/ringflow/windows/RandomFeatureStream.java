package dev.ringflow.windows;

import java.util.Random;

/**
 * The random streams of {@link FeatureWindowsTest}: events over 1 to 12 keys, a clock that mostly steps a few ms (sometimes 0: equal times; sometimes a jump past
 * every window), events that mostly carry its time and otherwise lag it by up to 3 s (out of order, some beyond
 * any out-of-orderness); values of mixed magnitudes (small decimals, +-1e6, 1e6 plus small noise, zeros), each
 * window's missing now and then.
 */
final class RandomFeatureStream
{
    private final Random random;
    private final int keys;
    private final int lateShare;
    final double[] values;
    int keyId;
    long timeMs;
    private long clockMs;

    RandomFeatureStream(final Random random, final int windows)
    {
        this(random, windows, new int[] { 0, 5, 20, 50 }[random.nextInt(4)]);
    }

    /** @param lateShare percentage of events that lag the clock. */
    RandomFeatureStream(final Random random, final int windows, final int lateShare)
    {
        this.random = random;
        this.keys = 1 + random.nextInt(12);
        this.lateShare = lateShare;
        this.values = new double[windows];
        this.clockMs = random.nextInt(1_000_000);
    }

    void next()
    {
        final int step = random.nextInt(100);
        clockMs += step < 20 ? 0 : step < 97 ? random.nextInt(20) : 5_000 + random.nextInt(50_000);
        keyId = random.nextInt(keys);
        timeMs = random.nextInt(100) < lateShare ? clockMs - random.nextInt(3_000) : clockMs;
        for (int w = 0; w < values.length; w++)
        {
            values[w] = value();
        }
    }

    private double value()
    {
        switch (random.nextInt(12))
        {
            case 0:
                return FeatureWindows.MISSING;
            case 1:
                return random.nextBoolean() ? Double.POSITIVE_INFINITY : 0;
            case 2:
                return (random.nextDouble() - 0.5) * 2e6;
            case 3:
                return 1e6 + random.nextDouble();
            default:
                return (random.nextInt(2_000_001) - 1_000_000) / 1000.0;
        }
    }
}
