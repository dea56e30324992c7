package dev.ringflow.bench.windows;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.FeatureWindowSpec;
import dev.ringflow.windows.FeatureWindows;
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

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per event of a {@code features} task with two windows, as {@code examples/card-features.yaml} has
 * them: the key's last 5 values (count, mean, max) and its last hour of event time (count, sum, mean), the six
 * answers read for every event. Keys in random order, event times 25 ms apart in order. Beside it the usual boxed
 * implementation: a HashMap from key to a deque of the last 5 values and a deque of the last hour's (time, value).
 * <pre>
 * java -jar bench/target/benchmarks.jar FeatureWindowsBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@State(Scope.Thread)
public class FeatureWindowsBenchmark
{
    private static final int EVENTS = 1 << 16;
    private static final long STEP_MS = 25;
    private static final long HOUR_MS = 3_600_000;

    @Param({ "1000", "10000" })
    int keys;

    private int[] keyIds;
    private double[] amounts;
    private int next;
    private long timeMs;
    private FeatureWindows windows;
    private final double[] values = new double[2];
    private Map<Integer, BoxedKey> boxed;

    @Setup
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(7);
        keyIds = new int[EVENTS];
        amounts = new double[EVENTS];
        for (int i = 0; i < EVENTS; i++)
        {
            keyIds[i] = random.nextInt(keys);
            amounts[i] = random.nextInt(200_000) / 100.0;
        }
        windows = new FeatureWindows(keys,
            FeatureWindowSpec.countWindow(5).aggregations(EnumSet.of(Aggregation.COUNT, Aggregation.MEAN,
                Aggregation.MAX)),
            FeatureWindowSpec.timeWindow(HOUR_MS).aggregations(EnumSet.of(Aggregation.COUNT, Aggregation.SUM,
                Aggregation.MEAN)));
        boxed = new HashMap<>();
    }

    /** Past the first hour of event time, so that the time windows evict as well as add. */
    private void warmUp(final Runnable batch)
    {
        while (timeMs < 2 * HOUR_MS)
        {
            batch.run();
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public double features()
    {
        if (timeMs < 2 * HOUR_MS)
        {
            warmUp(this::featureBatch);
        }
        return featureBatch();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public double boxedFeatures()
    {
        if (timeMs < 2 * HOUR_MS)
        {
            warmUp(this::boxedBatch);
        }
        return boxedBatch();
    }

    private double featureBatch()
    {
        double sink = 0;
        final double[] values = this.values;
        for (int e = 0; e < EVENTS; e++)
        {
            final int i = next++ & (EVENTS - 1);
            timeMs += STEP_MS;
            values[0] = amounts[i];
            values[1] = amounts[i];
            windows.onEvent(keyIds[i], timeMs, values);
            sink += windows.count(0) + windows.result(0, Aggregation.MEAN) + windows.result(0, Aggregation.MAX) +
                windows.count(1) + windows.result(1, Aggregation.SUM) + windows.result(1, Aggregation.MEAN);
        }
        return sink;
    }

    private double boxedBatch()
    {
        double sink = 0;
        for (int e = 0; e < EVENTS; e++)
        {
            final int i = next++ & (EVENTS - 1);
            timeMs += STEP_MS;
            final BoxedKey key = boxed.computeIfAbsent(keyIds[i], k -> new BoxedKey());
            sink += key.onEvent(timeMs, amounts[i]);
        }
        return sink;
    }

    /** One key's history the usual way: boxed values in deques, aggregates recomputed by looping. */
    private static final class BoxedKey
    {
        private final ArrayDeque<Double> last5 = new ArrayDeque<>();
        private final ArrayDeque<long[]> hourTimes = new ArrayDeque<>();
        private final ArrayDeque<Double> hourValues = new ArrayDeque<>();

        double onEvent(final long timeMs, final double amount)
        {
            last5.addLast(amount);
            if (last5.size() > 5)
            {
                last5.removeFirst();
            }
            hourTimes.addLast(new long[] { timeMs });
            hourValues.addLast(amount);
            while (hourTimes.peekFirst()[0] <= timeMs - HOUR_MS)
            {
                hourTimes.removeFirst();
                hourValues.removeFirst();
            }
            double sum5 = 0;
            double max5 = Double.NEGATIVE_INFINITY;
            for (final Double value : last5)
            {
                sum5 += value;
                max5 = Math.max(max5, value);
            }
            double sumHour = 0;
            for (final Double value : hourValues)
            {
                sumHour += value;
            }
            return last5.size() + sum5 / last5.size() + max5 + hourValues.size() + sumHour +
                sumHour / hourValues.size();
        }
    }
}
