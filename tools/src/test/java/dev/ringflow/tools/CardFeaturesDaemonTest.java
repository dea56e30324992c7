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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The card-features example on the real daemon and an embedded broker, changed while it runs, then replayed.
 * <p>
 * Card transactions (some filtered out, some garbage) go through the example pipeline; half way, {@code ringflow
 * pipeline apply} lowers the threshold of {@code big} (and so of the route to card-review) and adds a feature window.
 * Every output on both topics is checked against a naive recomputation: the feature window that did not change keeps
 * each card's history across the switch, the added one starts empty. Then a replay of the journal with the original
 * file reproduces the very bytes the daemon wrote to Kafka, switching at the same event.
 */
@Timeout(300)
class CardFeaturesDaemonTest extends DaemonTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT = "card-transactions";
    private static final String OUTPUT = "card-features";
    private static final String REVIEW = "card-review";
    private static final String DEAD = "card-features-dead-letters";
    private static final int EVENTS = 3_000;
    private static final int CARDS = 23;
    private static final long HOUR_MS = 3_600_000L;

    @Test
    void shouldComputeFeaturesAcrossARuntimeChangeAndReplayTheSameBytes() throws Exception
    {
        final long seed = TestSeeds.seed("CardFeaturesDaemonTest");
        final Random random = new Random(seed);
        final List<String[]> events = events(random);
        final int half = EVENTS / 2;
        final Oracle oracle = new Oracle(events, half);

        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
        broker.createTopic(INPUT, 3);
        final KafkaTestSupport kafka = new KafkaTestSupport(broker.bootstrapServers());
        final String v1 = Files.readString(SeedPipelinesTest.EXAMPLES.resolve("card-features.yaml"));
        final String v2 = v1.replace("amount * fx > 1000\"", "amount * fx > 500\"")
            .replace("  - {type: route", "  - type: features\n    value-field: amount_eur\n" +
                "    windows: [{name: amt_3, range: 3, aggregations: [sum]}]\n  - {type: route");
        assertThat(v2).as("the example still has the lines this test changes").contains("> 500").contains("amt_3");
        final Path pipeline = Files.writeString(dir.resolve("card-features.yaml"), v1);
        final Path changed = Files.writeString(dir.resolve("card-features-v2.yaml"), v2);
        final Path journal = dir.resolve("journal");

        daemon = new ProcessBuilder(DaemonProcessTest.ringflowCommand(List.of("run", "--pipeline",
            pipeline.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--journal-dir", journal.toString(),
            "--status-interval", "0")))
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
        kafka.produce(INPUT, events.subList(0, half));
        kafka.readUntil(OUTPUT, read -> read.size() >= oracle.outputsBeforeChange, 90_000);
        KafkaTestSupport.awaitUntil("the admin endpoint's URL", () -> Files.exists(journal.resolve("admin.url")),
            30_000);

        final Captured applied = capture("pipeline", "apply", changed.toString(), "--journal-dir", journal.toString());
        assertThat(applied.exit).as(applied.text).isZero();
        assertThat(applied.text).contains("is unchanged: it keeps its state").contains("state starts empty");
        final Captured invalid = capture("pipeline", "apply", Files.writeString(dir.resolve("bad.yaml"),
            v2.replace("> 500", "> \"x\"")).toString(), "--journal-dir", journal.toString());
        assertThat(invalid.exit).as(invalid.text).isEqualTo(2);
        assertThat(invalid.text).contains("bad.yaml:");

        kafka.produce(INPUT, events.subList(half, EVENTS));
        final List<KafkaTestSupport.Read> outputs = kafka.readUntil(OUTPUT,
            read -> read.size() >= oracle.outputs.size(), 90_000);
        final List<KafkaTestSupport.Read> reviews = kafka.readUntil(REVIEW,
            read -> read.size() >= oracle.reviews.size(), 30_000);
        final List<KafkaTestSupport.Read> dead = kafka.readUntil(DEAD, read -> read.size() >= oracle.garbage, 30_000);

        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).as(read("stderr.txt")).isZero();
        assertThat(read("stderr.txt")).contains("pipeline 'card-features' changed by admin endpoint");

        // Everything, once: read again to the end of the topics.
        assertThat(kafka.readAll(OUTPUT)).hasSameSizeAs(outputs);
        assertThat(kafka.readAll(REVIEW)).hasSameSizeAs(reviews);
        assertThat(dead).hasSize(oracle.garbage);
        oracle.check(byCard(outputs), oracle.outputs, seed);
        oracle.check(byCard(reviews), oracle.reviews, seed);

        final Path replayed = dir.resolve("replay.jsonl");
        final Captured replay = capture("replay", "--journal", journal.toString(), "--pipeline", pipeline.toString(),
            "--out", replayed.toString(), "--no-progress");
        assertThat(replay.exit).as(replay.text).isZero();
        final Map<String, Map<String, List<String>>> fromReplay = new HashMap<>();
        for (final String line : Files.readAllLines(replayed, StandardCharsets.UTF_8))
        {
            final JsonNode record = JSON.readTree(line);
            fromReplay.computeIfAbsent(record.get("topic").asText(), t -> new LinkedHashMap<>())
                .computeIfAbsent(record.get("key").asText(), k -> new ArrayList<>()).add(record.get("value").asText());
        }
        assertThat(fromReplay.get(OUTPUT)).as("replayed features").isEqualTo(KafkaTestSupport.valuesByKey(outputs));
        assertThat(fromReplay.get(REVIEW)).as("replayed reviews").isEqualTo(KafkaTestSupport.valuesByKey(reviews));
    }

    /** Transactions keyed by card; 1 in 100 is not JSON, some have no country or a non-positive amount. */
    private static List<String[]> events(final Random random)
    {
        final List<String[]> events = new ArrayList<>();
        long ts = 1_733_300_000_000L;
        for (int i = 0; i < EVENTS; i++)
        {
            final String card = "4111-" + random.nextInt(CARDS);
            ts += random.nextInt(10_000);
            if (random.nextInt(100) == 0)
            {
                events.add(new String[] { card, "{\"card\":\"" + card + "\",\"amount\":" });
                continue;
            }
            final String amount = String.format(Locale.ROOT, "%.2f", random.nextInt(300_000) / 100.0 - 5);
            final String fx = String.format(Locale.ROOT, "%.2f", 0.9 + random.nextInt(30) / 100.0);
            final String country = random.nextInt(20) == 0 ? "null" : "\"DE\"";
            events.add(new String[] { card, "{\"card\":\"" + card + "\",\"ts\":" + ts + ",\"amount\":" + amount +
                ",\"fx\":" + fx + ",\"country\":" + country + ",\"merchant\":{\"mcc\":5411}}" });
        }
        return events;
    }

    private static Map<String, List<JsonNode>> byCard(final List<KafkaTestSupport.Read> records) throws Exception
    {
        final Map<String, List<JsonNode>> byCard = new HashMap<>();
        for (final KafkaTestSupport.Read record : records)
        {
            final JsonNode event = JSON.readTree(record.value());
            assertThat(record.key()).as("keyed by card").isEqualTo(event.get("card").asText());
            byCard.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(event);
        }
        return byCard;
    }

    /** The example pipeline (and its change) recomputed naively, event by event, with lists per card. */
    private static final class Oracle
    {
        final List<Map<String, Object>> outputs = new ArrayList<>();
        final List<Map<String, Object>> reviews = new ArrayList<>();
        int garbage;
        int outputsBeforeChange;

        Oracle(final List<String[]> events, final int changeAt) throws Exception
        {
            final Map<String, List<double[]>> history = new HashMap<>();
            final Map<String, ArrayDeque<Double>> last3 = new HashMap<>();
            for (int i = 0; i < events.size(); i++)
            {
                if (i == changeAt)
                {
                    outputsBeforeChange = outputs.size();
                }
                final String value = events.get(i)[1];
                if (!value.endsWith("}"))
                {
                    garbage++;
                    continue;
                }
                final JsonNode event = JSON.readTree(value);
                final double amount = event.get("amount").asDouble();
                if (!(amount > 0) || event.get("country").isNull())
                {
                    continue;
                }
                final String card = event.get("card").asText();
                final long ts = event.get("ts").asLong();
                final double eur = amount * event.get("fx").asDouble();
                final boolean changed = i >= changeAt;
                final List<double[]> seen = history.computeIfAbsent(card, c -> new ArrayList<>());
                seen.add(new double[] { ts, eur });
                final Map<String, Object> out = new LinkedHashMap<>();
                out.put("card", card);
                out.put("ts", ts);
                out.put("amount_eur", eur);
                out.put("big", eur > (changed ? 500 : 1000));
                final List<double[]> five = seen.subList(Math.max(0, seen.size() - 5), seen.size());
                out.put("amt_5_count", (double)five.size());
                out.put("amt_5_mean", five.stream().mapToDouble(e -> e[1]).average().orElseThrow());
                out.put("amt_5_max", five.stream().mapToDouble(e -> e[1]).max().orElseThrow());
                final double[] hour = seen.stream().filter(e -> e[0] > ts - HOUR_MS && e[0] <= ts)
                    .mapToDouble(e -> e[1]).toArray();
                out.put("amt_1h_count", (double)hour.length);
                out.put("amt_1h_sum", java.util.Arrays.stream(hour).sum());
                out.put("amt_1h_mean", java.util.Arrays.stream(hour).average().orElseThrow());
                if (changed)
                {
                    final ArrayDeque<Double> three = last3.computeIfAbsent(card, c -> new ArrayDeque<>());
                    three.addLast(eur);
                    if (three.size() > 3)
                    {
                        three.removeFirst();
                    }
                    out.put("amt_3_sum", three.stream().mapToDouble(Double::doubleValue).sum());
                }
                outputs.add(out);
                if ((Boolean)out.get("big"))
                {
                    reviews.add(out);
                }
            }
        }

        void check(final Map<String, List<JsonNode>> actual, final List<Map<String, Object>> expected,
            final long seed)
        {
            final Map<String, List<Map<String, Object>>> byCard = new HashMap<>();
            for (final Map<String, Object> out : expected)
            {
                byCard.computeIfAbsent((String)out.get("card"), c -> new ArrayList<>()).add(out);
            }
            assertThat(actual.keySet()).as("cards, seed %d", seed).isEqualTo(byCard.keySet());
            for (final Map.Entry<String, List<Map<String, Object>>> card : byCard.entrySet())
            {
                final List<JsonNode> got = actual.get(card.getKey());
                assertThat(got).as("outputs of card %s, seed %d", card.getKey(), seed)
                    .hasSameSizeAs(card.getValue());
                for (int i = 0; i < got.size(); i++)
                {
                    final Map<String, Object> want = card.getValue().get(i);
                    final JsonNode event = got.get(i);
                    assertThat(event.has("fx")).as("fx dropped").isFalse();
                    assertThat(event.has("amt_3_sum")).as("%s: amt_3 only after the change", want)
                        .isEqualTo(want.containsKey("amt_3_sum"));
                    for (final Map.Entry<String, Object> field : want.entrySet())
                    {
                        final JsonNode value = event.get(field.getKey());
                        assertThat(value).as("%s in %s, seed %d", field.getKey(), event, seed).isNotNull();
                        if (field.getValue() instanceof Double number)
                        {
                            assertThat(value.asDouble()).as("%s in %s, seed %d", field.getKey(), event, seed)
                                .isCloseTo(number, within(1e-9 * Math.max(1, Math.abs(number))));
                        }
                        else
                        {
                            assertThat(value.asText()).as("%s in %s, seed %d", field.getKey(), event, seed)
                                .isEqualTo(String.valueOf(field.getValue()));
                        }
                    }
                }
            }
        }
    }

    private String read(final String file) throws Exception
    {
        final Path path = dir.resolve(file);
        return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
    }

    /** An exit code and what an in-process command printed, stdout and stderr together. */
    private record Captured(int exit, String text)
    {
    }

    private static Captured capture(final String... args)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try
        {
            return new Captured(RingflowCommand.execute(args), bytes.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
