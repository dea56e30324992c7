package dev.ringflow.engine.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.function.PluginJars;
import dev.ringflow.engine.stage.PipelineProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Function tasks loaded from real jars: the example plugin project compiled at test time, its pipeline file loaded
 * with {@link PipelineFile} and run by a {@link PipelineProcessor}; and every load-time error, with its file and
 * line.
 */
class FunctionPluginTest
{
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final Path EXAMPLE_PIPELINE = Path.of("..", "examples", "function-example", "pipeline.yaml");

    @TempDir
    Path dir;

    @Test
    void shouldRunTheExampleProjectsFunctionsFromItsJar() throws Exception
    {
        final Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(PluginJars.EXAMPLE_SOURCES, plugins.resolve("function-example.jar"));

        final PipelineSpec spec = PipelineFile.load(EXAMPLE_PIPELINE, plugins);

        final FunctionTaskSpec risk = (FunctionTaskSpec)spec.tasks().get(1);
        assertThat(risk.functionClass().getName()).isEqualTo("com.example.fraud.RiskScore");
        assertThat(risk.functionClass().getClassLoader()).as("the plugins' own class loader")
            .isInstanceOf(URLClassLoader.class).isNotSameAs(getClass().getClassLoader());
        assertThat(risk.functionClass().getClassLoader().loadClass("dev.ringflow.api.RecordFunction"))
            .as("the API comes from Ringflow").isSameAs(dev.ringflow.api.RecordFunction.class);
        assertThat(spec.isKeyed()).as("DeclineCounter keeps per-card state").isTrue();

        final PipelineProcessor processor = new PipelineProcessor(spec);
        final EventSlot slot = new EventSlot();
        final String[] events = {
            "{\"card\":\"c1\",\"amount\":100,\"status\":\"DECLINED\",\"card_country\":\"DE\",\"merchant\":{\"country\":\"DE\"}}",
            "{\"card\":\"c1\",\"amount\":200,\"status\":\"OK\",\"card_country\":\"DE\",\"merchant\":{\"country\":\"US\"}}",
            "{\"card\":\"c2\",\"amount\":50,\"status\":\"OK\",\"card_country\":\"FR\",\"merchant\":{\"country\":\"FR\"}}",
            "{\"card\":\"c1\",\"status\":\"DECLINED\"}",
        };
        final double[] scores = {0.1 + 0.2, 0.2 + 0.2 + 0.3, 0.05, Double.NaN};
        final long[] declines = {1, 1, 0, 2};
        for (int i = 0; i < events.length; i++)
        {
            slot.input("transactions", 0, i, 1_000L, null, events[i].getBytes(StandardCharsets.UTF_8));
            processor.process(slot);
            final OutputList outputs = processor.outputs();
            assertThat(outputs.size()).isEqualTo(1);
            if (Double.isNaN(scores[i]))
            {
                assertThat(outputs.kind(0)).isEqualTo(OutputList.DEAD_LETTER);
                assertThat(outputs.reason(0)).isEqualTo("amount missing or not a number");
                continue;
            }
            final JsonNode out = JACKSON.readTree(outputs.value(0).toUtf8String());
            assertThat(out.get("risk_score").asDouble()).as(events[i]).isCloseTo(scores[i],
                org.assertj.core.api.Assertions.within(1e-12));
            assertThat(out.get("card_declines").asLong()).isEqualTo(declines[i]);
            assertThat(outputs.kind(0)).isEqualTo(scores[i] > 0.8 ? OutputList.ROUTED : OutputList.OUTPUT);
        }
    }

    @Test
    void shouldNameTheMissingPluginsDirectoryWithTheFileAndLine() throws IOException
    {
        final Path pipeline = pipeline("com.example.Risk", "");

        assertThatThrownBy(() -> PipelineFile.load(pipeline))
            .isInstanceOf(PipelineValidationException.class)
            .hasMessageContaining(pipeline + ":8: tasks[0].class: the plugins directory ")
            .hasMessageContaining(dir.resolve("plugins") + " does not exist");
    }

    @Test
    void shouldListTheJarsSearchedForAClassNotFound() throws IOException
    {
        jar("a.jar", "com.example.Other", "public class Other {}");
        jar("b.jar", "com.example.Another", "public class Another {}");
        final Path pipeline = pipeline("com.example.Risk", "");

        assertThatThrownBy(() -> PipelineFile.load(pipeline))
            .hasMessageContaining(pipeline + ":8: tasks[0].class: class com.example.Risk not found in plugins " +
                "directory " + dir.resolve("plugins") + " (a.jar, b.jar)");
    }

    @Test
    void shouldRejectAClassThatIsNotAFunction() throws IOException
    {
        jar("a.jar", "com.example.Risk", "public class Risk { public void apply() {} }");

        assertThatThrownBy(() -> PipelineFile.load(pipeline("com.example.Risk", "")))
            .hasMessageContaining(":8: tasks[0].class: class com.example.Risk is not a function: implement " +
                "dev.ringflow.api.RecordFunction or dev.ringflow.api.KeyedFunction");
    }

    @Test
    void shouldReportAConstructorThatThrows() throws IOException
    {
        jar("a.jar", "com.example.Risk", "public class Risk implements dev.ringflow.api.RecordFunction {" +
            " public Risk() { throw new IllegalStateException(\"no model file\"); }" +
            " public void apply(dev.ringflow.api.Record r, dev.ringflow.api.Emitter o) {} }");

        assertThatThrownBy(() -> PipelineFile.load(pipeline("com.example.Risk", "")))
            .hasMessageContaining(":8: tasks[0].class: the constructor of com.example.Risk threw " +
                "java.lang.IllegalStateException: no model file");
    }

    @Test
    void shouldReportOpenThrowingOnABadConfiguration() throws IOException
    {
        jar("a.jar", "com.example.Risk", "public class Risk implements dev.ringflow.api.RecordFunction {" +
            " public void open(dev.ringflow.api.FunctionContext c) {" +
            "   Double.parseDouble(c.config().get(\"threshold\")); c.route(\"alerts\"); }" +
            " public void apply(dev.ringflow.api.Record r, dev.ringflow.api.Emitter o) {} }");

        assertThatThrownBy(() -> PipelineFile.load(pipeline("com.example.Risk", "    config: {threshold: high}\n")))
            .hasMessageContaining(":8: tasks[0].class: open() of com.example.Risk threw " +
                "java.lang.NumberFormatException: For input string: \"high\"");
        assertThatThrownBy(() -> PipelineFile.load(pipeline("com.example.Risk", "    config: {threshold: 1}\n")))
            .hasMessageContaining("open() of com.example.Risk threw java.lang.IllegalArgumentException: topic " +
                "'alerts' is not in the task's routes []");
    }

    private void jar(final String name, final String className, final String source) throws IOException
    {
        final Path plugins = Files.createDirectories(dir.resolve("plugins"));
        final String simpleName = className.substring(className.lastIndexOf('.') + 1);
        PluginJars.build(Map.of(className, "package " + className.substring(0, className.lastIndexOf('.')) +
            ";\n" + source.replace("class " + simpleName, "class " + simpleName)), plugins.resolve(name));
    }

    private Path pipeline(final String className, final String extra) throws IOException
    {
        final Path file = dir.resolve("risk.yaml");
        Files.writeString(file, String.join("\n",
            "source:",
            "  topics: [in]",
            "  format: json",
            "sink:",
            "  topic: out",
            "tasks:",
            "  - type: function",
            "    class: " + className,
            "") + extra);
        return file;
    }
}
