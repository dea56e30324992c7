package dev.ringflow.engine.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code anomaly} task as a pipeline file writes it: its keys, its defaults, and each mistake at its line. */
class AnomalyTaskFileTest
{
    private static final String PIPELINE = String.join("\n",
        "name: cards",
        "source:",
        "  topics: [in]",
        "  format: json",
        "  key-field: card",
        "  timestamp-field: ts",
        "tasks:",
        "  - type: anomaly",
        "    value-field: amount",
        "    range: 100",
        "    threshold: 4",
        "    min-count: 10",
        "    topic: anomalies",
        "  - type: anomaly",
        "    name: fast",
        "    value: amount * fx",
        "    method: ewma",
        "    alpha: 0.05",
        "    min-std: 0.01",
        "  - type: filter",
        "    where: anomaly or fast_anomaly or fast_z > 2",
        "sink:",
        "  topic: out",
        "");

    private static PipelineSpec parse(final String text)
    {
        return PipelineFile.parse(text, "cards.yaml", "x");
    }

    @Test
    void shouldReadBothMethodsWithTheirDefaultsAndTypeTheFieldsTheyAdd()
    {
        final PipelineSpec spec = parse(PIPELINE);

        assertThat(spec.tasks().get(0)).isEqualTo(new AnomalyTaskSpec(null, "amount", null,
            AnomalyTaskSpec.Method.ZSCORE, 100, 0, Double.NaN, 4, 10, 1e-9, "anomalies"));
        assertThat(spec.tasks().get(1)).isEqualTo(new AnomalyTaskSpec("fast", null, "amount * fx",
            AnomalyTaskSpec.Method.EWMA, 0, 0, 0.05, 3, 2, 0.01, null));
        assertThat(((AnomalyTaskSpec)spec.tasks().get(1)).fieldName("z")).isEqualTo("fast_z");
    }

    @Test
    void shouldReadATimeWindow()
    {
        final PipelineSpec spec = parse(PIPELINE.replace("range: 100", "range-ms: 60_000"));

        assertThat(((AnomalyTaskSpec)spec.tasks().get(0)).rangeMs()).isEqualTo(60_000);
        assertThat(((AnomalyTaskSpec)spec.tasks().get(0)).range()).isZero();
    }

    @Test
    void shouldNameTheLineOfEachMistake()
    {
        assertThatThrownBy(() -> parse(PIPELINE.replace("    alpha: 0.05\n", "")))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("cards.yaml:14: tasks[1].alpha: method: ewma needs alpha");
        assertThatThrownBy(() -> parse(PIPELINE.replace("range: 100", "range: 100\n    range-ms: 5")))
            .hasMessageContaining("cards.yaml:8: tasks[0]: method: zscore needs either range >= 1");
        assertThatThrownBy(() -> parse(PIPELINE.replace("    range: 100\n", "")))
            .hasMessageContaining("tasks[0]: method: zscore needs either range >= 1");
        assertThatThrownBy(() -> parse(PIPELINE.replace("method: ewma", "method: median")))
            .hasMessageContaining("cards.yaml:17: tasks[1].method: expected one of zscore, ewma, was 'median'");
        assertThatThrownBy(() -> parse(PIPELINE.replace("min-std: 0.01", "min-std: 0")))
            .hasMessageContaining("cards.yaml:19: tasks[1].min-std: expected a finite number > 0");
        assertThatThrownBy(() -> parse(PIPELINE.replace("min-count: 10", "min-count: -1")))
            .hasMessageContaining("cards.yaml:12: tasks[0].min-count: expected an integer >= 0");
        assertThatThrownBy(() -> parse(PIPELINE.replace("threshold: 4", "threshold: -4")))
            .hasMessageContaining("cards.yaml:11: tasks[0].threshold: expected a finite number >= 0");
        assertThatThrownBy(() -> parse(PIPELINE.replace("value: amount * fx", "value: amount > fx")))
            .hasMessageContaining("cards.yaml:16: tasks[1].value: expected a number but");
        assertThatThrownBy(() -> parse(PIPELINE.replace("    value: amount * fx\n", "")))
            .hasMessageContaining("tasks[1]: expected either 'value-field' (the number field to judge) or 'value'");
        assertThatThrownBy(() -> parse(PIPELINE.replace("alpha: 0.05", "alpha: 0.05\n    range: 3")))
            .hasMessageContaining("tasks[1]: range and range-ms apply to method: zscore");
        assertThatThrownBy(() -> parse(PIPELINE.replace("topic: anomalies", "topic: odd/name")))
            .hasMessageContaining("cards.yaml:13: tasks[0].topic: expected a Kafka topic name");
        assertThatThrownBy(() -> parse(PIPELINE.replace("name: fast", "name: fast-lane")))
            .hasMessageContaining("cards.yaml:15: tasks[1].name: expected a name of letters, digits and '_'");
        assertThatThrownBy(() -> parse(PIPELINE.replace("    value-field: amount\n",
            "    value-field: amount\n    window: 5\n")))
            .hasMessageContaining("tasks[0]").hasMessageContaining("window");
        assertThatThrownBy(() -> parse(PIPELINE.replace("  format: json\n", "")))
            .hasMessageContaining("tasks[0]: anomaly works on the fields of JSON events");
    }
}
