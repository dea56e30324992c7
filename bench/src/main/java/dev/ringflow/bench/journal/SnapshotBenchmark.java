package dev.ringflow.bench.journal;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.SnapshotOutput;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * How long a worker pauses to write a snapshot: the seed sliding sum's whole keyed state (key ids and a
 * range-5 count window per key) serialised with a CRC-32 to a file in the page cache, through the same
 * {@link SnapshotOutput} as {@code SnapshotStore} (without its final fsync).
 * <pre>
 * java -jar bench/target/benchmarks.jar SnapshotBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@State(Scope.Benchmark)
public class SnapshotBenchmark
{
    @Param({ "10000", "1000000" })
    int keys;

    private PipelineProcessor processor;
    private Path file;
    private long bytes;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final PipelineSpec spec = PipelineBuilder.named("snapshot").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").noJournal().build();
        processor = new PipelineProcessor(spec);
        final EventSlot slot = new EventSlot();
        final byte[] value = "42".getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 5; round++)
        {
            for (int key = 0; key < keys; key++)
            {
                slot.input("in", 0, key, 0, ("sensor-" + key).getBytes(StandardCharsets.UTF_8), value);
                processor.process(slot);
            }
        }
        file = Files.createTempFile("ringflow-snapshot-bench", ".bin");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        System.out.printf("%nsnapshot of %,d keys: %,d bytes (%.0f bytes per key)%n", keys, bytes,
            (double)bytes / keys);
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long writeSnapshot() throws IOException
    {
        final CRC32 crc = new CRC32();
        try (OutputStream raw = Files.newOutputStream(file))
        {
            final SnapshotOutput out = new SnapshotOutput(raw, crc);
            processor.writeState(out);
            out.flush();
            bytes = out.size();
        }
        return crc.getValue();
    }
}
