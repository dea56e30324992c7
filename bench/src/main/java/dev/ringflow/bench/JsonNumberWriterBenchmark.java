package dev.ringflow.bench;

import dev.ringflow.engine.json.JsonNumberWriter;
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
 * Nanoseconds and bytes allocated per double written as JSON text into a byte buffer: {@link JsonNumberWriter}
 * beside what it replaces, {@code Double.toString(x).getBytes(US_ASCII)} copied into the same buffer. Each call
 * writes {@value #BATCH} values one after another, as a sink writes a batch of records.
 * <pre>
 * java -jar bench/target/benchmarks.jar JsonNumberWriterBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JsonNumberWriterBenchmark
{
    /** Values per call: one per call would mostly measure the harness. */
    static final int BATCH = 1024;
    private static final int VALUES = 1 << 14;

    /**
     * What the doubles look like: {@code prices} (two decimals, 0.01 to 100,000), {@code measurements} (results of
     * arithmetic, 15 to 17 digits), {@code counts} (integers below 10^9), {@code mixed} (those three, values from
     * random bits over every exponent, and zeros, in equal shares).
     */
    @Param({ "mixed", "prices", "measurements", "counts" })
    String values;

    private double[] doubles;
    private byte[] buffer;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        doubles = new double[VALUES];
        for (int i = 0; i < VALUES; i++)
        {
            doubles[i] = sample(random, "mixed".equals(values) ? random.nextInt(5) : kind(values));
        }
        buffer = new byte[BATCH * JsonNumberWriter.MAX_LENGTH];
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int jsonNumberWriter()
    {
        final double[] doubles = this.doubles;
        final byte[] buffer = this.buffer;
        int next = this.next;
        int position = 0;
        for (int i = 0; i < BATCH; i++)
        {
            position += JsonNumberWriter.write(doubles[next++ & (VALUES - 1)], buffer, position);
        }
        this.next = next;
        return position;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int doubleToStringBytes()
    {
        final double[] doubles = this.doubles;
        final byte[] buffer = this.buffer;
        int next = this.next;
        int position = 0;
        for (int i = 0; i < BATCH; i++)
        {
            final byte[] text = Double.toString(doubles[next++ & (VALUES - 1)]).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, buffer, position, text.length);
            position += text.length;
        }
        this.next = next;
        return position;
    }

    private static int kind(final String values)
    {
        switch (values)
        {
            case "prices":
                return 0;
            case "measurements":
                return 1;
            case "counts":
                return 2;
            default:
                throw new IllegalArgumentException(values);
        }
    }

    private static double sample(final SplittableRandom random, final int kind)
    {
        switch (kind)
        {
            case 0:
                return random.nextLong(1, 10_000_000) / 100.0;
            case 1:
                return random.nextDouble() * 1000 - 500;
            case 2:
                return random.nextInt(1_000_000_000);
            case 3:
                while (true)
                {
                    final double value = Double.longBitsToDouble(random.nextLong());
                    if (Double.isFinite(value))
                    {
                        return value;
                    }
                }
            default:
                return 0.0;
        }
    }
}
