package dev.ringflow.engine.stage;

import dev.ringflow.engine.BatchingTestModel;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.ScoreTaskSpec;
import dev.ringflow.engine.pipeline.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A score task whose model scores batches for less per row parks each event at the task, scores the parked events
 * in one call and then runs each through the rest: every output, routed record and dead letter is the one scoring
 * event by event gives, byte for byte and in order, on random events (bad JSON, missing, null and non-numeric
 * fields, out-of-order times) fed in ring batches of random sizes.
 */
public class BatchedScoreTest
{
    private static final Path MODEL = Path.of("..", "models", "src", "test", "resources", "models",
        "xgb17-binary-logistic.json");

    static final String PIPELINE = String.join("\n",
        "name: batched",
        "source: {topics: [in], format: json, timestamp-field: ts}",
        "tasks:",
        "  - {type: filter, where: \"amount >= 0\"}",
        "  - set: {big: \"amount > 800\"}",
        "  - key-by: card",
        "  - type: features",
        "    value-field: amount",
        "    windows:",
        "      - {name: amt_5, range: 5, aggregations: [mean]}",
        "      - {name: txn_1h, range-ms: 3600000, aggregations: [count]}",
        "  - {type: route, when: big, topic: big, continue: true}",
        "  - {type: score, model: fraud.json, max-batch: MAX_BATCH}",
        "  - {type: route, when: \"score > 0.6\", topic: alerts, continue: false}",
        "  - set: {risk: \"score * 100\"}",
        "sink: {topic: out, dead-letter-topic: dead}",
        "");

    @TempDir
    Path dir;

    private final long seed = TestSeeds.seed(getClass().getSimpleName());
    private final Random random = new Random(seed);

    /** The pipeline with {@code max-batch: maxBatch}, its score task's model wrapped to batch up to that. */
    public static PipelineSpec pipeline(final Path dir, final int maxBatch, final BatchingTestModel[] model)
        throws Exception
    {
        return pipeline(dir, maxBatch, model, "");
    }

    /**
     * The same with more top-level YAML (e.g. an engine section) after the sink, and without the key-by task
     * (the records are then keyed by card as they arrive) when {@code more} is not empty: several workers and
     * partition state need the records' own keys.
     */
    public static PipelineSpec pipeline(final Path dir, final int maxBatch, final BatchingTestModel[] model,
        final String more) throws Exception
    {
        Files.copy(MODEL, dir.resolve("fraud.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        final String text = PIPELINE.replace("MAX_BATCH", Integer.toString(maxBatch));
        final Path file = Files.writeString(dir.resolve("batched.yaml"),
            more.isEmpty() ? text : text.replace("  - key-by: card\n", "") + more);
        final PipelineSpec spec = PipelineFile.load(file);
        if (null == model)
        {
            return spec;
        }
        final List<TaskSpec> tasks = new ArrayList<>(spec.tasks());
        for (int i = 0; i < tasks.size(); i++)
        {
            if (tasks.get(i) instanceof ScoreTaskSpec score)
            {
                model[0] = new BatchingTestModel(score.loaded(), 256);
                tasks.set(i, score.withModel(model[0], null));
            }
        }
        return new PipelineSpec(spec.name(), spec.source(), tasks, spec.sink(), spec.kafka(), spec.engine(),
            spec.journal(), spec.state());
    }

    /** A random card transaction, now and then bad input of some kind. */
    public static String randomEvent(final Random random, final int i)
    {
        final int roll = random.nextInt(100);
        if (roll == 0)
        {
            return "not json " + i;
        }
        final String amount = roll < 3 ? "" : roll < 5 ? "\"amount\":\"x\"," : roll < 8 ? "\"amount\":null," :
            String.format(Locale.ROOT, "\"amount\":%s,", random.nextInt(20) == 0 ? -1 :
                random.nextInt(100_000) / 100.0);
        final long ts = 1_000_000L + i * 1_000L - random.nextInt(10) * 60_000L;
        final String risk = random.nextInt(10) == 0 ? "null" : Double.toString(random.nextInt(1000) / 1000.0);
        return String.format(Locale.ROOT, "{\"card\":\"c%d\",%s\"ts\":%d,\"merchant_risk\":%s,\"hour\":%d%s}",
            random.nextInt(20), amount, ts, risk, random.nextInt(24),
            random.nextInt(4) == 0 ? "" : ",\"velocity\":" + random.nextInt(10));
    }

    public static String describe(final OutputList outputs, final int index)
    {
        return outputs.kind(index) + " " + outputs.key(index).toUtf8String() + " " +
            outputs.value(index).toUtf8String() + " " + outputs.reason(index);
    }

    @Test
    void shouldGiveWhatScoringEventByEventGivesWhenEventsAreScoredInBatches() throws Exception
    {
        final int maxBatch = 8;
        final BatchingTestModel[] model = new BatchingTestModel[1];
        final PipelineProcessor oneByOne = new PipelineProcessor(pipeline(dir, maxBatch, null));
        final PipelineProcessor batched = new PipelineProcessor(pipeline(dir, maxBatch, model));
        assertThat(oneByOne.batchSize()).as("XGBoost is scored by Ringflow's own trees, per event").isZero();
        assertThat(batched.batchSize()).isEqualTo(maxBatch);

        final EventSlot single = new EventSlot();
        final EventSlot[] slots = new EventSlot[maxBatch];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new EventSlot();
        }
        final List<String> expected = new ArrayList<>();
        final List<String> actual = new ArrayList<>();
        final int events = 20_000;
        int flushes = 0;
        int processed = 0;
        int i = 0;
        while (i < events)
        {
            // One ring batch of random size: parked events are finished when the batch is full and at its end.
            final int ringBatch = 1 + random.nextInt(20);
            for (int b = 0; b < ringBatch && i < events; b++, i++)
            {
                final byte[] value = randomEvent(random, i).getBytes(StandardCharsets.UTF_8);
                final long ts = 1_000_000L + i;
                single.input("in", i % 3, i, ts, null, value);
                oneByOne.process(single);
                for (int o = 0; o < oneByOne.outputs().size(); o++)
                {
                    expected.add(i + ": " + describe(oneByOne.outputs(), o));
                }

                final EventSlot slot = slots[batched.parked()];
                slot.input("in", i % 3, i, ts, null, value);
                if (0 == batched.parked() && random.nextInt(10) == 0)
                {
                    // What a worker does for a tick: the whole pipeline at once, a batch of one.
                    batched.process(slot);
                    processed++;
                    for (int o = 0; o < batched.outputs().size(); o++)
                    {
                        actual.add(i + ": " + describe(batched.outputs(), o));
                    }
                    continue;
                }
                batched.park(slot);
                if (batched.parked() == batched.batchSize() || b == ringBatch - 1 || i == events - 1)
                {
                    final int first = i - batched.parked() + 1;
                    final int count = batched.parked();
                    batched.scoreParked();
                    for (int p = 0; p < count; p++)
                    {
                        final OutputList outputs = batched.finishParked(p);
                        for (int o = 0; o < outputs.size(); o++)
                        {
                            actual.add((first + p) + ": " + describe(outputs, o));
                        }
                    }
                    assertThat(batched.parked()).isZero();
                    flushes++;
                }
            }
        }
        assertThat(actual).as("seed %d", seed).containsExactlyElementsOf(expected);
        assertThat(expected.stream().filter(line -> line.contains("model_version")).count())
            .as("scored outputs").isGreaterThan(events / 2);
        assertThat(expected.stream().filter(line -> line.contains("\"risk\"")).count()).isGreaterThan(events / 5);
        assertThat(expected.stream().filter(line -> line.contains(" " + OutputList.DEAD_LETTER + " ")).count())
            .isGreaterThan(events / 20);
        assertThat(model[0].singleRows()).as("no event scored on its own").isZero();
        assertThat(model[0].calls()).as("one model call per batch with scored events")
            .isLessThanOrEqualTo(flushes + processed).isGreaterThan(events / maxBatch);
        assertThat(processed).as("events processed whole").isGreaterThan(100);
        assertThat(model[0].largestCall()).isEqualTo(maxBatch);
    }

    @Test
    void shouldNotAllocateInSteadyStateWhileParkingAndFinishingBatches() throws Exception
    {
        final PipelineProcessor batched = new PipelineProcessor(pipeline(dir, 8, new BatchingTestModel[1]));
        // Each event's time is written into its bytes in place, 13 digits wide, so that time goes on.
        final byte[][] values = new byte[1_000][];
        final int[] timeAt = new int[values.length];
        for (int i = 0; i < values.length; i++)
        {
            final String event = randomEvent(random, i).replaceFirst("\"ts\":\\d+", "\"ts\":1000000000000");
            values[i] = event.getBytes(StandardCharsets.UTF_8);
            timeAt[i] = event.indexOf("\"ts\":");
        }
        final EventSlot[] slots = new EventSlot[8];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new EventSlot();
        }
        // Warm-up: every card seen, every buffer grown to its working size, the loop compiled.
        parkAndFinish(batched, slots, values, timeAt, 0, 400_000);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(thread);
        final long measuring = threads.getThreadAllocatedBytes(thread) - before;
        final long start = threads.getThreadAllocatedBytes(thread);
        parkAndFinish(batched, slots, values, timeAt, 400_000, 200_000);
        assertThat(threads.getThreadAllocatedBytes(thread) - start - measuring).as("bytes allocated").isZero();
    }

    /** Parks {@code events} events (values in turn, times ever later) and finishes them in batches of slots. */
    private static void parkAndFinish(final PipelineProcessor processor, final EventSlot[] slots,
        final byte[][] values, final int[] timeAt, final int from, final int events)
    {
        for (int i = from; i < from + events; i++)
        {
            final EventSlot slot = slots[processor.parked()];
            final byte[] value = values[i % values.length];
            final int at = timeAt[i % values.length];
            if (at >= 0)
            {
                long time = 1_000_000_000_000L + i * 1_000L;
                for (int d = at + 5 + 12; d >= at + 5; d--)
                {
                    value[d] = (byte)('0' + time % 10);
                    time /= 10;
                }
            }
            slot.input("in", 0, i, i, null, value);
            processor.park(slot);
            if (processor.parked() == slots.length)
            {
                processor.scoreParked();
                for (int p = 0; p < slots.length; p++)
                {
                    processor.finishParked(p);
                }
            }
        }
    }

    @Test
    void shouldRefuseToProcessAnEventWhileOthersAreParked() throws Exception
    {
        final PipelineProcessor batched = new PipelineProcessor(pipeline(dir, 4, new BatchingTestModel[1]));
        final EventSlot slot = new EventSlot();
        slot.input("in", 0, 0, 0, null, "{\"card\":\"c\",\"amount\":1,\"ts\":5}".getBytes(StandardCharsets.UTF_8));
        batched.park(slot);
        assertThatThrownBy(() -> batched.process(new EventSlot())).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("1 parked events must be finished");
    }

    @Test
    void shouldScoreEventByEventWithMaxBatchOne() throws Exception
    {
        final BatchingTestModel[] model = new BatchingTestModel[1];
        assertThat(new PipelineProcessor(pipeline(dir, 1, model)).batchSize()).isZero();
    }

    @Test
    void shouldRefuseAMaxBatchOutOfRangeWithTheTasksLine()
    {
        assertThatThrownBy(() -> pipeline(dir, 0, null)).hasMessageContaining("batched.yaml:13")
            .hasMessageContaining("max-batch: expected 1 to 1024 events per model call, was 0");
        assertThatThrownBy(() -> pipeline(dir, 5000, null)).hasMessageContaining("was 5000");
    }
}
