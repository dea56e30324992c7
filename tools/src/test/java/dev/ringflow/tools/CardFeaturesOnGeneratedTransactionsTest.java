package dev.ringflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.stage.PipelineProcessor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * examples/card-features.yaml as shipped runs on what {@code ringflow produce --generator transactions} writes, as a
 * user would feed it: no event is bad input, each output's {@code amount_eur} is its {@code amount * fx}, and the
 * large ones are routed to card-review, counted naively from the generated lines.
 */
class CardFeaturesOnGeneratedTransactionsTest
{
    private static final int RECORDS = 20_000;
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void shouldProcessTheGeneratorsTransactionsWithoutBadInput() throws Exception
    {
        final long seed = TestSeeds.seed("CardFeaturesOnGeneratedTransactionsTest");
        final PipelineProcessor processor = new PipelineProcessor(PipelineFile.load(
            SeedPipelinesTest.EXAMPLES.resolve("card-features.yaml")));
        final TransactionGenerator generator = new TransactionGenerator(seed, TransactionGenerator.DEFAULT_CARDS);
        final EventSlot slot = new EventSlot();
        int routed = 0;
        int expectedRouted = 0;
        int foreignCurrency = 0;
        for (int i = 0; i < RECORDS; i++)
        {
            final String line = generator.next().toJson();
            final JsonNode in = JACKSON.readTree(line);
            final double amountEur = in.get("amount").asDouble() * in.get("fx").asDouble();
            expectedRouted += amountEur > 1000 ? 1 : 0;
            foreignCurrency += in.get("fx").asDouble() != 1 ? 1 : 0;
            slot.input("card-transactions", 0, i, in.get("ts").asLong(),
                in.get("card").asText().getBytes(StandardCharsets.UTF_8), line.getBytes(StandardCharsets.UTF_8));
            processor.process(slot);
            final OutputList outputs = processor.outputs();
            final String at = "seed " + seed + " transaction " + i + " " + line;
            assertThat(outputs.count(OutputList.DEAD_LETTER)).as(at + ": %s", outputs.errorReason()).isZero();
            assertThat(outputs.count(OutputList.OUTPUT)).as(at).isEqualTo(1);
            routed += outputs.count(OutputList.ROUTED);
            for (int o = 0; o < outputs.size(); o++)
            {
                if (outputs.kind(o) == OutputList.OUTPUT)
                {
                    final JsonNode out = JACKSON.readTree(outputs.value(o).toUtf8String());
                    assertThat(out.get("amount_eur").asDouble()).as(at).isCloseTo(amountEur, within(1e-9));
                    assertThat(out.has("fx")).as(at + ": fx is dropped").isFalse();
                    assertThat(out.get("amt_5_count").asInt()).as(at).isBetween(1, 5);
                }
            }
        }
        assertThat(routed).as("seed %d", seed).isEqualTo(expectedRouted).isPositive();
        assertThat(foreignCurrency).as("transactions in another currency than the euro").isGreaterThan(RECORDS / 10);
    }
}
