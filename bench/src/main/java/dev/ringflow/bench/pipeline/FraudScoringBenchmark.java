package dev.ringflow.bench.pipeline;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.SourceSpec;
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
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per event of one worker running {@code examples/fraud-scoring.yaml} as it is committed (key-by, set,
 * two feature windows, a z-score, the XGBoost model of {@code examples/models}, online logistic regression, a route,
 * JSON output) on card transactions shaped like {@code ringflow produce --generator transactions}: 500 cards, each
 * with a usual amount, about one transaction a second in event time, 3% labelled fraud. The event time is the record
 * timestamp, set to each event's {@code ts} (the example reads {@code ts} itself: a 13-digit integer read per event
 * that this leaves out), so that it keeps rising as the events repeat. {@code -p tasks=N} runs the
 * first N tasks only, so the differences give each task's cost. Run from the repository root (it reads the example
 * and its model):
 * <pre>
 * java -jar bench/target/benchmarks.jar FraudScoringBenchmark -prof gc
 * java -jar bench/target/benchmarks.jar FraudScoringBenchmark -p tasks=1,2,3,4,5,6,7
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@State(Scope.Thread)
public class FraudScoringBenchmark
{
    private static final int EVENTS = 1 << 16;
    private static final int CARDS = 500;
    private static final String[] COUNTRIES = { "DE", "FR", "GB", "US", "NL" };
    private static final int[] MCC = { 5411, 5812, 5541, 4111, 5311, 5999, 5732, 5944, 4829, 5816 };

    /** How many of the pipeline's tasks run, from the first: 7 is the whole pipeline. */
    @Param({ "7" })
    int tasks;

    private PipelineProcessor processor;
    private byte[][] values;
    /** Each event's {@code ts}, and how far the times move on at each round of the events. */
    private long[] times;
    private long roundMs;
    private final EventSlot slot = new EventSlot();
    private long sequence;

    @Setup
    public void setUp()
    {
        final PipelineSpec file = PipelineFile.load(Path.of("examples", "fraud-scoring.yaml"));
        final SourceSpec source = file.source();
        // Event time from the record timestamp (the same times as ts), so that it keeps rising as the events repeat.
        processor = new PipelineProcessor(PipelinePrefix.firstTasks(new PipelineSpec(file.name(),
            new SourceSpec(source.topics(), source.groupId(), source.startFrom(), source.consumer(), source.format(),
                source.keyField(), null, source.partitionIdleMs()), file.tasks(), file.sink(), file.kafka(),
            file.engine(), file.journal(), file.state()), tasks));
        final SplittableRandom random = new SplittableRandom(7);
        final double[] usual = new double[CARDS];
        final String[] home = new String[CARDS];
        for (int c = 0; c < CARDS; c++)
        {
            usual[c] = 15 * Math.exp(random.nextDouble() * Math.log(10));
            home[c] = COUNTRIES[random.nextInt(COUNTRIES.length)];
        }
        values = new byte[EVENTS][];
        times = new long[EVENTS];
        final long firstMs = 1_733_011_200_000L;
        long timeMs = firstMs;
        for (int i = 0; i < EVENTS; i++)
        {
            final int card = random.nextInt(CARDS);
            final boolean fraud = random.nextInt(100) < 3;
            timeMs += 1 + (long)(-1000 * Math.log(1 - random.nextDouble()));
            final double amount = Math.round(usual[card] * (fraud ? 4 + 8 * random.nextDouble() :
                0.5 + random.nextDouble()) * 100) / 100.0;
            final String country = fraud || random.nextInt(20) == 0 ?
                COUNTRIES[random.nextInt(COUNTRIES.length)] : home[card];
            values[i] = String.format(Locale.ROOT, "{\"card\":\"card-%04d\",\"ts\":%d,\"amount\":%.2f,\"mcc\":%d," +
                "\"country\":\"%s\",\"card_country\":\"%s\",\"is_fraud\":%d}", card, timeMs, amount,
                MCC[random.nextInt(fraud ? MCC.length : 6)], country, home[card], fraud ? 1 : 0)
                .getBytes(StandardCharsets.UTF_8);
            times[i] = timeMs;
        }
        roundMs = timeMs - firstMs + 1_000;
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public int fraudScoring()
    {
        int outputs = 0;
        for (int i = 0; i < 1024; i++)
        {
            final long n = sequence++;
            final int index = (int)(n & (EVENTS - 1));
            slot.input("in", 0, n, times[index] + (n / EVENTS) * roundMs, null, values[index]);
            processor.process(slot);
            outputs += processor.outputs().size();
        }
        return outputs;
    }
}
