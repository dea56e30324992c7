package dev.ringflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A score task's model swapped while the engine runs: every output names the model version that scored it and its
 * score is that model's prediction (computed here from the weights), each key switches once, at the swap, and a
 * model that does not fit the task is refused while the old one goes on. A swapped-in model is part of the task's
 * snapshot state.
 */
@Timeout(60)
class ModelSwapTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 4_000;

    @TempDir
    Path dir;

    private static String linear(final String version, final double bias, final double wAmount, final double wCount)
    {
        return String.format(Locale.ROOT, "{\"format\": \"ringflow-linear\", \"version\": \"%s\", \"link\": " +
            "\"logistic\", \"bias\": %s, \"features\": [\"amount\", \"n\"], \"weights\": [%s, %s]}",
            version, bias, wAmount, wCount);
    }

    private PipelineSpec pipeline(final int workers) throws Exception
    {
        Files.writeString(dir.resolve("fraud.json"), linear("v1", -2.0, 0.01, 0.5));
        final Path file = dir.resolve("cards.yaml");
        Files.writeString(file, "name: cards\n" +
            "source: {topics: [in], format: json}\n" +
            "tasks:\n" +
            "  - {type: score, model: fraud.json, output-field: fraud, watch: true}\n" +
            "sink: {topic: out}\n" +
            "engine: {workers: " + workers + "}\n");
        return PipelineFile.load(file);
    }

    @ParameterizedTest(name = "{0} worker(s)")
    @ValueSource(ints = {1, 2})
    void shouldScoreEveryEventWithTheModelItNames(final int workers) throws Exception
    {
        final long seed = TestSeeds.seed("ModelSwapTest");
        final Random random = new Random(seed);
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        final Engine engine = Engine.start(pipeline(workers), source, sink);
        final Map<String, double[]> weights = Map.of("v1", new double[] { -2.0, 0.01, 0.5 },
            "v2", new double[] { 1.0, -0.02, 0.25 });
        try
        {
            for (int i = 0; i < EVENTS; i++)
            {
                if (i == EVENTS / 2)
                {
                    // The swap goes into the ring where the source is: after every event it has taken in.
                    EngineTest.awaitUntil(() -> engine.counters().eventsIn() == EVENTS / 2);
                    final byte[] bytes = linear("v2", 1.0, -0.02, 0.25).getBytes(StandardCharsets.UTF_8);
                    final Model v2 = ModelLoader.load(bytes, "fraud-v2.json", ModelLimits.defaults());
                    final String report = engine.swapModel(ModelSwap.of("fraud", bytes, "fraud-v2.json", "a test",
                        v2)).get(30, TimeUnit.SECONDS);
                    assertThat(report).contains("score task 'fraud' now scores with fraud-v2.json, version v2");
                }
                source.offer(EngineTest.record(i, "card-" + random.nextInt(50), String.format(Locale.ROOT,
                    "{\"amount\":%d,\"n\":%d}", random.nextInt(1000), random.nextInt(10))));
            }
            EngineTest.awaitUntil(() -> sink.outputs().size() == EVENTS);
        }
        finally
        {
            engine.close();
        }
        assertThat(engine.hasFailed()).as(String.valueOf(engine.failure())).isFalse();
        final Map<String, List<String>> versionsByKey = new HashMap<>();
        for (final InMemorySink.Output output : sink.outputs())
        {
            final JsonNode event = JSON.readTree(output.valueText());
            final String version = event.get("fraud_model_version").asText();
            final double[] w = weights.get(version);
            assertThat(w).as("a known version in %s", event).isNotNull();
            final double margin = w[0] + w[1] * event.get("amount").asDouble() + w[2] * event.get("n").asDouble();
            assertThat(event.get("fraud").asDouble()).as("%s, seed %d", event, seed)
                .isCloseTo(1 / (1 + Math.exp(-margin)), within(1e-12));
            final List<String> versions = versionsByKey.computeIfAbsent(output.keyText(), k -> new ArrayList<>());
            if (versions.isEmpty() || !versions.get(versions.size() - 1).equals(version))
            {
                versions.add(version);
            }
        }
        // Each key's events before the swap have v1, after it v2: one switch, never back.
        assertThat(versionsByKey.values()).allSatisfy(versions ->
            assertThat(versions).isIn(List.of("v1", "v2"), List.of("v1"), List.of("v2")));
        assertThat(sink.outputs().stream().filter(o -> o.valueText().contains("\"v2\"")).count())
            .isEqualTo(EVENTS / 2);
    }

    @Test
    void shouldRefuseAModelThatDoesNotFitAndScoreOnWithTheOldOne() throws Exception
    {
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        final Engine engine = Engine.start(pipeline(1), source, sink);
        try
        {
            final byte[] other = linear("v9", 0, 1, 1).replace("\"n\"", "\"count\"").getBytes(StandardCharsets.UTF_8);
            final Model wrong = ModelLoader.load(other, "other.json", ModelLimits.defaults());
            assertThatThrownBy(() -> engine.swapModel(ModelSwap.of("fraud", other, "other.json", "a test", wrong)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
            final byte[] v2 = linear("v2", 0, 1, 1).getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> engine.swapModel(ModelSwap.of("score", v2, "v2.json", "a test",
                ModelLoader.load(v2, "v2.json", ModelLimits.defaults()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no score task with output field");
            source.offer(EngineTest.record(0, "k", "{\"amount\":1,\"n\":1}"));
            EngineTest.awaitUntil(() -> sink.outputs().size() == 1);
        }
        finally
        {
            engine.close();
        }
        assertThat(sink.outputs().get(0).valueText()).contains("\"fraud_model_version\":\"v1\"");
    }

    @Test
    void shouldScoreAShadowModelBesideTheLiveOneAndCountAgreement() throws Exception
    {
        Files.writeString(dir.resolve("fraud.json"), linear("v1", -2.0, 0.01, 0.5));
        Files.writeString(dir.resolve("candidate.json"), linear("v2", 1.0, -0.02, 0.25));
        final Path file = Files.writeString(dir.resolve("shadow.yaml"), "name: cards\n" +
            "source: {topics: [in], format: json}\n" +
            "tasks:\n" +
            "  - {type: score, model: fraud.json, output-field: fraud, shadow-model: candidate.json}\n" +
            "  - {type: filter, where: \"fraud > 0.5\"}\n" +
            "sink: {topic: out}\n");
        final long seed = TestSeeds.seed("ModelSwapTest shadow");
        final Random random = new Random(seed);
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        final Engine engine = Engine.start(PipelineFile.load(file), source, sink);
        long agreed = 0;
        long kept = 0;
        try
        {
            for (int i = 0; i < 1_000; i++)
            {
                final int amount = random.nextInt(1000);
                final int n = random.nextInt(10);
                final double live = 1 / (1 + Math.exp(-(-2.0 + 0.01 * amount + 0.5 * n)));
                final double shadow = 1 / (1 + Math.exp(-(1.0 - 0.02 * amount + 0.25 * n)));
                agreed += live >= 0.5 == shadow >= 0.5 ? 1 : 0;
                kept += live > 0.5 ? 1 : 0;
                source.offer(EngineTest.record(i, "k", String.format(Locale.ROOT, "{\"amount\":%d,\"n\":%d}",
                    amount, n)));
            }
            EngineTest.awaitUntil(() -> engine.counters().eventsIn() == 1_000);
            final long expectedKept = kept;
            EngineTest.awaitUntil(() -> sink.outputs().size() == expectedKept);
        }
        finally
        {
            engine.close();
        }
        assertThat(sink.outputs()).as("the shadow does not route: only the live score filters").hasSize((int)kept);
        for (final InMemorySink.Output output : sink.outputs())
        {
            final JsonNode event = JSON.readTree(output.valueText());
            final double margin = 1.0 - 0.02 * event.get("amount").asDouble() + 0.25 * event.get("n").asDouble();
            assertThat(event.get("shadow_fraud").asDouble()).isCloseTo(1 / (1 + Math.exp(-margin)), within(1e-12));
            assertThat(event.get("fraud_model_version").asText()).isEqualTo("v1");
        }
        final EngineMetrics.ScoreSummary summary = engine.metrics().scoreTasks().get(0);
        assertThat(summary.name()).isEqualTo("fraud");
        assertThat(summary.version()).isEqualTo("v1");
        assertThat(summary.shadowVersion()).isEqualTo("v2");
        assertThat(summary.scored()).isEqualTo(1_000);
        assertThat(summary.compared()).isEqualTo(1_000);
        assertThat(summary.agreed()).as("seed %d", seed).isEqualTo(agreed);
    }

    @Test
    void shouldKeepASwappedModelInTheSnapshotState() throws Exception
    {
        final PipelineSpec spec = pipeline(1);
        final PipelineProcessor live = new PipelineProcessor(spec);
        final byte[] v2 = linear("v2", 1.0, -0.02, 0.25).getBytes(StandardCharsets.UTF_8);
        live.swapModel("fraud", ModelLoader.load(v2, "fraud-v2.json", ModelLimits.defaults()), v2);
        final ByteArrayOutputStream state = new ByteArrayOutputStream();
        live.writeState(new DataOutputStream(state));

        final PipelineProcessor restored = new PipelineProcessor(spec);
        restored.readState(new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
        final EventSlot slot = new EventSlot();
        slot.input("in", 0, 0, 1_000, "k".getBytes(StandardCharsets.UTF_8),
            "{\"amount\":100,\"n\":2}".getBytes(StandardCharsets.UTF_8));
        restored.process(slot);
        assertThat(new String(restored.outputs().value(0).toByteArray(), StandardCharsets.UTF_8))
            .contains("\"fraud_model_version\":\"v2\"");
    }
}
