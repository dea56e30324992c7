package dev.ringflow.engine.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two model tasks may not write the same score or version field: which model scored an event would be lost. */
class ModelFieldsTest
{
    private static final String MODEL = "{\"format\": \"ringflow-linear\", \"version\": \"v1\", \"link\": " +
        "\"logistic\", \"bias\": 0, \"features\": [\"amount\"], \"weights\": [1]}";

    @TempDir
    Path dir;

    private Path pipeline(final String learnOutput) throws Exception
    {
        Files.writeString(dir.resolve("m.json"), MODEL);
        return Files.writeString(dir.resolve("p.yaml"), "name: p\n" +
            "source: {topics: [in], format: json}\n" +
            "tasks:\n" +
            "  - {type: score, model: m.json}\n" +
            "  - {type: learn, features: [amount], label-field: label" +
            (null == learnOutput ? "" : ", output-field: " + learnOutput) + "}\n" +
            "sink: {topic: out}\n");
    }

    @Test
    void shouldRefuseAScoreAndALearnTaskWritingTheSameFields() throws Exception
    {
        final Path file = pipeline(null);
        assertThatThrownBy(() -> PipelineFile.load(file)).isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining(file + ":5: ")
            .hasMessageContaining("writes the field 'score' that tasks[0] writes too")
            .hasMessageContaining("writes the field 'model_version' that tasks[0] writes too");
    }

    @Test
    void shouldAcceptThemWithTheirOwnOutputFields() throws Exception
    {
        final PipelineSpec spec = PipelineFile.load(pipeline("lr"));
        assertThat(((LearnTaskSpec)spec.tasks().get(1)).versionField()).isEqualTo("lr_model_version");
    }
}
