package dev.ringflow.bench.journal;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.io.journal.ChronicleJournal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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
 * The journal's own ceiling: one thread appending the engine's journal records (a sliding-sum input: topic,
 * partition, offset, timestamp, a 7-byte key and a 3-byte value) to a Chronicle Queue on disk, one Chronicle
 * document per record (the bare appender) or per group of 256 (as the engine writes under load). Throughput mode
 * gives appends per second; sample mode gives the latency percentiles of one append.
 * <pre>
 * java -jar bench/target/benchmarks.jar JournalAppendBenchmark -prof gc
 * </pre>
 */
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = { ChronicleFlags.EXPORT_NIO, ChronicleFlags.EXPORT_REF, ChronicleFlags.EXPORT_MISC,
    ChronicleFlags.OPEN_REFLECT, ChronicleFlags.OPEN_NIO, ChronicleFlags.NO_ANALYTICS, ChronicleFlags.NO_BANNER })
@State(Scope.Benchmark)
public class JournalAppendBenchmark
{
    private static final int KEYS = 1_000;

    private Path dir;
    private ChronicleJournal journal;
    private final EventSlot slot = new EventSlot();
    private final byte[][] keys = new byte[KEYS][];
    private final byte[] value = "123".getBytes(StandardCharsets.US_ASCII);
    private long offset;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("ringflow-bench-journal");
        journal = ChronicleJournal.open(new JournalSpec(true, dir.toString(), JournalSpec.RollCycle.HOURLY));
        for (int i = 0; i < KEYS; i++)
        {
            keys[i] = String.format("key-%03d", i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        journal.close();
        ChronicleFlags.delete(dir);
    }

    @Benchmark
    @BenchmarkMode({ Mode.Throughput, Mode.SampleTime })
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long append()
    {
        final long o = offset++;
        slot.input("my-topic", (int)(o % 3), o, o, keys[(int)(o % KEYS)], value);
        journal.append(slot);
        return journal.flush();
    }

    /** The same records in groups of 256 per Chronicle document, as the engine's journal writes them under load. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long appendGrouped()
    {
        final long o = offset++;
        slot.input("my-topic", (int)(o % 3), o, o, keys[(int)(o % KEYS)], value);
        journal.append(slot);
        return (o & 255) == 255 ? journal.flush() : o;
    }
}
