package dev.ringflow.bench.pipeline;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.stage.AsciiNumbers;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ElementWindows;
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

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per event of the worker's own work (decode the text value, find the key's id, add to its window,
 * format the result) over many keys in random order, on one thread, with and without the look-ahead the worker
 * does over each batch: before a group of {@value ElementWindows#PREFETCH_GROUP} slots it looks their keys up and
 * loads their window state, so that the cache misses of the group overlap. Each invocation first writes a batch of
 * {@value #BATCH} inputs into the slots, as the source copies them from fetched Kafka records (whose bytes are in
 * the caches); {@code mode=fillOnly} measures that alone.
 * <pre>
 * java -jar bench/target/benchmarks.jar WorkerLookAheadBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@State(Scope.Thread)
public class WorkerLookAheadBenchmark
{
    static final int BATCH = 1024;
    /** Length of the random key sequence: long enough that its repeats do not warm the caches. */
    private static final int ORDER_LENGTH = 1 << 22;

    @Param({ "100000" })
    int keys;

    @Param({ "5", "100" })
    int range;

    @Param({ "SUM", "MAX" })
    Aggregation aggregation;

    /**
     * {@code lookAhead}: look ahead over each group of slots, as the worker does; {@code oneByOne}: process the slots
     * one after another; {@code fillOnly}: only write the inputs into the slots; {@code lookAheadOnly}: write them and
     * look ahead, without processing (what the look-ahead pass costs).
     */
    @Param({ "lookAhead", "oneByOne", "fillOnly", "lookAheadOnly" })
    String mode;

    private static final byte[] KEY_PREFIX = "key-".getBytes(StandardCharsets.US_ASCII);
    private final EventSlot[] slots = new EventSlot[BATCH];
    private int[] order;
    private int next;
    private PipelineProcessor processor;

    @Setup(Level.Trial)
    public void setUp()
    {
        order = new SplittableRandom(42).ints(ORDER_LENGTH, 0, keys).toArray();
        for (int i = 0; i < BATCH; i++)
        {
            slots[i] = new EventSlot();
        }
        processor = new PipelineProcessor(PipelineBuilder.named("bench").source("in")
            .window(range, 1, aggregation, ValueKind.LONG).sink("out").build());
        // Every key seen once, so that the run measures keys with state, not their first elements.
        for (int i = 0; i < keys; i++)
        {
            fill(slots[0], i, i);
            processor.process(slots[0]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batch()
    {
        final EventSlot[] slots = this.slots;
        final int[] order = this.order;
        int n = next;
        for (final EventSlot slot : slots)
        {
            fill(slot, order[n & (ORDER_LENGTH - 1)], n++);
        }
        next = n;
        int outputs = 0;
        if ("fillOnly".equals(mode))
        {
            return outputs;
        }
        final PipelineProcessor processor = this.processor;
        final boolean lookAhead = mode.startsWith("lookAhead") && processor.looksAhead();
        for (int from = 0; from < BATCH; from += ElementWindows.PREFETCH_GROUP)
        {
            final int to = from + ElementWindows.PREFETCH_GROUP;
            if (lookAhead)
            {
                for (int i = from; i < to; i++)
                {
                    processor.lookAhead(slots[i]);
                }
                processor.prefetch();
            }
            if ("lookAheadOnly".equals(mode))
            {
                continue;
            }
            for (int i = from; i < to; i++)
            {
                processor.process(slots[i]);
                outputs += processor.outputs().size();
            }
        }
        return outputs;
    }

    /** Input {@code n}: key {@code "key-<key>"}, a value of 0 to 999. */
    private static void fill(final EventSlot slot, final int key, final int n)
    {
        slot.input("in", 0, n, n);
        final ByteSlice keyBytes = slot.key();
        keyBytes.clear();
        keyBytes.append(KEY_PREFIX, 0, KEY_PREFIX.length);
        AsciiNumbers.appendLong(keyBytes, key);
        final ByteSlice valueBytes = slot.input();
        valueBytes.clear();
        AsciiNumbers.appendLong(valueBytes, (key * 37 + n) % 1000);
    }
}
