package dev.ringflow.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.ScoreTaskSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pipeline file whose score tasks name ONNX models loads, with this module on the class path, and scores each
 * event as the model scores its fields; an ONNX model that does not fit the task is refused with the task's line.
 */
class OnnxPipelineTest
{
    private static final String PIPELINE = String.join("\n",
        "name: cards",
        "source:",
        "  topics: [in]",
        "  format: json",
        "tasks:",
        "  - type: score",
        "    model: models/lr.onnx",
        "  - type: score",
        "    model: models/mlp.onnx",
        "    features: [amount, hour, merchant_risk, velocity]",
        "    output-field: mlp",
        "sink:",
        "  topic: out",
        "");
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PipelineSpec load(final String text) throws Exception
    {
        Files.createDirectories(dir.resolve("models"));
        Files.copy(OnnxTestModels.DIR.resolve("logistic.onnx"), dir.resolve("models/lr.onnx"), REPLACE_EXISTING);
        Files.copy(OnnxTestModels.DIR.resolve("mlp-probabilities.onnx"), dir.resolve("models/mlp.onnx"), REPLACE_EXISTING);
        final Path file = dir.resolve("cards.yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return PipelineFile.load(file);
    }

    @Test
    void shouldLoadAPipelineWithOnnxModelsAndScoreEachEventAsTheModelsDo() throws Exception
    {
        final PipelineSpec spec = load(PIPELINE);
        final Model lr = ((ScoreTaskSpec)spec.tasks().get(0)).loaded();
        final Model mlp = ((ScoreTaskSpec)spec.tasks().get(1)).loaded();
        assertThat(lr.kind()).isEqualTo(ModelKind.ONNX);
        assertThat(mlp.kind()).isEqualTo(ModelKind.ONNX);

        final PipelineProcessor processor = new PipelineProcessor(spec);
        final EventSlot slot = new EventSlot();
        final OnnxTestModels.Reference reference = OnnxTestModels.Reference.of("logistic.onnx");
        for (int i = 0; i < 50; i++)
        {
            final double[] row = reference.rows()[i];
            final String event = "{\"card\":\"c" + i + "\",\"amount\":" + row[0] + ",\"hour\":" + row[1] +
                ",\"merchant_risk\":" + row[2] + ",\"velocity\":" + row[3] + "}";
            slot.input("in", 0, i, 0, null, event.getBytes(StandardCharsets.UTF_8));
            processor.process(slot);

            final OutputList outputs = processor.outputs();
            assertThat(outputs.kind(0)).as(event).isEqualTo(OutputList.OUTPUT);
            final JsonNode out = JACKSON.readTree(outputs.value(0).toUtf8String());
            assertThat(out.get("score").doubleValue()).as(event).isEqualTo(lr.score(row));
            assertThat(out.get("model_version").textValue()).isEqualTo("lr-onnx-1");
            assertThat(out.get("mlp").doubleValue()).as(event).isEqualTo(mlp.score(row));
            assertThat(out.get("mlp_model_version").textValue()).isEqualTo(mlp.version());
        }
        // An ONNX model without missing-value handling makes an event with a missing feature bad input.
        slot.input("in", 0, 50, 0, null, "{\"amount\":1,\"hour\":2,\"merchant_risk\":null,\"velocity\":3}"
            .getBytes(StandardCharsets.UTF_8));
        processor.process(slot);
        assertThat(processor.outputs().kind(0)).isEqualTo(OutputList.DEAD_LETTER);
        assertThat(processor.outputs().reason(0)).startsWith("the score feature 'merchant_risk' is missing or null");
    }

    @Test
    void shouldScoreParkedEventsInOneNativeCallAndGiveTheBytesScoringEventByEventGives() throws Exception
    {
        // The first score task that batches parks the events: the logistic regression, or with its max-batch 1 the
        // MLP; any other scores event by event.
        final String batched = PIPELINE.replace("    model: models/lr.onnx\n",
            "    model: models/lr.onnx\n    max-batch: 16\n").replace("    output-field: mlp\n",
            "    output-field: mlp\n    max-batch: 16\n");
        final PipelineProcessor oneByOne = new PipelineProcessor(load(batched.replace("max-batch: 16",
            "max-batch: 1")));
        assertThat(oneByOne.batchSize()).isZero();
        for (final String text : new String[] { batched, batched.replaceFirst("max-batch: 16", "max-batch: 1") })
        {
            final PipelineProcessor parking = new PipelineProcessor(load(text));
            assertThat(parking.batchSize()).as("ONNX Runtime scores batches").isEqualTo(16);
            assertThat(parkAndCompare(parking, oneByOne)).isEqualTo(OnnxTestModels.Reference.of("logistic.onnx")
                .rows().length);
        }
    }

    /** Parks the reference rows as events, 16 at a time, and compares each output with the one-by-one processor's. */
    private static int parkAndCompare(final PipelineProcessor parking, final PipelineProcessor oneByOne)
        throws Exception
    {
        final OnnxTestModels.Reference reference = OnnxTestModels.Reference.of("logistic.onnx");
        final EventSlot single = new EventSlot();
        final EventSlot[] slots = new EventSlot[16];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new EventSlot();
        }
        final int events = reference.rows().length;
        int compared = 0;
        for (int i = 0; i < events; i++)
        {
            final double[] row = reference.rows()[i];
            final byte[] event = ("{\"card\":\"c" + i + "\",\"amount\":" + row[0] + ",\"hour\":" + row[1] +
                ",\"merchant_risk\":" + (i % 7 == 3 ? "null" : Double.toString(row[2])) + ",\"velocity\":" + row[3] +
                "}").getBytes(StandardCharsets.UTF_8);
            slots[parking.parked()].input("in", 0, i, 0, null, event);
            parking.park(slots[parking.parked()]);
            if (parking.parked() == slots.length || i == events - 1)
            {
                final int first = i - parking.parked() + 1;
                final int count = parking.parked();
                parking.scoreParked();
                for (int p = 0; p < count; p++)
                {
                    final OutputList outputs = parking.finishParked(p);
                    single.input("in", 0, first + p, 0, null, slots[p].input().toByteArray());
                    oneByOne.process(single);
                    final OutputList expected = oneByOne.outputs();
                    assertThat(outputs.size()).isEqualTo(expected.size());
                    for (int o = 0; o < outputs.size(); o++)
                    {
                        assertThat(outputs.kind(o)).isEqualTo(expected.kind(o));
                        assertThat(outputs.value(o).toUtf8String()).as("event %d", first + p)
                            .isEqualTo(expected.value(o).toUtf8String());
                        compared++;
                    }
                }
            }
        }
        return compared;
    }

    @Test
    void shouldRefuseAnOnnxModelWhoseFeaturesDoNotFitTheTaskWithItsLine()
    {
        assertThatThrownBy(() -> load(PIPELINE.replace("[amount, hour, merchant_risk, velocity]", "[amount, hour]")))
            .hasMessageContaining("cards.yaml:9: ").hasMessageContaining("mlp.onnx: the model takes 4 features");
        assertThatThrownBy(() -> load(PIPELINE.replace("    model: models/mlp.onnx\n" +
            "    features: [amount, hour, merchant_risk, velocity]\n", "    model: models/mlp.onnx\n")))
            .hasMessageContaining("cards.yaml:9: ").hasMessageContaining("mlp.onnx declares no feature names");
    }
}
