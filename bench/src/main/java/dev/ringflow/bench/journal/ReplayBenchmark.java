package dev.ringflow.bench.journal;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.io.journal.ChronicleJournal;
import dev.ringflow.io.journal.JournalReader;
import dev.ringflow.io.journal.JournalSource;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * How fast a journal rebuilds state: {@value #RECORDS} journaled sliding-sum inputs over 1,000 keys replayed
 * through the engine (the recovery and {@code ringflow replay} path: journal reader, ring, worker, window), and,
 * as its ceiling, the same records only read and decoded.
 * <pre>
 * java -jar bench/target/benchmarks.jar ReplayBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = { ChronicleFlags.EXPORT_NIO, ChronicleFlags.EXPORT_REF, ChronicleFlags.EXPORT_MISC,
    ChronicleFlags.OPEN_REFLECT, ChronicleFlags.OPEN_NIO, ChronicleFlags.NO_ANALYTICS, ChronicleFlags.NO_BANNER })
@State(Scope.Benchmark)
public class ReplayBenchmark
{
    static final int RECORDS = 2_000_000;
    private static final int KEYS = 1_000;

    private Path dir;
    private PipelineSpec spec;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("ringflow-bench-replay");
        try (ChronicleJournal journal = ChronicleJournal.open(
            new JournalSpec(true, dir.toString(), JournalSpec.RollCycle.HOURLY)))
        {
            final EventSlot slot = new EventSlot();
            final byte[][] keys = new byte[KEYS][];
            for (int i = 0; i < KEYS; i++)
            {
                keys[i] = String.format("key-%03d", i).getBytes(StandardCharsets.US_ASCII);
            }
            for (int i = 0; i < RECORDS; i++)
            {
                slot.input("my-topic", i % 3, i, i, keys[i % KEYS],
                    Integer.toString(i * 37 % 1000).getBytes(StandardCharsets.US_ASCII));
                journal.append(slot);
                if (i % 256 == 255)
                {
                    // Groups as the engine writes them under load.
                    journal.flush();
                }
            }
            journal.flush();
        }
        spec = PipelineBuilder.named("replay").source("my-topic").window(5, 1, Aggregation.SUM, ValueKind.LONG)
            .sink("out").build().forReplay();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        ChronicleFlags.delete(dir);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long replayThroughEngine() throws InterruptedException
    {
        final JournalSource source = new JournalSource(JournalReader.open(dir), Long.MIN_VALUE, Long.MAX_VALUE);
        final dev.ringflow.bench.pipeline.EngineThroughputBenchmark.CountingSink sink =
            new dev.ringflow.bench.pipeline.EngineThroughputBenchmark.CountingSink();
        final Engine engine = Engine.start(spec, source, sink);
        while (!source.isExhausted() && !engine.awaitTermination(1, TimeUnit.MILLISECONDS))
        {
            // waiting for the source to publish the whole journal
        }
        engine.close();
        if (sink.outputs.get() != RECORDS)
        {
            throw new IllegalStateException("replayed " + sink.outputs.get() + " of " + RECORDS);
        }
        return sink.outputs.get();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long readAndDecodeOnly()
    {
        long sum = 0;
        try (JournalReader reader = JournalReader.open(dir))
        {
            final EventSlot slot = new EventSlot();
            while (reader.next(slot))
            {
                sum += slot.sourceOffset();
            }
        }
        return sum;
    }
}
