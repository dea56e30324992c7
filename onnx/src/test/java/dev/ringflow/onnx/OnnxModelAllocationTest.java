package dev.ringflow.onnx;

import com.sun.management.ThreadMXBean;
import dev.ringflow.models.score.Model;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an ONNX score allocates on the Java heap, per native call, in steady state: ONNX Runtime's Java API makes a
 * result object per run even with pinned inputs and outputs, so it is not zero; the test bounds it and checks that
 * it is per call, not per row, which is what makes batches cheap per event.
 */
class OnnxModelAllocationTest
{
    private static final int CALLS = 20_000;
    /** ONNX Runtime 1.20's result objects measured ~300-500 B; the bound leaves room, not a row's worth per row. */
    private static final long MAX_BYTES_PER_CALL = 2_048;

    @Test
    void shouldAllocateABoundedAmountPerNativeCallWhateverTheRowCount() throws Exception
    {
        final Model model = OnnxTestModels.load("mlp-probabilities.onnx");
        final double[][] rows = OnnxTestModels.Reference.of("mlp-probabilities.onnx").rows();
        final double[] scores = new double[64];

        final double single = bytesPerCall(() -> scores[0] = model.score(rows[0]));
        final double batch = bytesPerCall(() -> model.scoreBatch(rows, 64, scores));
        System.out.printf("ONNX allocation: %.0f B per single-row call, %.0f B per 64-row call (%.1f B per row)%n",
            single, batch, batch / 64);

        assertThat(single).isLessThan(MAX_BYTES_PER_CALL);
        assertThat(batch).as("a 64-row call allocates as one call does, not per row").isLessThan(single * 1.5 + 64);
        assertThat(((OnnxModel)model).failedCalls()).isZero();
    }

    private static double bytesPerCall(final Runnable call)
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        for (int i = 0; i < CALLS; i++)
        {
            call.run();
        }
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < CALLS; i++)
        {
            call.run();
        }
        return (threads.getThreadAllocatedBytes(thread) - before) / (double)CALLS;
    }
}
