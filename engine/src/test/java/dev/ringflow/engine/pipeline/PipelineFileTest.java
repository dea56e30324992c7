package dev.ringflow.engine.pipeline;

import dev.ringflow.engine.pipeline.EngineSpec.WaitStrategyKind;
import dev.ringflow.engine.pipeline.SourceSpec.StartFrom;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineFileTest
{
    private static final String VALID = String.join("\n",
        "name: sums",
        "source:",
        "  topics: [in]",
        "tasks:",
        "  - type: window",
        "    range: 5",
        "    slide: 1",
        "    aggregation: sum",
        "sink:",
        "  topic: out",
        "");

    @Test
    void shouldReadTheShippedSlidingSumExample()
    {
        final PipelineSpec spec = PipelineFile.load(examples().resolve("seed-sliding-sum.yaml"));

        assertThat(spec.name()).isEqualTo("seed-sliding-sum");
        assertThat(spec.source().topics()).containsExactly("my-topic");
        assertThat(spec.source().startFrom()).isEqualTo(StartFrom.EARLIEST);
        assertThat(spec.tasks()).containsExactly(new WindowTaskSpec(5, 1, Aggregation.SUM, ValueKind.LONG));
        assertThat(spec.sink().topic()).isEqualTo("aggregated-topic");
        assertThat(spec.sink().deadLetterTopic()).isEqualTo("seed-sliding-sum-dead-letters");
        assertThat(spec.isKeyed()).isTrue();
    }

    @Test
    void shouldReadTheShippedTransformExample()
    {
        final PipelineSpec spec = PipelineFile.load(examples().resolve("seed-transform.yaml"));

        assertThat(spec.tasks()).containsExactly(new FormatTaskSpec("Processed: {value}"));
        assertThat(spec.sink().topic()).isEqualTo("processed-topic");
        assertThat(spec.sink().hasDeadLetterTopic()).isFalse();
        assertThat(spec.isKeyed()).isFalse();
    }

    @Test
    void shouldFillDefaultsForOmittedFields()
    {
        final PipelineSpec spec = PipelineFile.parse(VALID, "sums.yaml", "ignored");

        assertThat(spec.source().groupId()).isEqualTo("ringflow-sums");
        assertThat(spec.engine()).isEqualTo(EngineSpec.defaults());
        assertThat(spec.engine().waitStrategy()).isEqualTo(WaitStrategyKind.BLOCKING);
        assertThat(spec.sink().createTopics()).isTrue();
        assertThat(spec.kafka()).isEmpty();
    }

    private static final String FIELDS = String.join("\n",
        "name: cards",
        "source:",
        "  topics: [in]",
        "  format: json",
        "tasks:",
        "  - type: filter",
        "    where: amount * fx > 100 and country != 'FR'",
        "  - set: {amount_eur: \"amount * fx\", big: \"amount * fx > 1000\"}",
        "  - drop: [fx]",
        "  - {type: select, select: [amount_eur, big, country]}",
        "  - key-by: country",
        "  - {type: route, when: big, topic: review, continue: true}",
        "sink:",
        "  topic: out",
        "");

    @Test
    void shouldReadTheFieldTasksInBothForms()
    {
        final PipelineSpec spec = PipelineFile.parse(FIELDS, "cards.yaml", "x");

        assertThat(spec.tasks()).containsExactly(
            new FilterTaskSpec("amount * fx > 100 and country != 'FR'"),
            new SetTaskSpec(java.util.Map.of("amount_eur", "amount * fx", "big", "amount * fx > 1000")),
            new DropTaskSpec(java.util.List.of("fx")),
            new SelectTaskSpec(java.util.List.of("amount_eur", "big", "country")),
            new KeyByTaskSpec("country"),
            new RouteTaskSpec("big", "review", true));
        assertThat(((SetTaskSpec)spec.tasks().get(1)).fields().keySet()).containsExactly("amount_eur", "big");
    }

    @Test
    void shouldReadTheShippedCardFeaturesExample()
    {
        final PipelineSpec spec = PipelineFile.load(examples().resolve("card-features.yaml"));

        assertThat(spec.tasks()).hasSize(6);
        assertThat(spec.tasks().get(4)).isEqualTo(new FeaturesTaskSpec(List.of(
            new FeaturesTaskSpec.Window("amt_5", "amount_eur", 5, 0,
                List.of(Aggregation.COUNT, Aggregation.MEAN, Aggregation.MAX), false, 0),
            new FeaturesTaskSpec.Window("amt_1h", "amount_eur", 0, 3_600_000,
                List.of(Aggregation.COUNT, Aggregation.SUM, Aggregation.MEAN), false, 0))));
    }

    @Test
    void shouldRejectAFeatureWindowWithoutARangeOrWithTwo()
    {
        assertThatThrownBy(() -> PipelineFile.parse(FIELDS.replace("  - key-by: country",
            "  - {type: features, value-field: amount, windows: [{name: a, aggregation: sum}, " +
                "{name: b, range: 2, range-ms: 5, aggregation: sum}]}"), "cards.yaml", "x"))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("tasks[4].windows[0]: expected either 'range'")
            .hasMessageContaining("tasks[4].windows[1]: expected either 'range'");
    }

    @Test
    void shouldNameTheLinePathAndColumnOfABadExpression()
    {
        assertThatThrownBy(() -> PipelineFile.parse(FIELDS.replace("country != 'FR'", "country != fr('FR')"),
            "cards.yaml", "x"))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("cards.yaml:7: tasks[0].where: unknown function 'fr' at column 34 of 'amount * fx > 100 and country != fr('FR')'");
        assertThatThrownBy(() -> PipelineFile.parse(FIELDS.replace("amount * fx > 1000", "amount > \\\"x\\\""),
            "cards.yaml", "x"))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("cards.yaml:8: tasks[1].set.big:").hasMessageContaining("column");
        assertThatThrownBy(() -> PipelineFile.parse(FIELDS.replace("when: big", "when: amount_eur"),
            "cards.yaml", "x"))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("tasks[5].when:");
    }

    @Test
    void shouldRefuseFieldTasksOnTextInputAndBoundsOnJsonInput()
    {
        assertThatThrownBy(() -> PipelineFile.parse(FIELDS.replace("  format: json\n", ""), "cards.yaml", "x"))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("tasks[0].where: filter's 'where' works on the fields of JSON events");
        assertThatThrownBy(() -> PipelineFile.parse(FIELDS.replace("    where: amount * fx > 100 and country != 'FR'",
            "    min: 1"), "cards.yaml", "x"))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("'min'/'max' filter the text value; with format: json every event would be bad " +
                "input");
    }

    @Test
    void shouldNameTheFileLineAndFieldOfAWrongValue()
    {
        final String text = VALID.replace("range: 5", "range: five");

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("sums.yaml:6: tasks[0].range: expected an integer, was 'five'");
    }

    @Test
    void shouldRejectAnUnknownFieldListingTheAllowedOnes()
    {
        final String text = VALID.replace("slide: 1", "slid: 1");

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .hasMessageContaining("sums.yaml:7: tasks[0].slid: unknown field 'slid'; expected one of:")
            .hasMessageContaining("slide");
    }

    @Test
    void shouldRejectARangeBelowOne()
    {
        final String text = VALID.replace("range: 5", "range: 0");

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .hasMessageContaining("sums.yaml:6: tasks[0].range: expected an integer >= 1, was 0");
    }

    @Test
    void shouldRejectAnUnknownAggregationListingTheKnownOnes()
    {
        final String text = VALID.replace("aggregation: sum", "aggregation: median");

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .hasMessageContaining("tasks[0].aggregation: expected one of count, sum, min, max, mean")
            .hasMessageContaining("was 'median'");
    }

    @Test
    void shouldRejectAnUnknownTaskType()
    {
        final String text = VALID.replace("type: window", "type: windw");

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .hasMessageContaining("tasks[0].type: unknown task type 'windw'; expected one of window, time-window, session-window, global-window, format, filter");
    }

    @Test
    void shouldReportEveryProblemAtOnce()
    {
        final String text = VALID.replace("range: 5", "range: x").replace("aggregation: sum", "aggregation: y");

        final PipelineValidationException ex = (PipelineValidationException)org.junit.jupiter.api.Assertions
            .assertThrows(PipelineValidationException.class, () -> PipelineFile.parse(text, "sums.yaml", "x"));
        assertThat(ex.problems()).hasSize(2);
    }

    @Test
    void shouldRequireSourceAndSink()
    {
        assertThatThrownBy(() -> PipelineFile.parse("name: x\ntasks: []\n", "p.yaml", "x"))
            .hasMessageContaining("p.yaml: source: missing")
            .hasMessageContaining("p.yaml: sink: missing");
    }

    @Test
    void shouldRejectAnOutputTopicThatIsTheInputTopic()
    {
        final String text = VALID.replace("topic: out", "topic: in");

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .hasMessageContaining("sink.topic: expected an output topic other than the input topic 'in'");
    }

    @Test
    void shouldReadSnapshotAndRetentionSettingsAndDefaultThem()
    {
        assertThat(PipelineFile.parse(VALID, "sums.yaml", "x").journal())
            .extracting(JournalSpec::snapshotIntervalMs, JournalSpec::retentionHours)
            .containsExactly(60_000L, 168L);
        final PipelineSpec spec = PipelineFile.parse(
            VALID + "journal:\n  snapshot-interval-ms: 0\n  retention-hours: -1\n", "sums.yaml", "x");
        assertThat(spec.journal().snapshotIntervalMs()).isZero();
        assertThat(spec.journal().retentionHours()).isEqualTo(JournalSpec.KEEP_FOREVER);
    }

    @Test
    void shouldReadStandbyReplicasAndDefaultThemToNone()
    {
        final String partitionState = VALID + "  delivery: exactly-once\nstate:\n  scope: partition\n";

        assertThat(PipelineFile.parse(partitionState, "sums.yaml", "x").state().standbyReplicas()).isZero();
        assertThat(PipelineFile.parse(partitionState + "  standby-replicas: 1\n", "sums.yaml", "x").state()
            .standbyReplicas()).isEqualTo(1);
    }

    @Test
    void shouldRefuseStandbyReplicasOtherThanNoneOrOneSayingWhatOneMeans()
    {
        final String text = VALID + "  delivery: exactly-once\nstate:\n  scope: partition\n  standby-replicas: 2\n";

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("sums.yaml:14: state.standby-replicas: expected 0 (none) or 1 (this daemon keeps a " +
                "warm copy of the latest published state of every input partition it does not own, so that it " +
                "can take any of them over without reading the state topic), was 2");
    }

    @Test
    void shouldRefuseARestoreTimeoutThatOutlastsTheConsumersPollInterval()
    {
        final String partitionState = VALID + "  delivery: exactly-once\nstate:\n  scope: partition\n";

        assertThatThrownBy(() -> PipelineFile.parse(partitionState + "  restore-timeout-ms: 300000\n", "sums.yaml",
            "x"))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("state.restore-timeout-ms: 300000 must be below the consumer's " +
                "max.poll.interval.ms (300000)");
        assertThatThrownBy(() -> PipelineFile.parse(partitionState + "kafka:\n  max.poll.interval.ms: \"60000\"\n",
            "sums.yaml", "x"))
            .hasMessageContaining("state.restore-timeout-ms: 120000 must be below the consumer's " +
                "max.poll.interval.ms (60000)");
        assertThat(PipelineFile.parse(partitionState + "  restore-timeout-ms: 299999\n", "sums.yaml", "x").state()
            .restoreTimeoutMs()).isEqualTo(299_999L);
    }

    @Test
    void shouldRefuseStandbyReplicasWithoutPartitionState()
    {
        final String text = VALID + "state:\n  standby-replicas: 1\n";

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("sums.yaml:12: state.standby-replicas: a standby keeps a warm copy of other " +
                "daemons' partition state, which exists only with state.scope: partition");
    }

    @Test
    void shouldRejectNegativeSnapshotIntervalsAndRetentionsNamingTheField()
    {
        final String text = VALID + "journal:\n  snapshot-interval-ms: -5\n  retention-hours: -2\n";

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .hasMessageContaining("journal.snapshot-interval-ms: expected an integer >= 0 (0: no snapshots), was -5")
            .hasMessageContaining("journal.retention-hours: expected an integer >= 0, or -1 to keep every file, " +
                "was -2");
    }

    @Test
    void shouldReadEveryWaitStrategyAndNameTheChoicesOfAWrongOne()
    {
        assertThat(PipelineFile.parse(VALID + "engine:\n  wait-strategy: phased\n", "sums.yaml", "x").engine()
            .waitStrategy()).isEqualTo(WaitStrategyKind.PHASED);
        assertThat(PipelineFile.parse(VALID + "engine:\n  wait-strategy: busy-spin\n", "sums.yaml", "x").engine()
            .waitStrategy()).isEqualTo(WaitStrategyKind.BUSY_SPIN);
        assertThatThrownBy(() -> PipelineFile.parse(VALID + "engine:\n  wait-strategy: spin\n", "sums.yaml", "x"))
            .hasMessageContaining("engine.wait-strategy")
            .hasMessageContaining("phased");
    }

    @Test
    void shouldRejectARingCapacityThatIsNotAPowerOfTwo()
    {
        final String text = VALID + "engine:\n  ring-capacity: 1000\n";

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .hasMessageContaining("sums.yaml:12: engine.ring-capacity: expected a power of two");
    }

    @Test
    void shouldReportYamlSyntaxErrorsWithTheirLine()
    {
        assertThatThrownBy(() -> PipelineFile.parse("source:\n  topics: [in\nsink: x\n", "bad.yaml", "x"))
            .hasMessageStartingWith("invalid pipeline bad.yaml:")
            .hasMessageContaining("bad.yaml:3: not valid YAML");
    }

    @Test
    void shouldReportAnEmptyFile()
    {
        assertThatThrownBy(() -> PipelineFile.parse("", "empty.yaml", "x"))
            .hasMessageContaining("empty.yaml: the file is empty");
    }

    @Test
    void shouldReportAMissingFile(@TempDir final Path dir)
    {
        final Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> PipelineFile.load(missing))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining("nope.yaml: cannot read the file");
    }

    @Test
    void shouldUseTheFileNameWhenThePipelineHasNoName(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("my-pipeline.yaml");
        Files.writeString(file, VALID.replace("name: sums\n", ""));

        assertThat(PipelineFile.load(file).name()).isEqualTo("my-pipeline");
    }

    @Test
    void shouldPassKafkaPropertiesThrough()
    {
        final String text = VALID + "kafka:\n  bootstrap.servers: b:9092\n  security.protocol: SASL_SSL\n";

        final PipelineSpec spec = PipelineFile.parse(text, "sums.yaml", "x");

        assertThat(spec.kafka()).containsEntry("bootstrap.servers", "b:9092")
            .containsEntry("security.protocol", "SASL_SSL");
        assertThat(spec.withBootstrapServers("c:1").kafka()).containsEntry("bootstrap.servers", "c:1");
    }

    @Test
    void shouldBuildTheSameSpecInCodeAsFromAFile()
    {
        final PipelineSpec fromCode = PipelineBuilder.named("sums")
            .source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG)
            .sink("out")
            .build();

        assertThat(fromCode).isEqualTo(PipelineFile.parse(VALID, "sums.yaml", "x"));
    }

    @Test
    void shouldValidateSpecsBuiltInCodeWithFieldPaths()
    {
        assertThatThrownBy(() -> PipelineBuilder.named("x").source("in").window(0, 1, Aggregation.SUM,
            ValueKind.LONG).sink("bad topic!").build())
            .hasMessageContaining("tasks[0].range: expected an integer >= 1, was 0")
            .hasMessageContaining("sink.topic: expected a Kafka topic name");
    }

    @Test
    void shouldReadATimeWindowWithSeveralAggregationsAndALateTopic()
    {
        final String text = String.join("\n",
            "source: {topic: in}",
            "tasks:",
            "  - type: time-window",
            "    size-ms: 60000",
            "    advance-ms: 15000",
            "    out-of-orderness-ms: 2000",
            "    aggregations: [count, mean, max]",
            "    value-type: double",
            "sink: {topic: out, late-topic: late}",
            "");

        final PipelineSpec spec = PipelineFile.parse(text, "t.yaml", "t");

        assertThat(spec.tasks()).containsExactly(new TimeWindowTaskSpec(60_000, 15_000, 2_000, 0,
            java.util.List.of(Aggregation.COUNT, Aggregation.MEAN, Aggregation.MAX), ValueKind.DOUBLE, java.util.List.of(),
            OutputFormat.JSON));
        assertThat(spec.sink().lateTopic()).isEqualTo("late");
    }

    @Test
    void shouldRejectAnAdvanceLongerThanTheWindow()
    {
        final String text = "source: {topic: in}\ntasks:\n  - type: time-window\n    size-ms: 10\n" +
            "    advance-ms: 20\n    aggregation: sum\nsink: {topic: out}\n";

        assertThatThrownBy(() -> PipelineFile.parse(text, "t.yaml", "t"))
            .hasMessageContaining("t.yaml:5: tasks[0].advance-ms: expected an integer from 1 to size-ms (10), was 20");
    }

    @Test
    void shouldRejectTextOutputWithSeveralAggregations()
    {
        final String text = VALID.replace("aggregation: sum", "aggregations: [sum, min]");

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .hasMessageContaining("tasks[0].output: text output holds one aggregation, 2 were given; use output: json");
    }

    @Test
    void shouldRejectBothAggregationAndAggregations()
    {
        final String text = VALID.replace("aggregation: sum", "aggregation: sum\n    aggregations: [min]");

        assertThatThrownBy(() -> PipelineFile.parse(text, "sums.yaml", "x"))
            .hasMessageContaining("tasks[0].aggregations: give either 'aggregation' or 'aggregations', not both");
    }

    static Path examples()
    {
        final String dir = System.getProperty("ringflow.examples.dir");
        return Path.of(null == dir ? "../examples" : dir);
    }
}
