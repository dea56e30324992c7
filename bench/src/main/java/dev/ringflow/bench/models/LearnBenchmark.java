package dev.ringflow.bench.models;

import dev.ringflow.models.learn.LogisticSgdLearner;
import dev.ringflow.models.learn.SgdSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One prequential step of online logistic regression on 16 features (score with the model as it is, then one SGD
 * step), per pipeline, plain SGD or AdaGrad with L2, in batches of {@value #BATCH} labelled events. 0 B/op expected
 * (run with {@code -prof gc}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LearnBenchmark
{
    private static final int BATCH = 1024;
    private static final int ROWS = 4096;
    private static final int FEATURES = 16;

    @Param({"false", "true"})
    public boolean adagrad;

    private LogisticSgdLearner learner;
    private final double[][] rows = new double[ROWS][FEATURES];
    private final double[] labels = new double[ROWS];
    private int next;

    @Setup
    public void setUp()
    {
        learner = new SgdSpec(FEATURES).learningRate(0.05).l2(1e-4).adagrad(adagrad).newLearner();
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < ROWS; i++)
        {
            double margin = 0;
            for (int j = 0; j < FEATURES; j++)
            {
                rows[i][j] = random.nextDouble() * 2 - 1;
                margin += (j - FEATURES / 2) * rows[i][j];
            }
            labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1 : 0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double scoreThenLearn()
    {
        final LogisticSgdLearner learner = this.learner;
        double sum = 0;
        final int from = next;
        for (int n = from, end = from + BATCH; n < end; n++)
        {
            final int i = n & (ROWS - 1);
            sum += learner.learn(rows[i], labels[i]);
        }
        next = from + BATCH;
        return sum;
    }
}
