package dev.ringflow.models.score;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares a model's scores with reference predictions row by row and prints the largest difference.
 */
final class OracleCheck
{
    private OracleCheck()
    {
    }

    /**
     * @param tolerance the largest difference allowed on a row; NaN must meet NaN.
     * @return how many rows differ at all (not bit-exact).
     */
    static int compare(final String name, final Model model, final double[][] rows, final double[] expected,
        final double tolerance)
    {
        double maxDifference = 0;
        int differing = 0;
        for (int r = 0; r < expected.length; r++)
        {
            final double actual = model.score(rows[r]);
            if (Double.isNaN(expected[r]))
            {
                assertThat(actual).as("%s row %d", name, r).isNaN();
                continue;
            }
            final double difference = Math.abs(actual - expected[r]);
            maxDifference = Math.max(maxDifference, difference);
            if (actual != expected[r])
            {
                differing++;
            }
            assertThat(difference).as("%s row %d: %s vs reference %s", name, r, actual, expected[r])
                .isLessThanOrEqualTo(tolerance);
        }
        System.out.println(name + ": " + expected.length + " rows, max |difference| " + maxDifference + ", " +
            differing + " not bit-exact");
        return differing;
    }
}
