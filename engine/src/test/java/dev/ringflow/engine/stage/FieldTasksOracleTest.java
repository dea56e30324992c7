package dev.ringflow.engine.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The field tasks (filter where, set, drop, select, key-by, route) against a naive implementation over Jackson's
 * tree model, on random events with missing fields, nulls, strings where numbers belong and garbage: every event
 * produces the same records (kind, topic, key and JSON value) in the same order.
 */
class FieldTasksOracleTest
{
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final PipelineSpec PIPELINE = PipelineBuilder.named("cards").source("in").jsonInput(null, null)
        .where("amount is not null and amount * fx > 100 and country != 'FR'")
        .set("amount_eur", "amount * fx", "big", "amount * fx > 1000", "tag", "lower(country)")
        .drop("fx")
        .keyBy("country")
        .route("big", "review", true)
        .route("amount_eur > 5000", "huge", false)
        .route("amount_eur > 3000", "large", true)
        // Changed after a route that goes on: the output must not be the routed record's bytes.
        .set("checked", "amount_eur > 4000")
        .sink("out").build();
    private static final PipelineSpec SELECTED = PipelineBuilder.named("selected").source("in").jsonInput(null, null)
        .set("total", "amount + 1").keyBy("amount").select("total", "country").sink("out").build();

    private final long seed = TestSeeds.seed(getClass().getSimpleName());
    private final Random random = new Random(seed);

    @Test
    void shouldMatchTheOracleOnRandomEvents() throws Exception
    {
        final PipelineProcessor processor = new PipelineProcessor(PIPELINE);
        final PipelineProcessor selected = new PipelineProcessor(SELECTED);
        final EventSlot slot = new EventSlot();
        final int[] kinds = new int[5];
        for (int i = 0; i < 50_000; i++)
        {
            final String value = event();
            slot.input("in", 0, i, 1_000 + i, null, value.getBytes(StandardCharsets.UTF_8));
            processor.process(slot);
            final List<String> actual = records(processor.outputs());
            assertThat(actual).as("event %s", value).isEqualTo(oracle(value));
            for (int r = 0; r < processor.outputs().size(); r++)
            {
                kinds[processor.outputs().kind(r)]++;
            }
            selected.process(slot);
            assertThat(records(selected.outputs())).as("event %s", value).isEqualTo(selectedOracle(value));
        }
        System.out.println("outputs " + kinds[OutputList.OUTPUT] + ", dead letters " + kinds[OutputList.DEAD_LETTER] +
            ", routed " + kinds[OutputList.ROUTED]);
        assertThat(kinds[OutputList.OUTPUT]).isGreaterThan(2_000);
        assertThat(kinds[OutputList.DEAD_LETTER]).isGreaterThan(2_000);
        assertThat(kinds[OutputList.ROUTED]).isGreaterThan(2_000);
    }

    @Test
    void shouldAllocateNothingPerEventInSteadyState()
    {
        final PipelineProcessor processor = new PipelineProcessor(PIPELINE);
        final byte[][] events = new byte[1_000][];
        for (int i = 0; i < events.length; i++)
        {
            // Amounts as 17-digit doubles and as prices, fields missing, strings, nested objects, garbage.
            events[i] = event().getBytes(StandardCharsets.UTF_8);
        }
        final EventSlot slot = new EventSlot();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        long outputs = 0;
        for (int round = 0; round < 2; round++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < 1_000_000; i++)
            {
                final byte[] value = events[i % events.length];
                slot.input("in", 0, i, i, null, value);
                processor.process(slot);
                outputs += processor.outputs().size();
            }
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            if (round == 1)
            {
                // The first round warms up (pools and buffers grow); the second must allocate nothing.
                assertThat(allocated).as("bytes allocated by 1,000,000 events").isLessThan(1_024);
            }
        }
        assertThat(outputs).isPositive();
    }

    private static List<String> records(final OutputList outputs) throws Exception
    {
        final List<String> records = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++)
        {
            final int kind = outputs.kind(i);
            final String key = outputs.key(i).isNull() ? null : outputs.key(i).toUtf8String();
            if (kind == OutputList.DEAD_LETTER)
            {
                records.add("dead letter");
                continue;
            }
            final String topic = kind == OutputList.ROUTED ? outputs.reason(i) : "out";
            records.add(topic + " " + key + " " + normalised(JACKSON.readTree(outputs.value(i).toUtf8String())));
        }
        return records;
    }

    /** Members in order, numbers as doubles: what a consumer reading the JSON sees. */
    private static String normalised(final JsonNode node)
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        final Iterator<Map.Entry<String, JsonNode>> members = node.fields();
        while (members.hasNext())
        {
            final Map.Entry<String, JsonNode> member = members.next();
            final JsonNode value = member.getValue();
            fields.put(member.getKey(), value.isNumber() ? (Object)value.doubleValue() : value.toString());
        }
        return fields.toString();
    }

    /** The pipeline, naively: Jackson's tree, Java arithmetic, plain conditions. */
    private static List<String> oracle(final String value)
    {
        final ObjectNode event = parse(value);
        if (null == event)
        {
            return List.of("dead letter");
        }
        final JsonNode amount = event.get("amount");
        if (null == amount || amount.isNull())
        {
            return List.of();
        }
        final JsonNode fx = event.get("fx");
        final JsonNode country = event.get("country");
        if (!amount.isNumber() || null == fx || !fx.isNumber())
        {
            return List.of("dead letter");
        }
        final double eur = amount.doubleValue() * fx.doubleValue();
        if (!(eur > 100))
        {
            return List.of();
        }
        if (null == country || !country.isTextual())
        {
            return List.of("dead letter");
        }
        if (country.textValue().equals("FR"))
        {
            return List.of();
        }
        event.put("amount_eur", eur);
        event.put("big", eur > 1000);
        event.put("tag", country.textValue().toLowerCase(Locale.ROOT));
        event.remove("fx");
        final String key = country.textValue();
        final List<String> records = new ArrayList<>();
        if (eur > 1000)
        {
            records.add("review " + key + " " + normalised(event));
        }
        if (eur > 5000)
        {
            records.add("huge " + key + " " + normalised(event));
            return records;
        }
        if (eur > 3000)
        {
            records.add("large " + key + " " + normalised(event));
        }
        event.put("checked", eur > 4000);
        records.add("out " + key + " " + normalised(event));
        return records;
    }

    private static List<String> selectedOracle(final String value)
    {
        final ObjectNode event = parse(value);
        if (null == event)
        {
            return List.of("dead letter");
        }
        final JsonNode amount = event.get("amount");
        if (null == amount || !amount.isNumber())
        {
            return List.of("dead letter");
        }
        final ObjectNode kept = JACKSON.createObjectNode();
        // select keeps input members in their order, then the fields set, in theirs.
        if (event.has("country"))
        {
            kept.set("country", event.get("country"));
        }
        kept.put("total", amount.doubleValue() + 1);
        return List.of("out " + amount.toString() + " " + normalised(kept));
    }

    private static ObjectNode parse(final String value)
    {
        try
        {
            return JACKSON.readTree(value) instanceof ObjectNode object ? object : null;
        }
        catch (final Exception ex)
        {
            return null;
        }
    }

    private String event()
    {
        if (random.nextInt(50) == 0)
        {
            return random.nextBoolean() ? "not json" : "[1,2]";
        }
        final List<String> members = new ArrayList<>();
        switch (random.nextInt(10))
        {
            case 0 -> { }
            case 1 -> members.add("\"amount\":null");
            case 2 -> members.add("\"amount\":\"12\"");
            default -> members.add("\"amount\":" + (random.nextBoolean() ? Integer.toString(random.nextInt(10_000)) :
                Double.toString(random.nextDouble() * 8_000)));
        }
        if (random.nextInt(12) != 0)
        {
            members.add("\"fx\":" + (random.nextBoolean() ? "1" : Double.toString(0.5 + random.nextDouble())));
        }
        switch (random.nextInt(12))
        {
            case 0 -> { }
            case 1 -> members.add("\"country\":7");
            default -> members.add("\"country\":\"" + new String[] {"FR", "DE", "Us", "\\u00c9S"}[random.nextInt(4)] +
                "\"");
        }
        if (random.nextBoolean())
        {
            members.add("\"merchant\":{\"name\":\"m" + random.nextInt(9) + "\",\"mcc\":" + random.nextInt(9999) + "}");
        }
        if (random.nextBoolean())
        {
            members.add("\"note\":\"a \\\"quoted\\\" line\\n\"");
        }
        java.util.Collections.shuffle(members, random);
        return "{" + String.join(random.nextBoolean() ? "," : " , ", members) + "}";
    }
}
