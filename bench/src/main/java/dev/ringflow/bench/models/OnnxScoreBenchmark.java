package dev.ringflow.bench.models;

import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelKind;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * ONNX Runtime (the {@code ringflow-onnx} module) scoring ScoreBenchmark's XGBoost model, 100 trees of depth 6 on
 * 16 features, converted to an ONNX TreeEnsembleRegressor: one row per native call, as the score task calls it per
 * event, and 64 rows per call, what a micro-batch of the ring would cost per event. Ringflow's own evaluator on the
 * same model is ScoreBenchmark's {@code xgboost100TreesDepth6}. Run with {@code -prof gc}: each native call
 * allocates ONNX Runtime's result objects, so B/op is not 0; per event it shrinks with the batch.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class OnnxScoreBenchmark
{
    private static final int BATCH = 64;
    /** NaN cells follow the trees' default branches in both; the sums of 100 float leaves may round apart. */
    private static final double TOLERANCE = 1e-5;

    private final ScoreBenchmark xgboost = new ScoreBenchmark();
    private final double[] scores = new double[BATCH];
    private final double[][] batch = new double[BATCH][];
    private Model onnx;
    private int next;

    @Setup
    public void setUp() throws Exception
    {
        xgboost.setUp();
        final byte[] bytes = XgboostOnnxExport.convert(xgboost.booster.toByteArray("json"), ScoreBenchmark.FEATURES);
        onnx = ModelLoader.load(bytes, "xgboost-100x6.onnx", ModelLimits.defaults());
        if (onnx.kind() != ModelKind.ONNX)
        {
            throw new IllegalStateException("the ringflow-onnx module is not on the class path");
        }
        checkSameScores();
    }

    /** The comparison is only fair if both answer the same. */
    private void checkSameScores()
    {
        for (int i = 0; i < ScoreBenchmark.ROWS; i += 16)
        {
            final double[] row = xgboost.rows[i];
            final double ringflow = xgboost.xgboost.score(row);
            final double onnxRuntime = onnx.score(row);
            if (Math.abs(ringflow - onnxRuntime) > TOLERANCE)
            {
                throw new IllegalStateException("row " + i + ": Ringflow scores " + ringflow + ", ONNX Runtime " +
                    onnxRuntime);
            }
        }
    }

    @TearDown
    public void tearDown()
    {
        xgboost.tearDown();
    }

    /** One native call per event. */
    @Benchmark
    public double onnxSingleRow()
    {
        return onnx.score(xgboost.rows[next++ & (ScoreBenchmark.ROWS - 1)]);
    }

    /** One native call per 64 events; the time is per event. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double onnxBatchOf64()
    {
        final double[][] batch = this.batch;
        final double[][] rows = xgboost.rows;
        final int from = next;
        for (int i = 0; i < BATCH; i++)
        {
            batch[i] = rows[(from + i) & (ScoreBenchmark.ROWS - 1)];
        }
        next = from + BATCH;
        onnx.scoreBatch(batch, BATCH, scores);
        return scores[BATCH - 1];
    }
}
