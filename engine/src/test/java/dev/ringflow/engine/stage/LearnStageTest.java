package dev.ringflow.engine.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.pipeline.LearnTaskSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.models.learn.SgdSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The learn task on random labelled and unlabelled events (missing, null and bad features, bad labels, labels as
 * numbers and booleans) against a naive SGD loop, through a snapshot taken mid-stream: the same scores bit for bit,
 * the same model versions, the same exported model, prequential metrics as a naive recomputation, and the same
 * output bytes as a processor that never stopped.
 */
class LearnStageTest
{
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final int USERS = 7;
    private static final int WINDOW = 300;
    private static final int EVENTS = 8_000;

    private final long seed = TestSeeds.seed(getClass().getSimpleName());

    @ParameterizedTest(name = "per-key {0}, adagrad {1}")
    @CsvSource({ "false, false", "true, true", "true, false" })
    void shouldScoreThenLearnAsTheNaiveLoopDoesThroughASnapshot(final boolean perKey, final boolean adagrad)
        throws Exception
    {
        final String name = perKey ? null : "fraud";
        final LearnTaskSpec task = new LearnTaskSpec(name, List.of("a", "b", "c"), "y", 0.05, 1e-3, adagrad, perKey,
            "p", WINDOW);
        final PipelineSpec pipeline = PipelineBuilder.named("learn").source("in").jsonInput("user", null)
            .task(task).sink("out").build();
        final SgdSpec sgd = new SgdSpec(3).learningRate(0.05).l2(1e-3).adagrad(adagrad).perKey(perKey);
        final NaiveSgd naive = new NaiveSgd(sgd);
        final long[] updates = new long[USERS];
        final List<double[]> prequential = new ArrayList<>();
        final Random random = new Random(seed);
        final PipelineProcessor straight = new PipelineProcessor(pipeline);
        PipelineProcessor restarted = new PipelineProcessor(pipeline);
        final EventSlot slot = new EventSlot();
        int bad = 0;
        int unlabelled = 0;
        for (int i = 0; i < EVENTS; i++)
        {
            if (i == EVENTS / 2)
            {
                restarted = restored(restarted, pipeline);
            }
            final int user = random.nextInt(USERS);
            final double[] x = new double[3];
            final StringBuilder json = new StringBuilder("{\"user\":\"u" + user + "\"");
            final int badShape = random.nextInt(40);
            for (int j = 0; j < 3; j++)
            {
                final int shape = random.nextInt(10);
                final String field = "abc".substring(j, j + 1);
                x[j] = Math.round((user - 3 + 2 * random.nextGaussian()) * 1000) / 1000.0;
                if (shape == 0)
                {
                    x[j] = Double.NaN;
                }
                else if (shape == 1)
                {
                    x[j] = Double.NaN;
                    json.append(",\"").append(field).append("\":null");
                }
                else
                {
                    json.append(",\"").append(field).append("\":").append(x[j]);
                }
            }
            if (badShape == 0)
            {
                json.append(",\"b\":\"x\"");
            }
            // Positives more likely for high users and high a: something to learn.
            final boolean positive = random.nextDouble() < 1 / (1 + Math.exp(-(user - 3 + (Double.isNaN(x[0]) ? 0 :
                x[0])) / 2));
            final int labelShape = random.nextInt(10);
            double label = positive ? 1 : 0;
            switch (labelShape)
            {
                case 0 -> label = Double.NaN;
                case 1 ->
                {
                    label = Double.NaN;
                    json.append(",\"y\":null");
                }
                case 2 -> json.append(",\"y\":").append(positive);
                case 3 -> json.append(",\"y\":").append(badShape == 1 ? "2" : positive ? "1.0" : "0.0");
                default -> json.append(",\"y\":").append(badShape == 1 ? "\"yes\"" : positive ? "1" : "0");
            }
            json.append('}');
            final boolean badLabel = badShape == 1 && labelShape >= 3;
            slot.input("in", 0, i, i, null, json.toString().getBytes(StandardCharsets.UTF_8));
            straight.process(slot);
            restarted.process(slot);
            final OutputList outputs = restarted.outputs();
            final String at = "seed " + seed + " event " + i + " " + json;
            assertThat(bytes(outputs)).as(at).isEqualTo(bytes(straight.outputs()));
            assertThat(outputs.size()).as(at).isEqualTo(1);
            if (badShape == 0 || badLabel)
            {
                assertThat(outputs.kind(0)).as(at).isEqualTo(OutputList.DEAD_LETTER);
                assertThat(outputs.reason(0)).as(at).contains(badShape == 0 ? "'b'" : "'y'");
                bad++;
                continue;
            }
            final int key = perKey ? user : 0;
            final long version = updates[key];
            final double expected;
            if (Double.isNaN(label))
            {
                expected = naive.score(user, x);
                unlabelled++;
            }
            else
            {
                expected = naive.learn(user, x, label);
                prequential.add(new double[] { expected, label });
                updates[key]++;
            }
            final JsonNode out = JACKSON.readTree(outputs.value(0).toUtf8String());
            assertThat(outputs.kind(0)).as(at).isEqualTo(OutputList.OUTPUT);
            assertThat(out.get("p").asDouble()).as(at).isEqualTo(expected);
            assertThat(out.get("p_model_version").asText()).as(at).isEqualTo((perKey ? "learn" : "fraud") + "@" +
                version);
        }
        assertThat(bad).as("bad inputs").isGreaterThan(EVENTS / 50);
        assertThat(unlabelled).as("unlabelled events").isGreaterThan(EVENTS / 10);

        for (int user = 0; user < USERS; user++)
        {
            final LearnedModel model = restarted.learnedModel(perKey ? "0" : "fraud", perKey ? "u" + user : null);
            final JsonNode json = JACKSON.readTree(model.json());
            final List<Double> weights = naive.model(user);
            assertThat(json.get("bias").asDouble()).isEqualTo(weights.get(3));
            for (int j = 0; j < 3; j++)
            {
                assertThat(json.get("weights").get(j).asDouble()).isEqualTo(weights.get(j));
                assertThat(json.get("features").get(j).asText()).isEqualTo("abc".substring(j, j + 1));
            }
            assertThat(model.version()).isEqualTo((perKey ? "learn@" : "fraud@") + updates[perKey ? user : 0]);
        }

        restarted.publishMetrics(0, true);
        final LearnTaskMetrics.Figures figures = restarted.learnMetrics().get(0).read();
        assertThat(figures.updates()).isEqualTo(prequential.size());
        assertThat(figures.window()).isEqualTo(WINDOW);
        final List<double[]> last = prequential.subList(prequential.size() - WINDOW, prequential.size());
        assertThat(figures.logLoss()).isCloseTo(naiveLogLoss(last), within(1e-12));
        assertThat(figures.auc()).isEqualTo(naiveAuc(last));
        assertThat(figures.auc()).as("the model learnt something").isGreaterThan(0.6);
    }

    @ParameterizedTest(name = "per-key {0}")
    @CsvSource({ "false", "true" })
    void shouldRefuseToExportAModelThatIsNotThere(final boolean perKey)
    {
        final PipelineSpec pipeline = PipelineBuilder.named("learn").source("in").jsonInput("user", null)
            .task(new LearnTaskSpec("m", List.of("a"), "y", 0.1, 0, false, perKey, "score", 10))
            .sink("out").build();
        final PipelineProcessor processor = new PipelineProcessor(pipeline);

        assertThatThrownBy(() -> processor.learnedModel("other", null)).hasMessageContaining("0 (m)");
        assertThatThrownBy(() -> processor.learnedModel("m", perKey ? "nobody" : "someone"))
            .hasMessageContaining(perKey ? "no model for key 'nobody'" : "takes no key");
    }

    private static String bytes(final OutputList outputs)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < outputs.size(); i++)
        {
            text.append(outputs.kind(i)).append(' ').append(outputs.reason(i)).append(' ')
                .append(outputs.value(i).toUtf8String()).append('\n');
        }
        return text.toString();
    }

    private static double naiveLogLoss(final List<double[]> events)
    {
        double sum = 0;
        for (final double[] e : events)
        {
            final double p = Math.min(1 - 1e-15, Math.max(1e-15, e[0]));
            sum += e[1] == 1 ? -Math.log(p) : -Math.log(1 - p);
        }
        return sum / events.size();
    }

    /** Every (positive, negative) pair: 1 when the positive scored higher, 1/2 for a tie. */
    private static double naiveAuc(final List<double[]> events)
    {
        double wins = 0;
        long pairs = 0;
        for (final double[] positive : events)
        {
            for (final double[] negative : events)
            {
                if (positive[1] == 1 && negative[1] == 0)
                {
                    pairs++;
                    wins += positive[0] > negative[0] ? 1 : positive[0] == negative[0] ? 0.5 : 0;
                }
            }
        }
        return wins / pairs;
    }

    private static PipelineProcessor restored(final PipelineProcessor processor, final PipelineSpec pipeline)
        throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        processor.writeState(new DataOutputStream(bytes));
        final PipelineProcessor restored = new PipelineProcessor(pipeline);
        restored.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        return restored;
    }
}
