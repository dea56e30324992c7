package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.BatchedScoreTest;
import dev.ringflow.engine.stage.PipelineProcessor;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's workers with a score task that scores batches: every input's outputs (results, routed records,
 * dead letters) are what a processor scoring event by event gives, none is held back when input stops (the ring
 * batch's end finishes the parked events), each key's outputs keep their order, and the model is called once per
 * batch rather than once per event. With partition-scoped state the oracle keeps one processor per partition.
 */
@Timeout(120)
class BatchedScoreEngineTest
{
    private static final int EVENTS = 6_000;
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} worker(s), state scope {1}")
    @CsvSource({"1, key", "2, key", "2, partition"})
    void shouldEmitWhatScoringEventByEventGives(final int workers, final String scope) throws Exception
    {
        final long seed = TestSeeds.seed("BatchedScoreEngineTest " + workers + " " + scope);
        final Random random = new Random(seed);
        final String engineYaml = "engine: {workers: " + workers + "}\nstate: {scope: " + scope + "}\n";
        final BatchingTestModel[] model = new BatchingTestModel[1];
        final PipelineSpec batched = BatchedScoreTest.pipeline(dir, 16, model, engineYaml);
        final PipelineSpec oneByOne = BatchedScoreTest.pipeline(dir, 16, null, engineYaml);

        final List<InMemorySource.Record> input = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++)
        {
            final String value = BatchedScoreTest.randomEvent(random, i);
            final int card = value.indexOf("\"card\":\"c");
            final String key = card < 0 ? null : value.substring(card + 8, value.indexOf('"', card + 9) + 1)
                .replace("\"", "");
            input.add(new InMemorySource.Record("in", i % PARTITIONS, i, 1_000L + i,
                null == key ? null : key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
        }

        // The oracle: event by event, one processor (key scope: each card is one worker's) or one per partition.
        final Map<Long, List<String>> expected = new TreeMap<>();
        final Map<Integer, PipelineProcessor> processors = new HashMap<>();
        final EventSlot slot = new EventSlot();
        int expectedCount = 0;
        for (final InMemorySource.Record record : input)
        {
            final PipelineProcessor processor = processors.computeIfAbsent(
                "partition".equals(scope) ? record.partition() : 0, p -> new PipelineProcessor(oneByOne));
            slot.input(record.topic(), record.partition(), record.offset(), record.timestampMs(), record.key(),
                record.value());
            processor.process(slot);
            final List<String> lines = new ArrayList<>();
            for (int o = 0; o < processor.outputs().size(); o++)
            {
                lines.add(BatchedScoreTest.describe(processor.outputs(), o));
            }
            expected.put(record.offset(), lines);
            expectedCount += lines.size();
        }

        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        final Engine engine = Engine.start(batched, source, sink);
        try
        {
            for (final InMemorySource.Record record : input)
            {
                source.offer(record);
            }
            final int total = expectedCount;
            EngineTest.awaitUntil(() -> sink.all().size() >= total);
        }
        finally
        {
            engine.close();
        }
        assertThat(engine.hasFailed()).as(String.valueOf(engine.failure())).isFalse();

        final Map<Long, List<String>> actual = new TreeMap<>();
        final Map<String, Long> lastOffsetByKey = new HashMap<>();
        for (final InMemorySink.Output output : sink.all())
        {
            actual.computeIfAbsent(output.sourceOffset(), o -> new ArrayList<>()).add(output.kind() + " " +
                output.keyText() + " " + output.valueText() + " " + output.reason());
            final String inputKey = null == input.get((int)output.sourceOffset()).key() ? "" :
                new String(input.get((int)output.sourceOffset()).key(), StandardCharsets.UTF_8);
            final Long last = lastOffsetByKey.put(inputKey + "/" + output.sourcePartition(), output.sourceOffset());
            assertThat(null == last || last <= output.sourceOffset()).as("seed %d: a key's outputs in order", seed)
                .isTrue();
        }
        expected.values().removeIf(List::isEmpty);
        assertThat(actual).as("seed %d", seed).isEqualTo(expected);
        assertThat(model[0].singleRows()).as("no event scored on its own").isZero();
        assertThat(model[0].rows()).isGreaterThan(EVENTS / 2);
        assertThat(model[0].calls()).as("fewer model calls than scored events").isLessThan(model[0].rows());
    }
}
