package dev.ringflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A model pushed to a running daemon's model topic, then the daemon SIGKILLed mid-stream and restarted: every output
 * is there exactly once, names the model version that scored it, and its score is that version's prediction; the
 * events before the push have the old model and those after it the new one, across the crash; and a replay of the
 * journal gives the very bytes the daemon committed to Kafka.
 */
@Timeout(300)
class ModelHotSwapDaemonTest extends DaemonTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT = "payments";
    private static final String OUTPUT = "scored";
    private static final String MODELS = "ringflow-models";
    private static final int PHASE = 2_000;
    private static final Map<String, double[]> WEIGHTS = Map.of(
        "fraud-v1", new double[] { -2.0, 0.01, 0.5 },
        "fraud-v2", new double[] { 1.0, -0.02, 0.25 });

    private int runs;

    private static String model(final String version)
    {
        final double[] w = WEIGHTS.get(version);
        return String.format(Locale.ROOT, "{\"format\": \"ringflow-linear\", \"version\": \"%s\", \"link\": " +
            "\"logistic\", \"bias\": %s, \"features\": [\"amount\", \"n\"], \"weights\": [%s, %s]}",
            version, w[0], w[1], w[2]);
    }

    @Test
    void shouldScoreWithTheNamedVersionAcrossASwapAndACrash() throws Exception
    {
        final long seed = TestSeeds.seed("ModelHotSwapDaemonTest");
        final Random random = new Random(seed);
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
        broker.createTopic(INPUT, 3);
        final KafkaTestSupport kafka = new KafkaTestSupport(broker.bootstrapServers());
        Files.writeString(dir.resolve("fraud.json"), model("fraud-v1"));
        final Path v2 = Files.writeString(dir.resolve("fraud-v2.json"), model("fraud-v2"));
        final Path pipeline = Files.writeString(dir.resolve("fraud.yaml"), "name: fraud\n" +
            "source: {topics: [" + INPUT + "], format: json}\n" +
            "tasks:\n" +
            "  - {type: score, model: fraud.json, output-field: fraud, model-topic: " + MODELS + "}\n" +
            "sink: {topic: " + OUTPUT + ", dead-letter-topic: scored-dead}\n" +
            "journal: {snapshot-interval-ms: 500}\n");
        final Path journal = dir.resolve("journal");

        daemon = start(pipeline, journal);
        kafka.produce(INPUT, events(random, 0));
        kafka.readUntil(OUTPUT, read -> read.size() >= PHASE, 90_000);

        final int pushed = RingflowCommand.execute("model", "push", "--topic", MODELS, "--task", "fraud",
            "--bootstrap-servers", broker.bootstrapServers(), v2.toString());
        assertThat(pushed).isZero();
        KafkaTestSupport.awaitUntil("the daemon swaps to fraud-v2", () -> log().contains("model swapped by model " +
            "topic " + MODELS), 60_000);

        kafka.produce(INPUT, events(random, PHASE));
        kafka.readUntil(OUTPUT, read -> read.size() >= PHASE + PHASE / 4, 90_000);
        daemon.destroyForcibly();
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();

        daemon = start(pipeline, journal);
        kafka.produce(INPUT, events(random, 2 * PHASE));
        final List<KafkaTestSupport.Read> outputs = kafka.readUntil(OUTPUT, read -> read.size() >= 3 * PHASE,
            120_000);
        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).as(log()).isZero();
        assertThat(log()).as("a clean stop kills no thread").doesNotContain("Exception in thread");
        assertThat(kafka.readAll(OUTPUT)).as("nothing more than one output per input").hasSize(3 * PHASE);

        final TreeSet<Integer> ids = new TreeSet<>();
        final Map<String, List<String>> versionsByKey = new HashMap<>();
        for (final KafkaTestSupport.Read output : outputs)
        {
            final JsonNode event = JSON.readTree(output.value());
            final int id = event.get("id").asInt();
            assertThat(ids.add(id)).as("output of input %d once, seed %d", id, seed).isTrue();
            final String version = event.get("fraud_model_version").asText();
            assertThat(version).as(() -> "input " + id + ", pushed after input " + PHASE + "; what the daemons said " +
                    "about models, snapshots and recovery:\n" + modelLines())
                .isEqualTo(id < PHASE ? "fraud-v1" : "fraud-v2");
            final double[] w = WEIGHTS.get(version);
            final double margin = w[0] + w[1] * event.get("amount").asDouble() + w[2] * event.get("n").asDouble();
            assertThat(event.get("fraud").asDouble()).as("%s", event).isCloseTo(1 / (1 + Math.exp(-margin)),
                within(1e-12));
            versionsByKey.computeIfAbsent(output.key(), k -> new ArrayList<>()).add(version);
        }
        assertThat(ids).hasSize(3 * PHASE).first().isEqualTo(0);
        assertThat(ids.last()).isEqualTo(3 * PHASE - 1);

        final Path replayed = dir.resolve("replay.jsonl");
        final PrintStream err = System.err;
        final ByteArrayOutputStream replayLog = new ByteArrayOutputStream();
        System.setErr(new PrintStream(replayLog, true, StandardCharsets.UTF_8));
        final int replay;
        try
        {
            replay = RingflowCommand.execute("replay", "--journal", journal.toString(), "--pipeline",
                pipeline.toString(), "--out", replayed.toString(), "--no-progress");
        }
        finally
        {
            System.setErr(err);
        }
        assertThat(replay).as(replayLog.toString(StandardCharsets.UTF_8)).isZero();
        final Map<String, List<String>> fromReplay = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(replayed, StandardCharsets.UTF_8))
        {
            final JsonNode record = JSON.readTree(line);
            if (OUTPUT.equals(record.get("topic").asText()))
            {
                fromReplay.computeIfAbsent(record.get("key").asText(), k -> new ArrayList<>())
                    .add(record.get("value").asText());
            }
        }
        assertThat(fromReplay).as("the replay's outputs").isEqualTo(KafkaTestSupport.valuesByKey(outputs));
    }

    /** {@value #PHASE} payments with ids from {@code first}, keyed by card. */
    private static List<String[]> events(final Random random, final int first)
    {
        final List<String[]> events = new ArrayList<>();
        for (int i = first; i < first + PHASE; i++)
        {
            events.add(new String[] { "card-" + random.nextInt(40), String.format(Locale.ROOT,
                "{\"id\":%d,\"amount\":%d,\"n\":%d}", i, random.nextInt(1000), random.nextInt(10)) });
        }
        return events;
    }

    private Process start(final Path pipeline, final Path journal) throws Exception
    {
        runs++;
        return new ProcessBuilder(DaemonProcessTest.ringflowCommand(List.of("run", "--pipeline", pipeline.toString(),
            "--bootstrap-servers", broker.bootstrapServers(), "--journal-dir", journal.toString(),
            "--status-interval", "0")))
            .redirectOutput(dir.resolve("stdout-" + runs + ".txt").toFile())
            .redirectError(dir.resolve("stderr-" + runs + ".txt").toFile())
            .start();
    }

    /** The lines of every run's log about models, snapshots and recovery: what explains a version. */
    private String modelLines()
    {
        final StringBuilder lines = new StringBuilder();
        for (int run = 1; run <= runs; run++)
        {
            try
            {
                for (final String line : Files.readAllLines(dir.resolve("stderr-" + run + ".txt")))
                {
                    if (line.contains("model") || line.contains("snapshot") || line.contains("recover"))
                    {
                        lines.append("run ").append(run).append(": ").append(line).append('\n');
                    }
                }
            }
            catch (final java.io.IOException ex)
            {
                lines.append("run ").append(run).append(": ").append(ex).append('\n');
            }
        }
        return lines.toString();
    }

    private String log()
    {
        try
        {
            final Path file = dir.resolve("stderr-" + runs + ".txt");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (final java.io.IOException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
