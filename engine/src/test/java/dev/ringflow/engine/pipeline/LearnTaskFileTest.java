package dev.ringflow.engine.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code learn} task as a pipeline file writes it: its keys, its defaults, and each mistake at its line. */
class LearnTaskFileTest
{
    private static final String PIPELINE = String.join("\n",
        "name: cards",
        "source:",
        "  topics: [in]",
        "  format: json",
        "  key-field: card",
        "tasks:",
        "  - type: learn",
        "    features: [amount, age]",
        "    label-field: fraud",
        "  - type: learn",
        "    name: per_card",
        "    features:",
        "      - amount",
        "      - hour",
        "    label-field: fraud",
        "    learning-rate: 0.05",
        "    l2: 1e-4",
        "    adagrad: true",
        "    per-key: true",
        "    output-field: card_score",
        "    metrics-window: 500",
        "  - type: filter",
        "    where: score > 0.5 and card_score > 0.5 and model_version != ''",
        "sink:",
        "  topic: out",
        "");

    private static PipelineSpec parse(final String text)
    {
        return PipelineFile.parse(text, "cards.yaml", "x");
    }

    @Test
    void shouldReadTheKeysWithTheirDefaultsAndTypeTheFieldsTheyAdd()
    {
        final PipelineSpec spec = parse(PIPELINE);

        assertThat(spec.tasks().get(0)).isEqualTo(new LearnTaskSpec(null, List.of("amount", "age"), "fraud", 0.01, 0,
            false, false, "score", 1000));
        assertThat(spec.tasks().get(1)).isEqualTo(new LearnTaskSpec("per_card", List.of("amount", "hour"), "fraud",
            0.05, 1e-4, true, true, "card_score", 500));
        assertThat(((LearnTaskSpec)spec.tasks().get(0)).versionPrefix()).isEqualTo("learn");
    }

    @Test
    void shouldNameTheLineOfEachMistake()
    {
        assertThatThrownBy(() -> parse(PIPELINE.replace("learning-rate: 0.05", "learning-rate: 0")))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("cards.yaml:16: tasks[1].learning-rate: expected a finite number > 0, was 0.0");
        assertThatThrownBy(() -> parse(PIPELINE.replace("learning-rate: 0.05", "learning-rate: fast")))
            .hasMessageContaining("cards.yaml:16: tasks[1].learning-rate: expected a number, was 'fast'");
        assertThatThrownBy(() -> parse(PIPELINE.replace("l2: 1e-4", "l2: -1")))
            .hasMessageContaining("cards.yaml:17: tasks[1].l2: expected a finite number >= 0");
        assertThatThrownBy(() -> parse(PIPELINE.replace("adagrad: true", "adagrad: sometimes")))
            .hasMessageContaining("cards.yaml:18: tasks[1].adagrad: expected true or false, was 'sometimes'");
        assertThatThrownBy(() -> parse(PIPELINE.replace("metrics-window: 500", "metrics-window: 0")))
            .hasMessageContaining("cards.yaml:21: tasks[1].metrics-window: expected an integer >= 1");
        assertThatThrownBy(() -> parse(PIPELINE.replace("features: [amount, age]", "features: []")))
            .hasMessageContaining("cards.yaml:8: tasks[0].features: expected at least one number field");
        assertThatThrownBy(() -> parse(PIPELINE.replace("features: [amount, age]", "features: [amount, amount]")))
            .hasMessageContaining("tasks[0].features[1]: feature 'amount' given twice");
        assertThatThrownBy(() -> parse(PIPELINE.replace("    features: [amount, age]\n", "")))
            .hasMessageContaining("tasks[0].features: missing; expected the list of number fields");
        assertThatThrownBy(() -> parse(PIPELINE.replace("    label-field: fraud\n  - type: learn",
            "  - type: learn")))
            .hasMessageContaining("tasks[0].label-field: missing; expected the field holding each event's label");
        assertThatThrownBy(() -> parse(PIPELINE.replace("features: [amount, age]", "features: [amount, fraud]")))
            .hasMessageContaining("cards.yaml:9: tasks[0].label-field: 'fraud' is also a feature");
        assertThatThrownBy(() -> parse(PIPELINE.replace("output-field: card_score", "output-field: model_version")))
            .hasMessageContaining("cards.yaml:20: tasks[1].output-field: 'model_version' is the label, a feature");
        assertThatThrownBy(() -> parse(PIPELINE.replace("name: per_card", "name: per-card")))
            .hasMessageContaining("cards.yaml:11: tasks[1].name: expected a name of letters, digits and '_'");
        assertThatThrownBy(() -> parse(PIPELINE.replace("    label-field: fraud\n  - type: learn",
            "    label-field: fraud\n    window: 5\n  - type: learn")))
            .hasMessageContaining("cards.yaml:10: tasks[0].window: unknown field 'window'");
        assertThatThrownBy(() -> parse(PIPELINE.replace("  format: json\n", "").replace("  key-field: card\n", "")))
            .hasMessageContaining("tasks[0]: learn works on the fields of JSON events");
    }

    @Test
    void shouldRefuseOneModelPerPipelineOnSeveralWorkers()
    {
        assertThatThrownBy(() -> parse(PIPELINE + "engine:\n  workers: 2\n"))
            .hasMessageContaining("tasks[0].per-key: one model for the pipeline needs one worker");
        // Per key (the record key: each worker holds the models of its keys) several workers are fine.
        assertThat(parse(PIPELINE.replace("  key-field: card\n", "").replace("    features: [amount, age]\n",
            "    features: [amount, age]\n    per-key: true\n") + "engine:\n  workers: 2\n")
            .engine().workers()).isEqualTo(2);
    }
}
