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
 * Nanoseconds per event of one worker running {@code examples/card-features.yaml} (filter, set, drop, key-by, two
 * feature windows, route, JSON output) on card transactions over {@code cards} cards, in event-time order (the
 * record timestamp, 25 ms apart). Events per second = 1e9 / ns. {@code -p tasks=N} runs the first N tasks only
 * (with N = 0 the record passes through without being read), so the differences give each task's cost.
 * <pre>
 * java -jar bench/target/benchmarks.jar CardFeaturesBenchmark -prof gc
 * java -jar bench/target/benchmarks.jar CardFeaturesBenchmark -p cards=1000 -p tasks=0,1,2,3,4,5,6
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@State(Scope.Thread)
public class CardFeaturesBenchmark
{
    private static final int EVENTS = 1 << 16;

    @Param({ "10000" })
    int cards;

    /** How many of the pipeline's tasks run, from the first: 6 is the whole pipeline; fewer show each task's cost. */
    @Param({ "6" })
    int tasks;

    private PipelineProcessor processor;
    private byte[][] values;
    private final EventSlot slot = new EventSlot();
    private long sequence;

    @Setup
    public void setUp()
    {
        final PipelineSpec spec = PipelineFile.parse(String.join("\n",
            "name: card-features",
            "source: {topics: [in], format: json}",
            "tasks:",
            "  - type: filter",
            "    where: amount > 0 and country is not null",
            "  - set: {amount_eur: \"amount * fx\", big: \"amount * fx > 1000\"}",
            "  - drop: [fx]",
            "  - key-by: card",
            "  - type: features",
            "    value-field: amount_eur",
            "    windows:",
            "      - {name: amt_5, range: 5, aggregations: [count, mean, max]}",
            "      - {name: amt_1h, range-ms: 3600000, aggregations: [count, sum, mean]}",
            "  - {type: route, when: big, topic: review, continue: true}",
            "sink: {topic: out}",
            ""), "card-features.yaml", "card-features");
        processor = new PipelineProcessor(PipelinePrefix.firstTasks(spec, tasks));
        final SplittableRandom random = new SplittableRandom(7);
        values = new byte[EVENTS][];
        for (int i = 0; i < EVENTS; i++)
        {
            values[i] = ("{\"card\":\"4111-" + random.nextInt(cards) + "\",\"amount\":" +
                random.nextInt(200_000) / 100.0 + ",\"fx\":1.08,\"country\":\"" +
                (random.nextBoolean() ? "DE" : "FR") + "\",\"merchant\":{\"mcc\":" + random.nextInt(9999) + "}}")
                .getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public int cardFeatures()
    {
        int outputs = 0;
        for (int i = 0; i < 1024; i++)
        {
            final long n = sequence++;
            final byte[] value = values[(int)(n & (EVENTS - 1))];
            // Event time (the record timestamp) keeps rising across rounds of the same values, as a live stream's.
            slot.input("in", 0, n, 1_733_300_000_000L + 25 * n, null, value);
            processor.process(slot);
            outputs += processor.outputs().size();
        }
        return outputs;
    }
}
