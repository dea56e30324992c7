package dev.ringflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transaction generator against its documented fraud rule, checked on the JSON lines as a consumer reads them;
 * and {@code ringflow produce --generator transactions --out}.
 */
class TransactionGeneratorTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS = 50_000;

    @TempDir
    Path tmp;

    @Test
    void shouldFollowTheDocumentedFraudRuleWithRisingTimesAndAFewPercentFraud() throws Exception
    {
        final long seed = TestSeeds.seed("shouldFollowTheDocumentedFraudRuleWithRisingTimesAndAFewPercentFraud");
        final List<JsonNode> lines = parse(lines(seed, RECORDS));
        long lastTs = Long.MIN_VALUE;
        final Map<String, List<JsonNode>> byCard = new HashMap<>();
        for (final JsonNode line : lines)
        {
            assertThat(line.get("ts").asLong()).as("seed " + seed + " " + line).isGreaterThan(lastTs);
            lastTs = line.get("ts").asLong();
            assertThat(line.get("amount").asDouble()).isPositive();
            // The documented rates to euros; 1 in the euro countries.
            assertThat(line.get("fx").asDouble()).as("seed " + seed + " " + line).isEqualTo(switch (line.get("country")
                .asText())
                {
                    case "GB" -> 1.17;
                    case "US" -> 0.92;
                    case "BR" -> 0.17;
                    case "NG" -> 0.00058;
                    case "RU" -> 0.0098;
                    case "CN" -> 0.13;
                    case "DE", "FR", "NL", "ES", "IT" -> 1.0;
                    default -> Double.NaN;
                });
            byCard.computeIfAbsent(line.get("card").asText(), card -> new ArrayList<>()).add(line);
        }
        final long frauds = lines.stream().filter(TransactionGeneratorTest::fraud).count();
        assertThat((double)frauds / RECORDS).as("seed " + seed).isBetween(0.02, 0.045);

        long fraudAbroad = 0;
        long ordinaryAbroad = 0;
        for (final List<JsonNode> card : byCard.values())
        {
            // The card's usual amount: the median of its ordinary transactions, 1% of which are 3-6x big purchases.
            final double[] ordinary = card.stream().filter(line -> !fraud(line))
                .mapToDouble(line -> line.get("amount").asDouble()).sorted().toArray();
            final double median = ordinary.length == 0 ? Double.NaN : ordinary[ordinary.length / 2];
            long lastFraudTs = Long.MIN_VALUE / 2;
            for (final JsonNode line : card)
            {
                final boolean abroad = !line.get("country").asText().equals(line.get("card_country").asText());
                if (!fraud(line))
                {
                    ordinaryAbroad += abroad ? 1 : 0;
                    continue;
                }
                fraudAbroad += abroad ? 1 : 0;
                // 4-12x the usual amount, against a median of log-normal spread: well over twice it.
                if (ordinary.length >= 20)
                {
                    assertThat(line.get("amount").asDouble()).as("seed " + seed + " " + line).isGreaterThan(2 * median);
                }
                assertThat(line.get("ts").asLong() - lastFraudTs).as("seed " + seed + " " + line)
                    .isGreaterThanOrEqualTo(30_000);
                lastFraudTs = line.get("ts").asLong();
            }
        }
        assertThat((double)fraudAbroad / frauds).as("seed " + seed).isBetween(0.7, 0.9);
        assertThat((double)ordinaryAbroad / (RECORDS - frauds)).as("seed " + seed).isBetween(0.02, 0.08);
    }

    @Test
    void shouldGiveTheSameTransactionsForTheSameSeedAndOthersForAnother()
    {
        final long seed = TestSeeds.seed("shouldGiveTheSameTransactionsForTheSameSeedAndOthersForAnother");
        assertThat(lines(seed, 2000)).isEqualTo(lines(seed, 2000));
        assertThat(lines(seed, 2000)).isNotEqualTo(lines(seed + 1, 2000));
    }

    @Test
    void shouldWriteTheGeneratorsLinesToAFileWithProduceOut() throws Exception
    {
        final Path file = tmp.resolve("transactions.jsonl");

        final int exit = RingflowCommand.execute("produce", "--generator", "transactions", "--records", "1000",
            "--seed", "5", "--cards", "50", "--out", file.toString());

        assertThat(exit).isEqualTo(RingflowCommand.EXIT_OK);
        final TransactionGenerator generator = new TransactionGenerator(5, 50);
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++)
        {
            expected.add(generator.next().toJson());
        }
        assertThat(Files.readAllLines(file)).isEqualTo(expected);
    }

    @Test
    void shouldRefuseAnUnknownGeneratorAndAMissingTopic()
    {
        assertThat(RingflowCommand.execute("produce", "--generator", "payments", "--out", tmp.resolve("x").toString()))
            .isEqualTo(RingflowCommand.EXIT_USAGE);
        assertThat(RingflowCommand.execute("produce", "--generator", "transactions"))
            .isEqualTo(RingflowCommand.EXIT_USAGE);
        assertThat(Files.exists(tmp.resolve("x"))).isFalse();
    }

    private static boolean fraud(final JsonNode line)
    {
        final int label = line.get("is_fraud").asInt();
        assertThat(label).isIn(0, 1);
        return label == 1;
    }

    private static List<String> lines(final long seed, final int count)
    {
        final TransactionGenerator generator = new TransactionGenerator(seed, TransactionGenerator.DEFAULT_CARDS);
        final List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            lines.add(generator.next().toJson());
        }
        return lines;
    }

    private static List<JsonNode> parse(final List<String> lines) throws Exception
    {
        final List<JsonNode> parsed = new ArrayList<>(lines.size());
        for (final String line : lines)
        {
            parsed.add(JSON.readTree(line));
        }
        return parsed;
    }
}
