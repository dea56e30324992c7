package dev.ringflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.ScoreTaskSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/fraud-scoring.yaml as shipped, run in memory on the transaction generator's stream that the committed
 * reference was made from (seed 7, its first 3,000 transactions): the features it computes are the ones the training
 * script computed, and its scores are Python XGBoost's predictions, within 1e-6, with the model swapped half way.
 */
class FraudScoringExampleTest
{
    static final Path EXAMPLE = SeedPipelinesTest.EXAMPLES.resolve("fraud-scoring.yaml");
    static final Path MODELS = SeedPipelinesTest.EXAMPLES.resolve("models");
    private static final long REFERENCE_SEED = 7;
    private static final int REFERENCE_RECORDS = 3000;
    private static final double ALERT_THRESHOLD = 0.8;
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void shouldComputeTheTrainingFeaturesAndScoreLikePythonXgboostBeforeAndAfterASwap() throws Exception
    {
        final PipelineSpec spec = PipelineFile.load(EXAMPLE);
        final ScoreTaskSpec score = (ScoreTaskSpec)spec.tasks().stream()
            .filter(task -> task instanceof ScoreTaskSpec).findFirst().orElseThrow();
        final List<String> features = score.inputFields();
        final Map<String, ReferenceRow> reference = readReference(features);
        final byte[] v2Bytes = Files.readAllBytes(MODELS.resolve("fraud-xgb-v2.json"));
        final Model v2 = ModelLoader.load(v2Bytes, "fraud-xgb-v2.json", ModelLimits.defaults());

        final PipelineProcessor processor = new PipelineProcessor(spec);
        final TransactionGenerator generator = new TransactionGenerator(REFERENCE_SEED, TransactionGenerator.DEFAULT_CARDS);
        final EventSlot slot = new EventSlot();
        int compared = 0;
        int comparedAfterSwap = 0;
        int alerts = 0;
        for (int i = 0; i < REFERENCE_RECORDS; i++)
        {
            final boolean swapped = i >= REFERENCE_RECORDS / 2;
            if (i == REFERENCE_RECORDS / 2)
            {
                processor.swapModel(score.name(), v2, v2Bytes);
            }
            final TransactionGenerator.Transaction transaction = generator.next();
            slot.input("card-transactions", 0, i, transaction.timeMs(), transaction.card().getBytes(StandardCharsets.UTF_8),
                transaction.toJson().getBytes(StandardCharsets.UTF_8));
            processor.process(slot);
            final OutputList outputs = processor.outputs();
            final String at = "transaction " + i + " " + transaction.toJson();
            assertThat(outputs.errorReason()).as(at).isNull();
            assertThat(outputs.count(OutputList.OUTPUT)).as(at).isEqualTo(1);
            final JsonNode out = JACKSON.readTree(outputs.value(outputIndex(outputs, OutputList.OUTPUT)).toUtf8String());
            final double fraudScore = out.get("fraud_score").doubleValue();
            final boolean alert = fraudScore > ALERT_THRESHOLD;
            assertThat(outputs.count(OutputList.ROUTED)).as(at).isEqualTo(alert ? 1 : 0);
            if (alert)
            {
                alerts++;
                final int routed = outputIndex(outputs, OutputList.ROUTED);
                assertThat(outputs.reason(routed)).isEqualTo("fraud-alerts");
                assertThat(JACKSON.readTree(outputs.value(routed).toUtf8String())).isEqualTo(out);
            }
            assertThat(out.get("fraud_score_model_version").textValue()).as(at)
                .isEqualTo(swapped ? v2.version() : score.loaded().version());
            assertThat(out.get("lr_score_model_version").textValue()).as(at).startsWith("fraud_lr@");
            assertThat(out.get("lr_score").doubleValue()).as(at).isBetween(0.0, 1.0);

            final ReferenceRow row = reference.get(transaction.card() + "@" + transaction.timeMs());
            if (null == row)
            {
                continue;
            }
            assertThat(transaction.fraud()).as(at).isEqualTo(row.fraud);
            for (int f = 0; f < features.size(); f++)
            {
                final JsonNode value = out.get(features.get(f));
                final double actual = null == value || value.isNull() ? Double.NaN : value.doubleValue();
                // XGBoost reads features as float32: equal floats are the same input to the trees.
                assertThat(Float.valueOf((float)actual)).as(at + " feature " + features.get(f))
                    .isEqualTo(Float.valueOf((float)row.features[f]));
            }
            assertThat(fraudScore).as(at).isCloseTo(swapped ? row.v2 : row.v1, org.assertj.core.data.Offset.offset(1e-6));
            compared++;
            comparedAfterSwap += swapped ? 1 : 0;
        }
        assertThat(compared).isEqualTo(reference.size());
        assertThat(comparedAfterSwap).isGreaterThan(100);
        assertThat(alerts).isGreaterThan(20);
    }

    @Test
    void shouldScoreTheReferenceRowsLikePythonXgboostFromTheCommittedModels() throws Exception
    {
        final Model v1 = ModelLoader.load(MODELS.resolve("fraud-xgb-v1.json"), ModelLimits.defaults());
        final Model v2 = ModelLoader.load(MODELS.resolve("fraud-xgb-v2.json"), ModelLimits.defaults());
        assertThat(v1.version()).isNotEqualTo(v2.version());
        final Map<String, ReferenceRow> reference = readReference(v1.featureNames());
        assertThat(reference).hasSizeGreaterThan(200);
        for (final Map.Entry<String, ReferenceRow> entry : reference.entrySet())
        {
            final ReferenceRow row = entry.getValue();
            assertThat(v1.score(row.features)).as(entry.getKey()).isCloseTo(row.v1, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(v2.score(row.features)).as(entry.getKey()).isCloseTo(row.v2, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void shouldRefuseTheModelWhenItsFileClaimsAnXgboostVersionTheEvaluatorWasNotCheckedAgainst() throws Exception
    {
        final String text = Files.readString(MODELS.resolve("fraud-xgb-v1.json"));
        assertThat(text).contains("\"version\":[1,7,4]");
        final byte[] other = text.replace("\"version\":[1,7,4]", "\"version\":[2,0,3]").getBytes(StandardCharsets.UTF_8);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> ModelLoader.load(other, "fraud-xgb-v1.json", ModelLimits.defaults()))
            .isInstanceOf(dev.ringflow.models.score.ModelException.class)
            .hasMessageContaining("written by XGBoost 2.0.3");
    }

    private static int outputIndex(final OutputList outputs, final int kind)
    {
        for (int i = 0; i < outputs.size(); i++)
        {
            if (outputs.kind(i) == kind)
            {
                return i;
            }
        }
        throw new AssertionError("no output of kind " + kind);
    }

    /** fraud-reference.csv by {@code card@ts}: the features in the model's order and both models' predictions. */
    private static Map<String, ReferenceRow> readReference(final List<String> features) throws Exception
    {
        final List<String> lines = Files.readAllLines(MODELS.resolve("fraud-reference.csv"));
        final List<String> header = List.of(lines.get(0).split(",", -1));
        assertThat(header.subList(2, 2 + features.size())).isEqualTo(features);
        final Map<String, ReferenceRow> rows = new HashMap<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] cells = line.split(",", -1);
            final double[] values = new double[features.size()];
            for (int f = 0; f < values.length; f++)
            {
                values[f] = cells[2 + f].isEmpty() ? Double.NaN : Double.parseDouble(cells[2 + f]);
            }
            final int after = 2 + features.size();
            rows.put(cells[0] + "@" + cells[1], new ReferenceRow(values, "1".equals(cells[after]),
                Double.parseDouble(cells[after + 1]), Double.parseDouble(cells[after + 2])));
        }
        return rows;
    }

    private record ReferenceRow(double[] features, boolean fraud, double v1, double v2)
    {
    }
}
