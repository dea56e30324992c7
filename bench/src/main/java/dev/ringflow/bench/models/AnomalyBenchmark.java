package dev.ringflow.bench.models;

import dev.ringflow.models.anomaly.AnomalyDetector;
import dev.ringflow.models.anomaly.AnomalySpec;
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
 * One anomaly verdict per event: a z-score against the key's last {@code range} values, or an EWMA, over
 * {@code keys} random keys, in batches of {@value #BATCH} events as a worker sees a ring batch. The budget is
 * 30 ns per event for the z-score, 0 B/op (run with {@code -prof gc}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AnomalyBenchmark
{
    private static final int BATCH = 1024;
    private static final int EVENTS = 1 << 16;

    @Param({"zscore", "ewma"})
    public String method;

    @Param("10000")
    public int keys;

    @Param("100")
    public int range;

    private AnomalyDetector detector;
    private final int[] keyIds = new int[EVENTS];
    private final double[] values = new double[EVENTS];
    private int next;

    @Setup
    public void setUp()
    {
        final AnomalySpec spec = "ewma".equals(method) ? AnomalySpec.ewma(0.05) : AnomalySpec.countWindow(range);
        detector = spec.threshold(3).minCount(10).newDetector(keys);
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < EVENTS; i++)
        {
            keyIds[i] = random.nextInt(keys);
            values[i] = 100 + 10 * random.nextDouble() + (random.nextInt(100) == 0 ? 100 : 0);
        }
        // Fill every key's window before measuring: steady state, not the first values of each key.
        for (int i = 0; i < keys * range / BATCH + 1; i++)
        {
            batch();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int verdicts()
    {
        return batch();
    }

    private int batch()
    {
        final AnomalyDetector detector = this.detector;
        final int[] keyIds = this.keyIds;
        final double[] values = this.values;
        int anomalies = 0;
        final int from = next;
        for (int n = from, end = from + BATCH; n < end; n++)
        {
            final int i = n & (EVENTS - 1);
            anomalies += detector.onValue(keyIds[i], n, values[i]) ? 1 : 0;
        }
        next = from + BATCH;
        return anomalies;
    }
}
