package dev.ringflow.engine.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.ScoreTaskSpec;
import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The score task on random JSON events (absent, null and non-numeric features) against the model's own score of the
 * fields read naively with Jackson: an XGBoost model with missing-value branches under the default field names, then
 * a linear model without missing-value handling under {@code output-field: lr}.
 */
class ScoreStageTest
{
    /** The models module's test models (the tests run in the engine module's directory). */
    private static final Path MODELS = Path.of("..", "models", "src", "test", "resources", "models");
    private static final String XGBOOST = MODELS.resolve("xgb17-binary-logistic.json").toString();
    private static final String LINEAR = MODELS.resolve("linear-logistic.json").toString();
    private static final List<String> FEATURES = List.of("amount", "amt_5_mean", "txn_1h_count", "merchant_risk",
        "hour", "distance_km", "card_age_days", "velocity");
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final PipelineSpec PIPELINE = PipelineBuilder.named("score").source("in").jsonInput("card", null)
        .task(ScoreTaskSpec.of(XGBOOST, List.of(), "score"))
        .task(ScoreTaskSpec.of(LINEAR, FEATURES, "lr"))
        .sink("out").build();

    private final long seed = TestSeeds.seed(getClass().getSimpleName());
    private final Random random = new Random(seed);

    @Test
    void shouldScoreEachEventAsTheModelScoresItsFieldsReadNaively() throws Exception
    {
        final Model xgboost = ModelLoader.load(Path.of(XGBOOST), ModelLimits.defaults());
        final Model linear = ModelLoader.load(Path.of(LINEAR), ModelLimits.defaults());
        final PipelineProcessor processor = new PipelineProcessor(PIPELINE);
        final EventSlot slot = new EventSlot();
        int scored = 0;
        int missing = 0;
        int notNumber = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final String value = randomEvent();
            slot.input("in", 0, i, 0, null, value.getBytes(StandardCharsets.UTF_8));
            processor.process(slot);
            final OutputList outputs = processor.outputs();
            final String at = "seed " + seed + " event " + i + " " + value;
            assertThat(outputs.size()).as(at).isEqualTo(1);

            final JsonNode event = JACKSON.readTree(value);
            final double[] row = new double[FEATURES.size()];
            String firstNotNumber = null;
            String firstMissing = null;
            for (int f = 0; f < row.length; f++)
            {
                final JsonNode field = event.get(FEATURES.get(f));
                row[f] = null == field || field.isNull() ? Double.NaN : field.isNumber() ? field.asDouble() : Double.NaN;
                if (null != field && !field.isNull() && !field.isNumber() && null == firstNotNumber)
                {
                    firstNotNumber = FEATURES.get(f);
                }
                if ((null == field || field.isNull()) && null == firstMissing)
                {
                    firstMissing = FEATURES.get(f);
                }
            }
            if (null != firstNotNumber)
            {
                // The XGBoost task reads every feature first; a string is bad input whatever the model.
                assertThat(outputs.kind(0)).as(at).isEqualTo(OutputList.DEAD_LETTER);
                assertThat(outputs.reason(0)).as(at)
                    .isEqualTo("the score feature '" + firstNotNumber + "' is not a number");
                notNumber++;
                continue;
            }
            if (null != firstMissing)
            {
                // The XGBoost task scored it through its default branches; the linear model cannot.
                assertThat(outputs.kind(0)).as(at).isEqualTo(OutputList.DEAD_LETTER);
                assertThat(outputs.reason(0)).as(at).startsWith("the score feature '" + firstMissing + "' is " +
                    "missing or null, and the model linear-logistic.json has no missing-value handling");
                missing++;
                continue;
            }
            assertThat(outputs.kind(0)).as(at).isEqualTo(OutputList.OUTPUT);
            final JsonNode out = JACKSON.readTree(outputs.value(0).toUtf8String());
            assertThat(out.get("score").doubleValue()).as(at).isEqualTo(xgboost.score(row));
            assertThat(out.get("model_version").textValue()).as(at).isEqualTo(xgboost.version());
            assertThat(out.get("lr").doubleValue()).as(at).isEqualTo(linear.score(row));
            assertThat(out.get("lr_model_version").textValue()).as(at).isEqualTo("fraud-lr-1");
            assertThat(out.get("card").textValue()).as(at).isEqualTo(event.get("card").textValue());
            scored++;
        }
        assertThat(scored).isGreaterThan(5_000);
        assertThat(missing).isGreaterThan(2_000);
        assertThat(notNumber).isGreaterThan(500);
    }

    @Test
    void shouldScoreAnEventWithMissingFeaturesThroughTheTreesDefaultBranches() throws Exception
    {
        final Model xgboost = ModelLoader.load(Path.of(XGBOOST), ModelLimits.defaults());
        final PipelineProcessor processor = new PipelineProcessor(PipelineBuilder.named("score").source("in")
            .jsonInput(null, null).task(ScoreTaskSpec.of(XGBOOST, List.of(), "p")).sink("out").build());
        final EventSlot slot = new EventSlot();
        slot.input("in", 0, 0, 0, null, "{\"amount\":12.5,\"hour\":null}".getBytes(StandardCharsets.UTF_8));

        processor.process(slot);

        final double[] row = new double[8];
        java.util.Arrays.fill(row, Double.NaN);
        row[0] = 12.5;
        final JsonNode out = JACKSON.readTree(processor.outputs().value(0).toUtf8String());
        assertThat(out.get("p").doubleValue()).isEqualTo(xgboost.score(row));
        assertThat(out.get("p_model_version").textValue()).isEqualTo(xgboost.version());
    }

    @Test
    void shouldRefuseToBuildAProcessorWhoseModelDoesNotLoad()
    {
        final PipelineSpec missing = PipelineBuilder.named("score").source("in").jsonInput(null, null)
            .task(ScoreTaskSpec.of("no-such-model.json", List.of(), "score")).sink("out").build();
        final PipelineSpec misfit = PipelineBuilder.named("score").source("in").jsonInput(null, null)
            .task(ScoreTaskSpec.of(LINEAR, List.of("amount"), "score")).sink("out").build();

        assertThatThrownBy(() -> new PipelineProcessor(missing)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no-such-model.json does not exist");
        assertThatThrownBy(() -> new PipelineProcessor(misfit)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("the model takes 8 features");
    }

    @Test
    void shouldNotAllocatePerEventInSteadyState()
    {
        final PipelineProcessor processor = new PipelineProcessor(PIPELINE);
        final byte[][] values = new byte[64][];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = randomCompleteEvent().getBytes(StandardCharsets.UTF_8);
        }
        final EventSlot slot = new EventSlot();
        run(processor, slot, values, 200_000);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();

        final long before = threads.getThreadAllocatedBytes(thread);
        run(processor, slot, values, 200_000);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(processor.outputs().count(OutputList.OUTPUT)).isEqualTo(1);
        // Measuring may allocate a few bytes once; one byte per event would be 200 KB.
        assertThat(allocated).as("bytes allocated over 200,000 scored events").isLessThan(1_000);
    }

    private static void run(final PipelineProcessor processor, final EventSlot slot, final byte[][] values,
        final int events)
    {
        for (int i = 0; i < events; i++)
        {
            slot.input("in", 0, i, 0, null, values[i % values.length]);
            processor.process(slot);
        }
    }

    private String randomEvent()
    {
        final StringBuilder json = new StringBuilder("{\"card\":\"c").append(random.nextInt(100)).append('"');
        for (final String feature : FEATURES)
        {
            final int shape = random.nextInt(100);
            if (shape < 4)
            {
                continue;
            }
            json.append(",\"").append(feature).append("\":");
            if (shape < 7)
            {
                json.append("null");
            }
            else if (shape < 8)
            {
                json.append(random.nextBoolean() ? "\"12.5\"" : "true");
            }
            else
            {
                json.append(randomNumber(feature));
            }
        }
        return json.append('}').toString();
    }

    private String randomCompleteEvent()
    {
        final StringBuilder json = new StringBuilder("{\"card\":\"c").append(random.nextInt(100)).append('"');
        for (final String feature : FEATURES)
        {
            json.append(",\"").append(feature).append("\":").append(randomNumber(feature));
        }
        return json.append('}').toString();
    }

    private String randomNumber(final String feature)
    {
        return switch (feature)
        {
            case "txn_1h_count", "hour", "card_age_days" -> Integer.toString(random.nextInt(feature.equals("hour") ?
                24 : 3000));
            case "merchant_risk" -> Double.toString(random.nextDouble());
            case "velocity" -> Double.toString(random.nextGaussian());
            default -> Double.toString(Math.exp(3.5 + 1.2 * random.nextGaussian()));
        };
    }
}
