package dev.ringflow.bench;

/**
 * The seed of every randomised test in this module: {@code -Dringflow.seed=N} when given, else the clock.
 * <p>
 * <b>Note:</b> Each call prints the seed, so a failed run can be repeated with {@code -Dringflow.seed=N}.
 */
public final class TestSeeds
{
    private static final String SEED_PROPERTY = "ringflow.seed";

    private TestSeeds()
    {
    }

    /**
     * @param test what the seed drives, printed beside it (usually the test method's name).
     * @return the value of {@code ringflow.seed}, or {@link System#nanoTime()} when it is not set.
     * @throws NumberFormatException when {@code ringflow.seed} is set but is not a long: a mistyped seed must not
     * quietly run a different stream (as {@code Long.getLong} would).
     */
    public static long seed(final String test)
    {
        final String property = System.getProperty(SEED_PROPERTY);
        final long seed = null == property ? System.nanoTime() : Long.parseLong(property.trim());
        System.out.println(test + " seed=" + seed);
        return seed;
    }
}
