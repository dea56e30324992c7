package dev.ringflow.tools;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.InMemorySource;
import dev.ringflow.engine.Sink;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.io.journal.ChronicleJournal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringflow model export} on the snapshot a stopped engine left on disk: both kinds of learn task, against a
 * processor fed the same events, and each way it can fail with its exit code.
 */
class ModelCommandTest
{
    private static final int EVENTS = 3_000;
    private static final Path DIR = Path.of("target", "model-command-test");
    private static final Path PIPELINE = DIR.resolve("cards.yaml");
    private static final Path JOURNAL = DIR.resolve("journal");
    private static PipelineProcessor expected;

    @BeforeAll
    static void runAPipelineAndStopIt() throws Exception
    {
        RingflowCommand.quietChronicle();
        deleteRecursively(DIR);
        Files.createDirectories(DIR);
        Files.writeString(PIPELINE, String.join("\n",
            "name: cards",
            "source:",
            "  topics: [in]",
            "  format: json",
            "  key-field: card",
            "tasks:",
            "  - type: learn",
            "    name: fraud",
            "    features: [amount, hour]",
            "    label-field: label",
            "    learning-rate: 0.05",
            "  - type: learn",
            "    features: [amount]",
            "    label-field: label",
            "    per-key: true",
            "    adagrad: true",
            "    output-field: card_score",
            "sink:",
            "  topic: out",
            "journal:",
            "  dir: " + JOURNAL.toAbsolutePath(),
            "  snapshot-interval-ms: 600000",
            ""));
        final PipelineSpec spec = PipelineFile.load(PIPELINE);
        expected = new PipelineProcessor(spec);
        final InMemorySource source = new InMemorySource();
        final Engine engine = Engine.start(spec, source, new DiscardingSink(), ChronicleJournal.open(spec.journal()));
        final Random random = new Random(TestSeeds.seed("ModelCommandTest"));
        final EventSlot slot = new EventSlot();
        for (int i = 0; i < EVENTS; i++)
        {
            final boolean fraud = random.nextInt(5) == 0;
            final String value = "{\"card\":\"c" + random.nextInt(4) + "\",\"amount\":" +
                (fraud ? 50 : 0) + random.nextInt(60) + ",\"hour\":" + random.nextInt(24) +
                (random.nextBoolean() ? ",\"label\":" + fraud : "") + "}";
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            source.offer(new InMemorySource.Record("in", 0, i, i, null, bytes));
            slot.input("in", 0, i, i, null, bytes);
            expected.process(slot);
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (engine.counters().eventsIn() < EVENTS && System.nanoTime() < deadlineNs)
        {
            Thread.onSpinWait();
        }
        assertThat(engine.counters().eventsIn()).isEqualTo(EVENTS);
        // A clean stop writes a snapshot of the final state.
        engine.close();
        assertThat(engine.failure()).isNull();
    }

    @Test
    void shouldWriteThePipelineModelByNameAsTheEngineLearntIt() throws Exception
    {
        final Path out = DIR.resolve("fraud.json");

        final Result result = run("model", "export", "--journal-dir", JOURNAL.toString(), "--pipeline",
            PIPELINE.toString(), "--task", "fraud", "-o", out.toString());

        assertThat(result.code).as(result.err).isEqualTo(RingflowCommand.EXIT_OK);
        assertThat(Files.readString(out)).isEqualTo(expected.learnedModel("fraud", null).json() + "\n")
            .contains("\"format\":\"ringflow-linear\"").contains("\"features\":[\"amount\",\"hour\"]");
        assertThat(result.err).contains("model " + expected.learnedModel("fraud", null).version());
    }

    @Test
    void shouldWriteAKeysModelByTaskIndexToStdout()
    {
        final Result result = run("model", "export", "--journal-dir", JOURNAL.toString(), "--pipeline",
            PIPELINE.toString(), "--task", "1", "--key", "c2");

        assertThat(result.code).as(result.err).isEqualTo(RingflowCommand.EXIT_OK);
        assertThat(result.out.trim()).isEqualTo(expected.learnedModel("1", "c2").json());
        assertThat(result.err).contains("model learn@");
    }

    @Test
    void shouldSayWhatIsWrongWithItsExitCode() throws Exception
    {
        final String[] common = { "model", "export", "--journal-dir", JOURNAL.toString(), "--pipeline",
            PIPELINE.toString() };
        assertThat(run(concat(common, "--task", "nope"))).satisfies(r ->
        {
            assertThat(r.code).isEqualTo(RingflowCommand.EXIT_USAGE);
            assertThat(r.err).contains("no learn task 'nope'");
        });
        assertThat(run(concat(common, "--task", "1"))).satisfies(r ->
        {
            assertThat(r.code).isEqualTo(RingflowCommand.EXIT_USAGE);
            assertThat(r.err).contains("one model per key: give --key");
        });
        assertThat(run(concat(common, "--task", "1", "--key", "c9"))).satisfies(r ->
        {
            assertThat(r.code).isEqualTo(RingflowCommand.EXIT_FAILURE);
            assertThat(r.err).contains("no model for key 'c9'");
        });
        final Path empty = DIR.resolve("empty-journal");
        Files.createDirectories(empty);
        assertThat(run("model", "export", "--journal-dir", empty.toString(), "--pipeline", PIPELINE.toString(),
            "--task", "fraud")).satisfies(r ->
        {
            assertThat(r.code).isEqualTo(RingflowCommand.EXIT_FAILURE);
            assertThat(r.err).contains("no snapshot in");
        });
        assertThat(run("model", "export", "--help").out).contains("--journal-dir").contains("Exit codes");
        assertThat(run("model")).satisfies(r ->
        {
            assertThat(r.code).isEqualTo(RingflowCommand.EXIT_USAGE);
            assertThat(r.err).contains("export");
        });
    }

    private static String[] concat(final String[] first, final String... rest)
    {
        final String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    private record Result(int code, String out, String err)
    {
    }

    private static synchronized Result run(final String... args)
    {
        final PrintStream stdout = System.out;
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        try
        {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            final int code = RingflowCommand.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private static void deleteRecursively(final Path dir) throws Exception
    {
        if (Files.exists(dir))
        {
            try (var paths = Files.walk(dir))
            {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Takes every record and forgets it. */
    private static final class DiscardingSink implements Sink
    {
        @Override
        public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
            final String reason, final EventSlot source)
        {
        }

        @Override
        public void onEndOfBatch()
        {
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    }
}
