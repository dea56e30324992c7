package dev.ringflow.bench.models;

import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelException;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Scoring one event with a loaded model, side by side: Ringflow's logistic regression of 16 features, Ringflow's
 * XGBoost evaluator on 100 trees of depth 6, and xgboost4j's own single-row predict on the same model and rows (its
 * in-place predict, the fastest single-row call it has). The XGBoost model is trained in the setup with xgboost4j
 * on synthetic data (a tenth of the cells missing), saved as JSON and loaded with {@link ModelLoader}. Ringflow's
 * scorers should allocate 0 B/op (run with {@code -prof gc}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ScoreBenchmark
{
    static final int FEATURES = 16;
    static final int ROWS = 4096;
    private static final int BATCH = 1024;
    private static final int TREES = 100;
    private static final int DEPTH = 6;

    final double[][] rows = new double[ROWS][FEATURES];
    private final float[][] floatRows = new float[ROWS][FEATURES];
    private Model logistic;
    Model xgboost;
    Booster booster;
    private int next;

    @Setup
    public void setUp() throws IOException, ModelException, XGBoostError
    {
        final SplittableRandom random = new SplittableRandom(42);
        final float[] labels = new float[ROWS];
        for (int i = 0; i < ROWS; i++)
        {
            double margin = 0;
            for (int j = 0; j < FEATURES; j++)
            {
                final double x = random.nextGaussian();
                margin += (j % 3 - 1) * x + (j == 0 ? x * x : 0);
                rows[i][j] = random.nextInt(10) == 0 ? Double.NaN : x;
                floatRows[i][j] = (float)rows[i][j];
            }
            labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1 : 0;
        }
        final Path dir = Files.createTempDirectory("score-benchmark");
        try
        {
            logistic = ModelLoader.load(writeLogistic(dir.resolve("logistic.json"), random), ModelLimits.defaults());
            booster = train(labels);
            final Path xgboostFile = dir.resolve("xgboost.json");
            booster.saveModel(xgboostFile.toString());
            xgboost = ModelLoader.load(xgboostFile, ModelLimits.defaults());
        }
        finally
        {
            try (var files = Files.list(dir))
            {
                for (final Path file : files.toList())
                {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
        checkSameScores();
    }

    private Booster train(final float[] labels) throws XGBoostError
    {
        final float[] data = new float[ROWS * FEATURES];
        for (int i = 0; i < ROWS; i++)
        {
            System.arraycopy(floatRows[i], 0, data, i * FEATURES, FEATURES);
        }
        final DMatrix train = new DMatrix(data, ROWS, FEATURES, Float.NaN);
        train.setLabel(labels);
        final Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", DEPTH);
        params.put("eta", 0.1);
        params.put("tree_method", "exact");
        params.put("nthread", 1);
        params.put("seed", 7);
        final Booster trained = XGBoost.train(train, params, TREES, Map.of(), null, null);
        train.dispose();
        trained.setParam("nthread", 1);
        return trained;
    }

    private static Path writeLogistic(final Path file, final SplittableRandom random) throws IOException
    {
        final StringBuilder json = new StringBuilder("{\"format\": \"ringflow-linear\", \"version\": \"bench\", " +
            "\"link\": \"logistic\", \"missing\": \"zero\", \"bias\": -0.5, \"features\": [");
        for (int j = 0; j < FEATURES; j++)
        {
            json.append(j == 0 ? "" : ", ").append("\"f").append(j).append('"');
        }
        json.append("], \"weights\": [");
        for (int j = 0; j < FEATURES; j++)
        {
            json.append(j == 0 ? "" : ", ").append(random.nextGaussian());
        }
        Files.writeString(file, json.append("]}").toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** The comparison is only fair if both answer the same: they must agree on every row. */
    private void checkSameScores() throws XGBoostError
    {
        for (int i = 0; i < ROWS; i += 64)
        {
            final float reference = booster.inplace_predict(floatRows[i], 1, FEATURES, Float.NaN)[0][0];
            if (reference != (float)xgboost.score(rows[i]))
            {
                throw new IllegalStateException("row " + i + ": Ringflow scores " + xgboost.score(rows[i]) +
                    ", xgboost4j " + reference);
            }
        }
    }

    @TearDown
    public void tearDown()
    {
        booster.dispose();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double logistic16Features()
    {
        return scoreBatch(logistic);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double xgboost100TreesDepth6()
    {
        return scoreBatch(xgboost);
    }

    /** The baseline: one native call per event, as a stream processor would make it. */
    @Benchmark
    public float xgboost4jSingleRowPredict() throws XGBoostError
    {
        final int i = next++ & (ROWS - 1);
        return booster.inplace_predict(floatRows[i], 1, FEATURES, Float.NaN)[0][0];
    }

    private double scoreBatch(final Model model)
    {
        final double[][] rows = this.rows;
        double sum = 0;
        final int from = next;
        for (int n = from, end = from + BATCH; n < end; n++)
        {
            sum += model.score(rows[n & (ROWS - 1)]);
        }
        next = from + BATCH;
        return sum;
    }
}
