package dev.ringflow.bench.pipeline;

import dev.ringflow.bench.journal.ChronicleFlags;
import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.EventPublisher;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.EngineSpec;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.io.journal.ChronicleJournal;
import dev.ringflow.windows.Aggregation;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Events per second through the whole in-memory engine on the seed sliding-sum pipeline (sum of the last 5
 * values of each of 1,000 keys, by default; {@link #keys} and {@link #range} change that): source thread, ring,
 * worker (decode, window, format), sink thread. Each invocation releases {@value #EVENTS} events to the source
 * and waits until the sink has seen their outputs.
 * The source publishes preallocated key and value bytes; the sink only counts. With {@code journal=on} every
 * input is also appended to a Chronicle Queue journal on its own thread, and outputs wait for it, as in the daemon
 * (compare with {@code JournalAppendBenchmark}, the journal's own ceiling, in the same run).
 * <pre>
 * java -jar bench/target/benchmarks.jar "EngineThroughputBenchmark|JournalAppendBenchmark.append" -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = { ChronicleFlags.EXPORT_NIO, ChronicleFlags.EXPORT_REF, ChronicleFlags.EXPORT_MISC,
    ChronicleFlags.OPEN_REFLECT, ChronicleFlags.OPEN_NIO, ChronicleFlags.NO_ANALYTICS, ChronicleFlags.NO_BANNER })
@State(Scope.Benchmark)
public class EngineThroughputBenchmark
{
    static final int EVENTS = 1 << 20;

    @Param({ "BLOCKING", "PHASED", "YIELDING" })
    EngineSpec.WaitStrategyKind waitStrategy;

    /**
     * Ring slots: the default, whose slots stay in the CPU caches. {@code -p ringCapacity=65536} shows what a large
     * ring costs (2-3x slower); not run by default, to keep the short suite under 10 minutes.
     */
    @Param({ "4096" })
    int ringCapacity;

    @Param({ "off", "on" })
    String journal;

    /**
     * {@code unpinned}, or {@code source:worker} CPUs to pin those two threads to (e.g. {@code -p pinning=0:1}; the
     * journal thread, when on, stays unpinned).
     */
    @Param({ "unpinned" })
    String pinning;

    /**
     * Keys, drawn in turn ({@code 1000}, the default) or at random ({@code 100000r}: an {@code r} suffix). With
     * {@code -p keys=100000r -p range=100} the windows' state (80 MB) is far beyond the caches and the worker's look
     * ahead over each batch is what keeps it fast.
     */
    @Param({ "1000" })
    String keys;

    /** The sliding window's range in elements (sum of the last {@code range} values, every element). */
    @Param({ "5" })
    int range;

    private Path journalDir;
    private Engine engine;
    private QuotaSource source;
    private CountingSink sink;
    private long released;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final PipelineBuilder builder = PipelineBuilder.named("bench").source("in")
            .window(range, 1, Aggregation.SUM, ValueKind.LONG).sink("out").waitStrategy(waitStrategy)
            .ringCapacity(ringCapacity);
        if (!"unpinned".equals(pinning))
        {
            final String[] cpus = pinning.split(":");
            builder.cpu("source", cpus[0]).cpu("worker", cpus[1]);
        }
        final PipelineSpec spec = builder.build();
        final boolean randomOrder = keys.endsWith("r");
        source = new QuotaSource(Integer.parseInt(randomOrder ? keys.substring(0, keys.length() - 1) : keys),
            randomOrder);
        sink = new CountingSink();
        if ("on".equals(journal))
        {
            journalDir = Files.createTempDirectory("ringflow-bench-engine-journal");
            engine = Engine.start(spec, source, sink, ChronicleJournal.open(
                new JournalSpec(true, journalDir.toString(), JournalSpec.RollCycle.HOURLY)));
        }
        else
        {
            engine = Engine.start(spec, source, sink);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        engine.close();
        if (null != journalDir)
        {
            ChronicleFlags.delete(journalDir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long seedSlidingSum()
    {
        released += EVENTS;
        source.quota.set(released);
        while (sink.outputs.get() < released)
        {
            LockSupport.parkNanos(20_000);
        }
        return released;
    }

    /** Publishes preallocated records, in ring-sized batches, up to the quota the benchmark releases. */
    static final class QuotaSource extends BenchSource
    {
        final AtomicLong quota = new AtomicLong();
        private long published;

        QuotaSource(final int keyCount, final boolean randomOrder)
        {
            super(keyCount, randomOrder);
        }

        @Override
        public int poll(final EventPublisher publisher)
        {
            final long limit = quota.get();
            int count = 0;
            while (published < limit && count < 1024)
            {
                final EventSlot slot = publisher.tryClaim();
                if (null == slot)
                {
                    break;
                }
                fill(slot, published);
                published++;
                count++;
            }
            publisher.publish();
            if (count == 0)
            {
                // Nothing released, or the ring is full: give the core to the worker and the sink (2 cores).
                LockSupport.parkNanos(10_000);
            }
            return count;
        }
    }

    /** Counts outputs; nothing else. */
    public static final class CountingSink extends OutputCountingSink
    {
        @Override
        public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
            final String reason, final EventSlot source)
        {
            if (kind == OutputList.OUTPUT)
            {
                count++;
            }
        }
    }
}
