package dev.ringflow.bench.pipeline;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
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

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per event of one worker running a {@code learn} task over 8 features (half the events labelled,
 * some features missing): JSON decode, score, SGD step, {@code score} and {@code model_version} written into the
 * JSON output. {@code baseline} runs the same events through a pipeline whose only task adds a constant field
 * ({@code set}), so the difference is the learning. Events per second = 1e9 / ns.
 * <pre>
 * java -jar bench/target/benchmarks.jar LearnStageBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@State(Scope.Thread)
public class LearnStageBenchmark
{
    private static final int EVENTS = 1 << 14;
    private static final int FEATURES = 8;

    /** Per key over this many cards (0: one model for the pipeline), with or without AdaGrad. */
    @Param({ "0", "10000" })
    int cards;

    @Param({ "false", "true" })
    boolean adagrad;

    private PipelineProcessor learn;
    private PipelineProcessor baseline;
    private byte[][] values;
    private final EventSlot slot = new EventSlot();
    private long sequence;

    @Setup
    public void setUp()
    {
        final StringBuilder features = new StringBuilder();
        for (int j = 0; j < FEATURES; j++)
        {
            features.append(j == 0 ? "" : ", ").append("f").append(j);
        }
        learn = new PipelineProcessor(pipeline(String.join("\n",
            "  - type: learn",
            "    features: [" + features + "]",
            "    label-field: fraud",
            "    learning-rate: 0.05",
            "    l2: 0.0001",
            "    adagrad: " + adagrad,
            "    per-key: " + (cards > 0))));
        baseline = new PipelineProcessor(pipeline("  - set: {score: \"0.5\"}"));
        final SplittableRandom random = new SplittableRandom(7);
        values = new byte[EVENTS][];
        for (int i = 0; i < EVENTS; i++)
        {
            final StringBuilder json = new StringBuilder("{\"card\":\"4111-" + random.nextInt(Math.max(1, cards)) +
                "\"");
            for (int j = 0; j < FEATURES; j++)
            {
                if (random.nextInt(10) != 0)
                {
                    json.append(",\"f").append(j).append("\":").append(random.nextInt(10_000) / 100.0);
                }
            }
            if (random.nextBoolean())
            {
                json.append(",\"fraud\":").append(random.nextInt(20) == 0 ? 1 : 0);
            }
            values[i] = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static PipelineSpec pipeline(final String task)
    {
        return PipelineFile.parse(String.join("\n",
            "name: learn",
            "source: {topics: [in], format: json, key-field: card}",
            "tasks:",
            task,
            "sink: {topic: out}",
            ""), "learn.yaml", "learn");
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public int learn()
    {
        return run(learn);
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public int baseline()
    {
        return run(baseline);
    }

    private int run(final PipelineProcessor processor)
    {
        int outputs = 0;
        for (int i = 0; i < 1024; i++)
        {
            final long n = sequence++;
            slot.input("in", 0, n, n, null, values[(int)(n & (EVENTS - 1))]);
            processor.process(slot);
            outputs += processor.outputs().size();
        }
        return outputs;
    }
}
