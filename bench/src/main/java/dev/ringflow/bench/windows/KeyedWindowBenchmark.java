package dev.ringflow.bench.windows;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.CountWindowAggregator;
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

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per element of a sliding count window over many keys in random order (so most key states miss the
 * CPU caches), added one by one and with {@code ElementWindows.prefetch} before each group of
 * {@value dev.ringflow.windows.ElementWindows#PREFETCH_GROUP}, beside the usual boxed implementation: a HashMap from
 * key to a deque of the last values.
 * <pre>
 * java -jar bench/target/benchmarks.jar KeyedWindowBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@State(Scope.Thread)
public class KeyedWindowBenchmark
{
    private static final int EVENTS = 1 << 20;

    @Param({ "100000" })
    int keys;

    @Param({ "5", "100" })
    int range;

    @Param({ "SUM", "MAX" })
    Aggregation aggregation;

    private int[] keyIds;
    private long[] values;
    private int next;
    private CountWindowAggregator window;
    private Map<Integer, ArrayDeque<Long>> boxed;

    /** Only the benchmark being run builds its structure, so neither pays for the other's garbage. */
    @Setup(Level.Trial)
    public void setUp(final org.openjdk.jmh.infra.BenchmarkParams params)
    {
        final boolean isBoxed = params.getBenchmark().endsWith("boxedHashMapDeque");
        final SplittableRandom random = new SplittableRandom(42);
        keyIds = new int[EVENTS];
        values = new long[EVENTS];
        for (int i = 0; i < EVENTS; i++)
        {
            keyIds[i] = random.nextInt(keys);
            values[i] = random.nextInt(2_000_001) - 1_000_000;
        }
        if (isBoxed)
        {
            boxed = new HashMap<>();
            for (int i = 0; i < EVENTS; i++)
            {
                boxedAdd(keyIds[i], values[i]);
            }
        }
        else
        {
            window = new CountWindowAggregator(range, 1, ValueKind.LONG, EnumSet.of(aggregation), keys);
            for (int i = 0; i < EVENTS; i++)
            {
                window.addLong(keyIds[i], values[i]);
            }
        }
        System.gc();
    }

    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public double ringflow()
    {
        final int from = next;
        next = from + Batches.SIZE;
        return Batches.feed(window, aggregation, keyIds, values, from, EVENTS - 1);
    }

    /** The same, with {@code prefetch} before each group of elements, as a caller that holds a batch can. */
    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public double ringflowPrefetched()
    {
        final int from = next;
        next = from + Batches.SIZE;
        return Batches.feedPrefetched(window, aggregation, keyIds, values, from, EVENTS - 1);
    }

    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public double boxedHashMapDeque()
    {
        int next = this.next;
        double total = 0;
        for (int n = 0; n < Batches.SIZE; n++)
        {
            final int i = next++ & (EVENTS - 1);
            total += boxedAdd(keyIds[i], values[i]);
        }
        this.next = next;
        return total;
    }

    private double boxedAdd(final int key, final long value)
    {
        final ArrayDeque<Long> deque = boxed.computeIfAbsent(key, k -> new ArrayDeque<>());
        deque.addLast(value);
        if (deque.size() > range)
        {
            deque.removeFirst();
        }
        long result = aggregation == Aggregation.SUM ? 0 : Long.MIN_VALUE;
        for (final long v : deque)
        {
            result = aggregation == Aggregation.SUM ? result + v : Math.max(result, v);
        }
        return result;
    }
}
