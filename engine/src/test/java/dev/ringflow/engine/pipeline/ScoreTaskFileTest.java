package dev.ringflow.engine.pipeline;

import dev.ringflow.engine.PipelineChange;
import dev.ringflow.engine.PipelinePaths;
import dev.ringflow.models.score.ModelKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code score} task as a pipeline file writes it: its keys and defaults, its model path relative to the file,
 * and each model that cannot serve the pipeline refused at load with the task's line.
 */
class ScoreTaskFileTest
{
    private static final Path MODELS = Path.of("..", "models", "src", "test", "resources", "models");
    private static final String PIPELINE = String.join("\n",
        "name: cards",
        "source:",
        "  topics: [in]",
        "  format: json",
        "  key-field: card",
        "tasks:",
        "  - type: score",
        "    model: models/fraud.json",
        "  - type: score",
        "    model: models/lr.json",
        "    features: [amount, amt_5_mean, txn_1h_count, merchant_risk, hour, distance_km, card_age_days, velocity]",
        "    output-field: lr",
        "  - type: filter",
        "    where: score > 0.5 and lr > 0.5 and lr_model_version == \"fraud-lr-1\"",
        "sink:",
        "  topic: out",
        "");
    private static final List<String> FEATURES = List.of("amount", "amt_5_mean", "txn_1h_count", "merchant_risk",
        "hour", "distance_km", "card_age_days", "velocity");

    @TempDir
    Path dir;

    @BeforeEach
    void copyModels() throws IOException
    {
        Files.createDirectories(dir.resolve("models"));
        Files.copy(MODELS.resolve("xgb17-binary-logistic.json"), dir.resolve("models/fraud.json"));
        Files.copy(MODELS.resolve("linear-logistic.json"), dir.resolve("models/lr.json"));
        Files.copy(MODELS.resolve("xgb17-reg-logistic.json"), dir.resolve("models/positional.json"));
        Files.copy(MODELS.resolve("tiny.onnx"), dir.resolve("models/tiny.onnx"));
        final byte[] whole = Files.readAllBytes(MODELS.resolve("lgbm-binary.txt"));
        Files.write(dir.resolve("models/truncated.txt"), Arrays.copyOf(whole, whole.length / 3));
    }

    private PipelineSpec load(final String text) throws IOException
    {
        final Path file = dir.resolve("cards.yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return PipelineFile.load(file);
    }

    @Test
    void shouldLoadTheModelsRelativeToTheFileWithTheirDefaultsAndTypeTheFieldsTheyAdd() throws IOException
    {
        final PipelineSpec spec = load(PIPELINE);

        final ScoreTaskSpec xgboost = (ScoreTaskSpec)spec.tasks().get(0);
        final ScoreTaskSpec linear = (ScoreTaskSpec)spec.tasks().get(1);
        assertThat(xgboost.modelFile()).isEqualTo(dir.toAbsolutePath().resolve("models/fraud.json"));
        assertThat(xgboost.loaded().kind()).isEqualTo(ModelKind.XGBOOST_JSON);
        assertThat(xgboost.features()).isEmpty();
        assertThat(xgboost.inputFields()).isEqualTo(FEATURES);
        assertThat(xgboost.outputField()).isEqualTo("score");
        assertThat(xgboost.versionField()).isEqualTo("model_version");
        assertThat(xgboost.location()).isEqualTo(dir.resolve("cards.yaml") + ":8: tasks[0].model");
        assertThat(linear.loaded().version()).isEqualTo("fraud-lr-1");
        assertThat(linear.features()).isEqualTo(FEATURES);
        assertThat(linear.versionField()).isEqualTo("lr_model_version");
        assertThat(linear.toString()).isEqualTo("ScoreTaskSpec[model=models/lr.json, features=" + FEATURES +
            ", outputField=lr]");
    }

    @Test
    void shouldNameTheLineOfAModelThatCannotServeThePipeline() throws IOException
    {
        assertRefused(PIPELINE.replace("models/fraud.json", "models/nope.json"), ":8: ",
            "the model file " + dir.toAbsolutePath().resolve("models/nope.json") + " does not exist");
        assertRefused(PIPELINE.replace("models/fraud.json", "models/truncated.txt"), ":8: ",
            "truncated.txt: no 'end of trees' line: the file is truncated");
        assertRefused(PIPELINE.replace("models/fraud.json", "models/tiny.onnx"), ":8: ",
            "tiny.onnx: this is an ONNX model; ONNX models need the ringflow-onnx module");
        assertRefused(PIPELINE.replace("models/fraud.json", "models/positional.json"), ":8: ",
            "positional.json declares no feature names; list the 8 fields it takes");
        assertRefused(PIPELINE.replace(", velocity]", "]"), ":10: ",
            "lr.json: the model takes 8 features").hasMessageContaining("but the pipeline gives 7");
        assertRefused(PIPELINE.replace("[amount, amt_5_mean", "[amt_5_mean, amount"), ":10: ",
            "lr.json: feature 0 of the model is 'amount' but the pipeline gives 'amt_5_mean'");
    }

    @Test
    void shouldNameTheLineOfAFeatureThePipelineCannotProvide() throws IOException
    {
        final String dropFirst = PIPELINE.replace("tasks:\n", "tasks:\n  - drop: [velocity]\n");
        assertRefused(dropFirst, ":9: ", "tasks[1].model: feature 'velocity' is removed by an earlier drop task");
        final String selectFirst = PIPELINE.replace("tasks:\n", "tasks:\n  - select: [card, amount]\n");
        assertRefused(selectFirst, ":9: ", "feature 'amt_5_mean' is removed by an earlier select task");
        final String setBoolean = PIPELINE.replace("tasks:\n", "tasks:\n  - set: {hour: \"amount > 10\"}\n");
        assertRefused(setBoolean, ":9: ", "feature 'hour' is a boolean field set by an earlier task");
        // A field set again after its drop can be fed.
        final String setAgain = PIPELINE.replace("tasks:\n", "tasks:\n  - drop: [hour]\n  - set: {hour: \"1 + 2\"}\n");
        assertThat(load(setAgain).tasks()).hasSize(5);
    }

    @Test
    void shouldNameEveryOtherMistakeAtItsLine() throws IOException
    {
        assertRefused(PIPELINE.replace("    model: models/fraud.json\n", ""), ":7: ",
            "tasks[0].model: missing; expected the model file");
        assertRefused(PIPELINE.replace("output-field: lr", "output: lr"), ":12: ", "unknown field 'output'");
        assertRefused(PIPELINE.replace("output-field: lr", "output-field: a.b"), ":12: ",
            "expected a top-level field name (no dots), was 'a.b'");
        assertRefused(PIPELINE.replace("  format: json\n", "").replace("  key-field: card\n", "")
            .replace("  - type: filter\n    where: score > 0.5 and lr > 0.5 and lr_model_version == \"fraud-lr-1\"\n", ""),
            ":6: ", "score works on the fields of JSON events");
    }

    @Test
    void shouldResolveAChangesModelsAgainstTheRunningPipelinesDirectory() throws IOException
    {
        final PipelineSpec running = load(PIPELINE);
        final String changed = PIPELINE.replace("models/lr.json", "models/lr2.json").replace("fraud-lr-1", "fraud-lr-2");
        Files.writeString(dir.resolve("models/lr2.json"),
            Files.readString(dir.resolve("models/lr.json")).replace("fraud-lr-1", "fraud-lr-2"));

        final PipelineSpec next = new PipelineChange(changed, "cards.yaml", "test",
            PipelinePaths.of(dir.resolve("cards.yaml"), null)).prepare(running);

        final ScoreTaskSpec linear = (ScoreTaskSpec)next.tasks().get(1);
        assertThat(linear.modelFile()).isEqualTo(dir.toAbsolutePath().resolve("models/lr2.json"));
        assertThat(linear.loaded().version()).isEqualTo("fraud-lr-2");
        assertThat(next.tasks().get(0)).isEqualTo(running.tasks().get(0));
        assertThat(next.tasks().get(1)).isNotEqualTo(running.tasks().get(1));
    }

    private org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(final String text,
        final String line, final String message) throws IOException
    {
        final Path file = dir.resolve("cards.yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return assertThatThrownBy(() -> PipelineFile.load(file)).isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining(file + line).hasMessageContaining(message);
    }
}
