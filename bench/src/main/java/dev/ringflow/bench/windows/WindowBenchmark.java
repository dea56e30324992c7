package dev.ringflow.bench.windows;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.CountWindowAggregator;
import dev.ringflow.windows.ValueKind;
import dev.ringflow.windows.WindowResult;
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
 * Nanoseconds per element of a sliding count window (slide 1: every element fires), one key, beside the obvious
 * implementation that keeps the last {@code range} values and recomputes the aggregate from them every time.
 * <pre>
 * java -jar bench/target/benchmarks.jar WindowBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class WindowBenchmark
{
    private static final int VALUES = 1 << 16;

    @Param({ "5", "1000", "100000" })
    int range;

    @Param({ "SUM", "COUNT", "MEAN", "MIN", "MAX", "VARIANCE" })
    Aggregation aggregation;

    private long[] values;
    private int next;
    private CountWindowAggregator window;
    private NaiveCountWindow naive;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        values = new long[VALUES];
        for (int i = 0; i < VALUES; i++)
        {
            values[i] = random.nextInt(2_000_001) - 1_000_000;
        }
        window = new CountWindowAggregator(range, 1, ValueKind.LONG, EnumSet.of(aggregation), 1);
        naive = new NaiveCountWindow(range, aggregation);
        for (int i = 0; i < 2 * range; i++)
        {
            window.addLong(0, values[i & (VALUES - 1)]);
            naive.add(values[i & (VALUES - 1)]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public double ringflow()
    {
        final CountWindowAggregator window = this.window;
        final WindowResult result = window.result();
        final Aggregation aggregation = this.aggregation;
        final long[] values = this.values;
        int next = this.next;
        double total = 0;
        for (int i = 0; i < Batches.SIZE; i++)
        {
            if (window.addLong(0, values[next++ & (VALUES - 1)]))
            {
                total += result.doubleValue(aggregation);
            }
        }
        this.next = next;
        return total;
    }

    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public double naiveRecompute()
    {
        final NaiveCountWindow naive = this.naive;
        final long[] values = this.values;
        int next = this.next;
        double total = 0;
        for (int i = 0; i < Batches.SIZE; i++)
        {
            total += naive.add(values[next++ & (VALUES - 1)]);
        }
        this.next = next;
        return total;
    }
}
