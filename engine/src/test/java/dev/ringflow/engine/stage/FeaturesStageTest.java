package dev.ringflow.engine.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.pipeline.FeaturesTaskSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.windows.Aggregation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The features task attaches each card's last 3 amounts and its last second of amounts to every event: checked
 * against a naive recomputation from every event kept in plain lists, through a snapshot taken mid-stream.
 */
class FeaturesStageTest
{
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final PipelineSpec PIPELINE = PipelineBuilder.named("features").source("in")
        .jsonInput("card", "ts")
        .task(new FeaturesTaskSpec(List.of(
            new FeaturesTaskSpec.Window("amt_3", "amount", 3, 0,
                List.of(Aggregation.COUNT, Aggregation.SUM, Aggregation.MAX, Aggregation.MEAN), false, 0),
            new FeaturesTaskSpec.Window("amt_1s", "amount", 0, 1_000,
                List.of(Aggregation.COUNT, Aggregation.SUM, Aggregation.MIN), false, 0),
            new FeaturesTaskSpec.Window("prev_2", "amount", 2, 0, List.of(Aggregation.MEAN), true, 0))))
        .sink("out").build();

    private final long seed = TestSeeds.seed(getClass().getSimpleName());
    private final Random random = new Random(seed);

    @Test
    void shouldAttachEachKeysHistoryAsTheOracleComputesIt() throws Exception
    {
        PipelineProcessor processor = new PipelineProcessor(PIPELINE);
        final Map<String, List<double[]>> history = new HashMap<>();
        final EventSlot slot = new EventSlot();
        long timeMs = 1_700_000_000_000L;
        int checked = 0;
        for (int i = 0; i < 20_000; i++)
        {
            if (i == 10_000)
            {
                processor = restored(processor);
            }
            timeMs += random.nextInt(5) == 0 ? random.nextInt(2_000) : random.nextInt(100);
            final String card = "c" + random.nextInt(7);
            final boolean hasAmount = random.nextInt(10) != 0;
            final double amount = random.nextInt(100_000) / 100.0;
            final String value = "{\"card\":\"" + card + "\",\"ts\":" + timeMs +
                (hasAmount ? ",\"amount\":" + amount : "") + "}";
            slot.input("in", 0, i, 0, null, value.getBytes(StandardCharsets.UTF_8));
            processor.process(slot);

            final List<double[]> previous = history.computeIfAbsent(card, c -> new ArrayList<>());
            final List<double[]> seen = new ArrayList<>(previous);
            if (hasAmount)
            {
                seen.add(new double[] {timeMs, amount});
            }
            final OutputList outputs = processor.outputs();
            assertThat(outputs.size()).isEqualTo(1);
            assertThat(outputs.kind(0)).isEqualTo(OutputList.OUTPUT);
            final JsonNode out = JACKSON.readTree(outputs.value(0).toUtf8String());
            final List<double[]> last3 = seen.subList(Math.max(0, seen.size() - 3), seen.size());
            assertThat(out.get("amt_3_count").asLong()).isEqualTo(last3.size());
            assertAggregate(out, "amt_3_sum", last3, "sum");
            assertAggregate(out, "amt_3_max", last3, "max");
            assertAggregate(out, "amt_3_mean", last3, "mean");
            final long now = timeMs;
            final List<double[]> lastSecond = seen.stream().filter(e -> e[0] > now - 1_000).toList();
            assertThat(out.get("amt_1s_count").asLong()).isEqualTo(lastSecond.size());
            assertAggregate(out, "amt_1s_sum", lastSecond, "sum");
            assertAggregate(out, "amt_1s_min", lastSecond, "min");
            assertAggregate(out, "prev_2_mean", previous.subList(Math.max(0, previous.size() - 2), previous.size()),
                "mean");
            if (hasAmount)
            {
                previous.add(new double[] {timeMs, amount});
            }
            checked++;
        }
        assertThat(checked).isEqualTo(20_000);
    }

    private static void assertAggregate(final JsonNode out, final String field, final List<double[]> elements,
        final String aggregation)
    {
        final JsonNode node = out.get(field);
        if (elements.isEmpty())
        {
            assertThat(node.isNull()).as(field + " of an empty window, in " + out).isTrue();
            return;
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (final double[] element : elements)
        {
            sum += element[1];
            min = Math.min(min, element[1]);
            max = Math.max(max, element[1]);
        }
        final double expected = switch (aggregation)
        {
            case "sum" -> sum;
            case "mean" -> sum / elements.size();
            case "min" -> min;
            default -> max;
        };
        assertThat(node.asDouble()).as(field + " in " + out).isCloseTo(expected, within(1e-9 * Math.max(1, sum)));
    }

    private static PipelineProcessor restored(final PipelineProcessor processor) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        processor.writeState(new DataOutputStream(bytes));
        final PipelineProcessor restored = new PipelineProcessor(PIPELINE);
        restored.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        return restored;
    }
}
