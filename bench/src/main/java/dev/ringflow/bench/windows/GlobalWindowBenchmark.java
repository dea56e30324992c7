package dev.ringflow.bench.windows;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.GlobalWindowAggregator;
import dev.ringflow.windows.ValueKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per element of the global (unbounded) window over 1,000 keys, firing on every element, for each
 * aggregation.
 * <pre>
 * java -jar bench/target/benchmarks.jar GlobalWindowBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class GlobalWindowBenchmark
{
    private static final int EVENTS = 1 << 20;
    private static final int KEYS = 1_000;

    @Param({ "SUM", "COUNT", "MEAN", "MIN", "MAX", "VARIANCE" })
    Aggregation aggregation;

    private int[] keyIds;
    private long[] values;
    private int next;
    private GlobalWindowAggregator window;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        keyIds = new int[EVENTS];
        values = new long[EVENTS];
        for (int i = 0; i < EVENTS; i++)
        {
            keyIds[i] = random.nextInt(KEYS);
            values[i] = random.nextInt(2_000_001) - 1_000_000;
        }
        window = new GlobalWindowAggregator(1, ValueKind.LONG, EnumSet.of(aggregation), KEYS);
    }

    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public double ringflow()
    {
        final int from = next;
        next = from + Batches.SIZE;
        return Batches.feed(window, aggregation, keyIds, values, from, EVENTS - 1);
    }
}
