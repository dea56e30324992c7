package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.OutputFormat;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Windows over JSON feature records: key, event time and several value fields read from the value.
 */
class JsonWindowPipelineTest
{
    private static final String PIPELINE = String.join("\n",
        "source:",
        "  topic: sensors",
        "  format: json",
        "  key-field: sensor",
        "  timestamp-field: ts",
        "tasks:",
        "  - type: time-window",
        "    size-ms: 1000",
        "    value-fields: [temp, hum]",
        "    aggregations: [count, mean, max]",
        "    value-type: double",
        "sink:",
        "  topic: features",
        "  dead-letter-topic: bad",
        "  late-topic: late",
        "");

    private Engine engine;

    @AfterEach
    void closeEngine()
    {
        if (null != engine)
        {
            engine.close();
        }
    }

    @Test
    void shouldAggregateSeveralJsonFieldsPerKeyAndEventTime()
    {
        final PipelineSpec spec = PipelineFile.parse(PIPELINE, "sensors.yaml", "sensors");
        final InMemorySink sink = run(spec,
            "{\"sensor\":\"s-1\",\"ts\":100,\"temp\":20.0,\"hum\":0.5}",
            "{\"sensor\":\"s-2\",\"ts\":200,\"temp\":30.0,\"hum\":0.1}",
            "{\"ts\":300,\"sensor\":\"s-1\",\"hum\":0.7,\"temp\":22.0,\"extra\":{\"x\":[1]}}",
            "not json",
            "{\"sensor\":\"s-1\",\"ts\":400,\"temp\":\"warm\",\"hum\":0.7}",
            "{\"sensor\":\"s-1\",\"ts\":500,\"hum\":0.7}",
            "{\"sensor\":\"s-1\",\"ts\":\"noon\",\"temp\":1,\"hum\":1}",
            "{\"ts\":600,\"temp\":1,\"hum\":1}",
            "{\"sensor\":\"s-3\",\"ts\":1000,\"temp\":5,\"hum\":0}",
            "{\"sensor\":\"s-1\",\"ts\":900,\"temp\":5,\"hum\":0}");

        assertThat(sink.outputs()).extracting(InMemorySink.Output::keyText, InMemorySink.Output::valueText).containsExactly(
            tuple("s-1", "{\"key\":\"s-1\",\"start\":0,\"end\":1000,\"count\":2," +
                "\"temp\":{\"mean\":21.0,\"max\":22.0},\"hum\":{\"mean\":0.6,\"max\":0.7}}"),
            tuple("s-2", "{\"key\":\"s-2\",\"start\":0,\"end\":1000,\"count\":1," +
                "\"temp\":{\"mean\":30.0,\"max\":30.0},\"hum\":{\"mean\":0.1,\"max\":0.1}}"));
        assertThat(sink.deadLetters()).extracting(InMemorySink.Output::errorReason).containsExactly(
            "value is not a JSON object",
            "field 'temp' is missing or not a finite number",
            "field 'temp' is missing or not a finite number",
            "field 'ts' is missing or not an integer",
            "field 'sensor' is missing or not a string or number");
        assertThat(sink.late()).extracting(InMemorySink.Output::valueText)
            .containsExactly("{\"sensor\":\"s-1\",\"ts\":900,\"temp\":5,\"hum\":0}");
    }

    @Test
    void shouldRejectJsonWindowsWithoutValueFields()
    {
        final String text = PIPELINE.replace("    value-fields: [temp, hum]\n", "");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PipelineFile.parse(text, "s.yaml", "s"))
            .hasMessageContaining("s.yaml:7: tasks[0].value-fields: JSON input needs the fields to aggregate");
    }

    @Test
    void shouldRejectTextOutputForSeveralValueFields()
    {
        final String text = PIPELINE.replace("aggregations: [count, mean, max]", "aggregation: mean\n    output: text");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PipelineFile.parse(text, "s.yaml", "s"))
            .hasMessageContaining("tasks[0].output: text output holds one value field, 2 were given");
        assertThat(OutputFormat.valueOf("TEXT")).isEqualTo(OutputFormat.TEXT);
    }

    private InMemorySink run(final PipelineSpec spec, final String... values)
    {
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        engine = Engine.start(spec, source, sink);
        for (int i = 0; i < values.length; i++)
        {
            source.offer(new InMemorySource.Record("sensors", 0, i, 0, null,
                values[i].getBytes(StandardCharsets.UTF_8)));
        }
        EngineTest.awaitUntil(() -> engine.counters().eventsIn() == values.length);
        engine.close();
        assertThat(List.of(values)).hasSize(values.length);
        return sink;
    }
}
