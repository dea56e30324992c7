package dev.ringflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.PipelineValidationException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pipeline changed while it runs: the filter's threshold changes and a feature window is added between two halves
 * of a stream. Every output is checked against a naive recomputation: the first half by the old tasks, the second by
 * the new, the unchanged feature window keeping each card's history across the switch and the added one starting
 * empty. Changes that cannot apply are refused on the caller's thread and the engine runs on unchanged.
 */
@Timeout(120)
class PipelineChangeTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 4_000;
    private static final int CARDS = 37;

    /** Records are keyed by card (so that they can be sharded over workers); the features use that key. */
    private static String pipeline(final int workers, final boolean changed)
    {
        return "name: cards\n" +
            "source: {topics: [in], format: json}\n" +
            "tasks:\n" +
            "  - type: features\n" +
            "    value-field: amount\n" +
            "    windows: [{name: amt_3, range: 3, aggregations: [sum, count]}]\n" +
            (changed ?
                "  - type: features\n" +
                "    value-field: amount\n" +
                "    windows: [{name: amt_5, range: 5, aggregations: [sum]}]\n" : "") +
            "  - type: filter\n" +
            "    where: amount > " + (changed ? 50 : 100) + "\n" +
            "sink: {topic: out}\n" +
            "engine: {workers: " + workers + "}\n";
    }

    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 2})
    void shouldSwitchTasksBetweenTwoEventsKeepingTheStateOfUnchangedOnes(final int workers) throws Exception
    {
        final long seed = TestSeeds.seed("PipelineChangeTest");
        final Random random = new Random(seed);
        final String[] cards = new String[EVENTS];
        final int[] amounts = new int[EVENTS];
        for (int i = 0; i < EVENTS; i++)
        {
            cards[i] = "c" + random.nextInt(CARDS);
            amounts[i] = random.nextInt(201);
        }
        final int half = EVENTS / 2;
        final List<String> expected = oracle(cards, amounts, half);
        final long expectedFirstHalf = expected.stream().filter(line -> line.startsWith("0 ")).count();

        final PipelineSpec spec = PipelineFile.parse(pipeline(workers, false), "cards.yaml", "cards");
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        final Engine engine = Engine.start(spec, source, sink);
        try
        {
            for (int i = 0; i < half; i++)
            {
                source.offer(EngineTest.record(i, cards[i], event(cards[i], amounts[i])));
            }
            EngineTest.awaitUntil(() -> engine.counters().eventsIn() == half &&
                sink.outputs().size() == expectedFirstHalf);

            final String report = engine.applyPipeline(new PipelineChange(pipeline(workers, true), "cards-v2.yaml",
                "a test", PipelinePaths.NONE)).get(30, TimeUnit.SECONDS);
            assertThat(report)
                .contains("tasks[0] (features) is unchanged: it keeps its state")
                .contains("tasks[1] (features) is new or changed: its state starts empty");

            for (int i = half; i < EVENTS; i++)
            {
                source.offer(EngineTest.record(i, cards[i], event(cards[i], amounts[i])));
            }
            EngineTest.awaitUntil(() -> sink.outputs().size() == expected.size());
        }
        finally
        {
            engine.close();
        }
        assertThat(engine.hasFailed()).as(String.valueOf(engine.failure())).isFalse();
        assertThat(sink.deadLetters()).isEmpty();
        // Workers interleave keys, so compare per card: each card's outputs are in its input order.
        assertThat(byCard(actual(sink.outputs()))).as("seed %d", seed).isEqualTo(byCard(expected));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"source", "syntax"})
    void shouldRefuseAChangeThatCannotApplyAndRunOn(final String problem) throws Exception
    {
        final PipelineSpec spec = PipelineFile.parse(pipeline(1, false), "cards.yaml", "cards");
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        final Engine engine = Engine.start(spec, source, sink);
        try
        {
            final String bad = "source".equals(problem) ?
                pipeline(1, true).replace("topics: [in]", "topics: [other]") :
                pipeline(1, true).replace("amount > 50", "amount > \"x\"");
            assertThatThrownBy(() -> engine.applyPipeline(new PipelineChange(bad, "cards-v2.yaml", "a test",
                PipelinePaths.NONE)))
                .isInstanceOf(PipelineValidationException.class)
                .hasMessageContaining("cards-v2.yaml")
                .hasMessageContaining("source".equals(problem) ? "the source cannot change at runtime" : "where");

            source.offer(EngineTest.record(0, "c1", event("c1", 150)));
            source.offer(EngineTest.record(1, "c1", event("c1", 70)));
            EngineTest.awaitUntil(() -> engine.counters().eventsIn() == 2);
        }
        finally
        {
            engine.close();
        }
        assertThat(actual(sink.outputs())).as("the old threshold still filters")
            .containsExactly("0 c1 150 amt_3_sum=150.0 amt_3_count=1.0");
    }

    private static String event(final String card, final int amount)
    {
        return "{\"card\":\"" + card + "\",\"amount\":" + amount + "}";
    }

    /** Each output as "half card amount feature=value ...", half 0 or 1 telling which pipeline made it. */
    private static List<String> oracle(final String[] cards, final int[] amounts, final int half)
    {
        final Map<String, ArrayDeque<Integer>> last3 = new HashMap<>();
        final Map<String, ArrayDeque<Integer>> last5 = new HashMap<>();
        final List<String> outputs = new ArrayList<>();
        for (int i = 0; i < cards.length; i++)
        {
            final boolean changed = i >= half;
            final ArrayDeque<Integer> three = push(last3, cards[i], amounts[i], 3);
            final StringBuilder line = new StringBuilder().append(changed ? 1 : 0).append(' ').append(cards[i])
                .append(' ').append(amounts[i])
                .append(" amt_3_sum=").append((double)three.stream().mapToInt(Integer::intValue).sum())
                .append(" amt_3_count=").append((double)three.size());
            if (changed)
            {
                final ArrayDeque<Integer> five = push(last5, cards[i], amounts[i], 5);
                line.append(" amt_5_sum=").append((double)five.stream().mapToInt(Integer::intValue).sum());
            }
            if (amounts[i] > (changed ? 50 : 100))
            {
                outputs.add(line.toString());
            }
        }
        return outputs;
    }

    private static ArrayDeque<Integer> push(final Map<String, ArrayDeque<Integer>> windows, final String card,
        final int amount, final int range)
    {
        final ArrayDeque<Integer> window = windows.computeIfAbsent(card, c -> new ArrayDeque<>());
        window.addLast(amount);
        if (window.size() > range)
        {
            window.removeFirst();
        }
        return window;
    }

    private static List<String> actual(final List<InMemorySink.Output> outputs) throws Exception
    {
        final List<String> lines = new ArrayList<>();
        for (final InMemorySink.Output output : outputs)
        {
            final JsonNode event = JSON.readTree(output.valueText());
            final StringBuilder line = new StringBuilder().append(event.has("amt_5_sum") ? 1 : 0).append(' ')
                .append(event.get("card").asText()).append(' ').append(event.get("amount").asInt())
                .append(" amt_3_sum=").append(event.get("amt_3_sum").asDouble())
                .append(" amt_3_count=").append(event.get("amt_3_count").asDouble());
            if (event.has("amt_5_sum"))
            {
                line.append(" amt_5_sum=").append(event.get("amt_5_sum").asDouble());
            }
            assertThat(output.keyText()).as("the output key is the card").isEqualTo(event.get("card").asText());
            lines.add(line.toString());
        }
        return lines;
    }

    private static Map<String, List<String>> byCard(final List<String> lines)
    {
        final Map<String, List<String>> byCard = new HashMap<>();
        for (final String line : lines)
        {
            byCard.computeIfAbsent(line.split(" ")[1], c -> new ArrayList<>()).add(line);
        }
        return byCard;
    }
}
