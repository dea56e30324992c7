package dev.ringflow.models.score;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ModelAllocationTest
{
    private static final int SCORES = 200_000;

    @ParameterizedTest
    @ValueSource(strings = {"xgb17-binary-logistic.json", "xgb34-reg-squarederror.json", "lgbm-binary.txt",
        "lgbm-regression.txt", "linear-logistic.json"})
    void shouldAllocateNothingPerScoreInSteadyState(final String name) throws ModelException
    {
        final Model model = TestModels.load(name);
        final double[][] rows = TestModels.rows("holdout.csv");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();

        double sink = run(model, rows);
        final long before = threads.getThreadAllocatedBytes(thread);
        sink += run(model, rows);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        System.out.println(name + ": " + allocated + " bytes over " + SCORES + " scores (checksum " + sink + ")");
        // The reading of the counter itself may allocate a few bytes; a per-score allocation would be >= 3.2 MB.
        assertThat(allocated).isLessThan(1024);
    }

    private static double run(final Model model, final double[][] rows)
    {
        double sum = 0;
        for (int i = 0; i < SCORES; i++)
        {
            final double score = model.score(rows[i % rows.length]);
            sum += score == score ? score : 0;
        }
        return sum;
    }
}
