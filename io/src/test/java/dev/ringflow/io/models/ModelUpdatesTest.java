package dev.ringflow.io.models;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.InMemorySink;
import dev.ringflow.engine.InMemorySource;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Watched model files and directories reach a running engine: a rewritten file swaps once, a directory's newest
 * file wins, and a file that is not a valid model (or does not fit the task) is refused while the old model serves.
 */
@Timeout(60)
class ModelUpdatesTest
{
    @TempDir
    Path dir;

    private Engine engine;
    private ModelUpdates updates;
    private final InMemorySource source = new InMemorySource();
    private final InMemorySink sink = new InMemorySink();
    private long offset;

    @AfterEach
    void stop()
    {
        if (null != updates)
        {
            updates.close();
        }
        if (null != engine)
        {
            engine.close();
        }
    }

    private static String model(final String version, final String secondFeature)
    {
        return String.format(Locale.ROOT, "{\"format\": \"ringflow-linear\", \"version\": \"%s\", \"link\": " +
            "\"identity\", \"bias\": 0, \"features\": [\"amount\", \"%s\"], \"weights\": [1, 1]}", version,
            secondFeature);
    }

    private void start(final String model) throws Exception
    {
        final Path file = Files.writeString(dir.resolve("p.yaml"), "name: p\n" +
            "source: {topics: [in], format: json}\n" +
            "tasks:\n" +
            "  - {type: score, model: " + model + ", watch: true}\n" +
            "sink: {topic: out}\n");
        final PipelineSpec spec = PipelineFile.load(file);
        engine = Engine.start(spec, source, sink);
        updates = ModelUpdates.start(engine, spec, 50);
        assertThat(updates).isNotNull();
    }

    /** The version that scores the next event. */
    private String versionNow()
    {
        final int before = sink.outputs().size();
        source.offer(new InMemorySource.Record("in", 0, offset, offset, null,
            "{\"amount\":1,\"n\":2}".getBytes(StandardCharsets.UTF_8)));
        offset++;
        awaitUntil(() -> sink.outputs().size() > before);
        final String value = sink.outputs().get(before).valueText();
        final int at = value.indexOf("\"model_version\":\"") + "\"model_version\":\"".length();
        return value.substring(at, value.indexOf('"', at));
    }

    private void awaitVersion(final String version)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!version.equals(versionNow()))
        {
            if (System.nanoTime() > deadline)
            {
                fail("the engine did not switch to " + version);
            }
        }
    }

    private static void awaitUntil(final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("condition not met within 20 s");
            }
            Thread.onSpinWait();
        }
    }

    /** Rewrites a file with a later modification time, as an editor or a deployment would. */
    private static void rewrite(final Path file, final String text, final int secondsLater) throws Exception
    {
        final FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + secondsLater * 1000L));
    }

    @Test
    void shouldSwapARewrittenFileAndRefuseBadOnes() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("m.json"), model("v1", "n"));
        start("m.json");
        assertThat(versionNow()).isEqualTo("v1");

        rewrite(file, model("v2", "n"), 2);
        awaitVersion("v2");

        rewrite(file, "{\"format\": \"ringflow-linear\", \"version\": \"v3\"", 4);
        rewrite(file, model("v4", "count"), 6);
        // Neither a truncated file nor a model of other features replaces v2; a good one then does.
        rewrite(file, model("v5", "n"), 8);
        awaitVersion("v5");
        assertThat(sink.outputs()).noneMatch(o -> o.valueText().contains("\"v3\"") || o.valueText().contains("\"v4\""));
        assertThat(engine.hasFailed()).isFalse();
    }

    @Test
    void shouldTakeTheNewestFileOfADirectory() throws Exception
    {
        final Path models = Files.createDirectories(dir.resolve("models"));
        Files.writeString(models.resolve("fraud-0001.json"), model("v1", "n"));
        start("models");
        assertThat(versionNow()).isEqualTo("v1");

        Files.writeString(models.resolve(".fraud-0002.json.tmp"), model("partial", "n"));
        Files.writeString(models.resolve("fraud-0002.json"), model("v2", "n"));
        awaitVersion("v2");
        assertThat(sink.outputs()).noneMatch(o -> o.valueText().contains("partial"));
    }
}
