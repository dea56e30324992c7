package dev.ringflow.engine.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.function.FunctionError;
import dev.ringflow.engine.function.TestFunctions;
import dev.ringflow.engine.pipeline.FunctionTaskSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The function task against naive Java on random card events: fields read and set, drop, reject, route and copy,
 * exceptions dead-lettered with their message, keyed state through a snapshot, an Error stopping the worker, and
 * no allocation in steady state.
 */
class FunctionStageTest
{
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final String RISK = TestFunctions.Risk.class.getName();
    private static final PipelineSpec RISK_PIPELINE = PipelineBuilder.named("risk").source("in")
        .jsonInput(null, null)
        .task(FunctionTaskSpec.of(TestFunctions.Risk.class, Map.of("weight", "0.002"), List.of("high-risk", "audit")))
        .sink("out").build();
    private static final PipelineSpec COUNTER_PIPELINE = PipelineBuilder.named("declines").source("in")
        .jsonInput("card", null)
        .task(FunctionTaskSpec.of(TestFunctions.DeclineCounter.class, Map.of(), List.of()))
        .sink("out").build();

    private final long seed = TestSeeds.seed(getClass().getSimpleName());
    private final Random random = new Random(seed);
    private final EventSlot slot = new EventSlot();

    @Test
    void shouldScoreDropRejectRouteAndDeadLetterAsTheOracleSays() throws Exception
    {
        final PipelineProcessor processor = new PipelineProcessor(RISK_PIPELINE);
        final Map<String, Integer> seenKinds = new HashMap<>();
        for (int i = 0; i < 20_000; i++)
        {
            final Event event = randomEvent(i);
            process(processor, event.json());
            final OutputList outputs = processor.outputs();
            final String what = event.json() + " gave " + outputs.size() + " outputs";

            if (event.boom() && event.amount() != null)
            {
                assertThat(outputs.size()).as(what).isEqualTo(1);
                assertThat(outputs.kind(0)).isEqualTo(OutputList.DEAD_LETTER);
                assertThat(outputs.reason(0)).isEqualTo("function " + RISK +
                    " threw java.lang.IllegalStateException: boom at " + i);
                assertThat(outputs.value(0).toUtf8String()).isEqualTo(event.json());
                seenKinds.merge("exception", 1, Integer::sum);
                continue;
            }
            if (event.amount() == null)
            {
                assertThat(outputs.size()).as(what).isZero();
                seenKinds.merge("dropped", 1, Integer::sum);
                continue;
            }
            if (event.amount() < 0)
            {
                assertThat(outputs.size()).as(what).isEqualTo(1);
                assertThat(outputs.kind(0)).isEqualTo(OutputList.DEAD_LETTER);
                assertThat(outputs.reason(0)).isEqualTo("negative amount");
                seenKinds.merge("rejected", 1, Integer::sum);
                continue;
            }
            final double risk = event.amount() * 0.002 + ("DECLINED".equals(event.status()) ? 0.5 : 0);
            final boolean high = risk > 0.9;
            final boolean audited = "XX".equals(event.country());
            final int expected = (audited ? 1 : 0) + 1;
            assertThat(outputs.size()).as(what).isEqualTo(expected);
            for (int o = 0; o < outputs.size(); o++)
            {
                final JsonNode out = JACKSON.readTree(outputs.value(o).toUtf8String());
                assertThat(out.get("risk").asDouble()).as(what).isCloseTo(risk, within(1e-12));
                assertThat(out.get("level").asText()).isEqualTo(high ? "high" : "low");
                assertThat(out.get("id").asLong()).isEqualTo(i);
            }
            if (audited)
            {
                assertThat(outputs.kind(0)).isEqualTo(OutputList.ROUTED);
                assertThat(outputs.reason(0)).isEqualTo("audit");
            }
            final int last = outputs.size() - 1;
            assertThat(outputs.kind(last)).as(what).isEqualTo(high ? OutputList.ROUTED : OutputList.OUTPUT);
            assertThat(outputs.reason(last)).isEqualTo(high ? "high-risk" : null);
            seenKinds.merge(high ? "routed" : "passed", 1, Integer::sum);
        }
        assertThat(seenKinds).as("every path taken").containsKeys("exception", "dropped", "rejected", "routed",
            "passed");
    }

    @Test
    void shouldKeepEachKeysStateThroughASnapshotAndDiscardTheStateOfARecordThatThrew() throws Exception
    {
        PipelineProcessor processor = new PipelineProcessor(COUNTER_PIPELINE);
        final Map<String, long[]> counts = new HashMap<>();
        final Map<String, Double> sums = new HashMap<>();
        for (int i = 0; i < 20_000; i++)
        {
            if (i == 10_000)
            {
                final byte[] saved = state(processor);
                final PipelineProcessor restored = new PipelineProcessor(COUNTER_PIPELINE);
                restored.readState(new DataInputStream(new ByteArrayInputStream(saved)));
                assertThat(state(restored)).as("the restored state, saved again").isEqualTo(saved);
                processor = restored;
            }
            final Event event = randomEvent(i);
            process(processor, event.json());
            final OutputList outputs = processor.outputs();
            assertThat(outputs.size()).isEqualTo(1);
            if (event.boom())
            {
                assertThat(outputs.kind(0)).isEqualTo(OutputList.DEAD_LETTER);
                assertThat(outputs.reason(0)).isEqualTo("function " + TestFunctions.DeclineCounter.class.getName() +
                    " threw java.lang.IllegalArgumentException: boom for " + event.card());
                continue;
            }
            final long[] count = counts.computeIfAbsent(event.card(), c -> new long[2]);
            final boolean first = count[1] == 0;
            count[1]++;
            if ("DECLINED".equals(event.status()))
            {
                count[0]++;
                sums.merge(event.card(), null == event.amount() ? 0.0 : event.amount(), Double::sum);
            }
            final JsonNode out = JACKSON.readTree(outputs.value(0).toUtf8String());
            assertThat(outputs.kind(0)).isEqualTo(OutputList.OUTPUT);
            assertThat(out.get("seen").asLong()).as(event.json()).isEqualTo(count[1]);
            assertThat(out.get("declined_count").asLong()).isEqualTo(count[0]);
            assertThat(out.get("declined_sum").asDouble()).isCloseTo(sums.getOrDefault(event.card(), 0.0),
                within(1e-6));
            assertThat(out.get("first").asBoolean()).isEqualTo(first);
        }
    }

    @Test
    void shouldStopTheWorkerWithAnErrorNamingTheFunction()
    {
        final PipelineSpec spec = PipelineBuilder.named("fatal").source("in").jsonInput(null, null)
            .task(FunctionTaskSpec.of(TestFunctions.Fatal.class, Map.of(), List.of())).sink("out").build();
        final PipelineProcessor processor = new PipelineProcessor(spec);
        process(processor, "{\"id\":1}");
        assertThat(processor.outputs().kind(0)).isEqualTo(OutputList.OUTPUT);

        assertThatThrownBy(() -> process(processor, "{\"id\":2,\"fatal\":true}"))
            .isInstanceOf(FunctionError.class)
            .hasMessage("function " + TestFunctions.Fatal.class.getName() +
                " threw java.lang.AssertionError: fatal record")
            .hasCauseInstanceOf(AssertionError.class);
    }

    @Test
    void shouldNotAllocateInSteadyStateForAWellWrittenFunction()
    {
        final PipelineProcessor processor = new PipelineProcessor(RISK_PIPELINE);
        final PipelineProcessor keyed = new PipelineProcessor(COUNTER_PIPELINE);
        final byte[][] events = new byte[512][];
        for (int i = 0; i < events.length; i++)
        {
            Event event;
            do
            {
                event = randomEvent(i);
            }
            while (event.boom());
            events[i] = event.json().getBytes(StandardCharsets.UTF_8);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        // Warm-up: every key seen, every buffer grown, the loop compiled.
        runAll(processor, keyed, events, 400_000);
        // The JIT's late recompilations (deoptimisation, OSR) can allocate a few hundred bytes once, in any round.
        // Up to three back-to-back rounds of 400,000 records: a per-record allocation (16 bytes or more each,
        // 6.4 MB a round) shows in every round, so one clean round proves the steady state allocates nothing.
        final List<Long> rounds = new ArrayList<>();
        long allocated = Long.MAX_VALUE;
        while (rounds.size() < 3 && allocated != 0)
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            final long emptyMeasurement = threads.getThreadAllocatedBytes(thread) - before;
            final long start = threads.getThreadAllocatedBytes(thread);
            runAll(processor, keyed, events, 200_000);
            allocated = threads.getThreadAllocatedBytes(thread) - start - emptyMeasurement;
            rounds.add(allocated);
        }

        assertThat(allocated).as("bytes allocated by 400,000 function records, per round: %s", rounds).isZero();
    }

    private void runAll(final PipelineProcessor processor, final PipelineProcessor keyed, final byte[][] events,
        final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final byte[] value = events[i & (events.length - 1)];
            slot.input("in", 0, i, 1_000L + i, null, value);
            processor.process(slot);
            keyed.process(slot);
        }
    }

    private void process(final PipelineProcessor processor, final String json)
    {
        slot.input("in", 0, 0, 1_000L, null, json.getBytes(StandardCharsets.UTF_8));
        processor.process(slot);
    }

    private static byte[] state(final PipelineProcessor processor) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        processor.writeState(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private record Event(String json, String card, Double amount, String status, String country, boolean boom)
    {
    }

    private Event randomEvent(final int id)
    {
        final String card = "c" + random.nextInt(50);
        final int amountKind = random.nextInt(20);
        final Double amount = amountKind == 0 ? null : amountKind == 1 ? -random.nextInt(100) - 1.0 :
            random.nextInt(100_000) / 100.0;
        final String status = random.nextInt(4) == 0 ? "DECLINED" : "OK";
        final String country = random.nextInt(5) == 0 ? "XX" : "DE";
        final boolean boom = random.nextInt(50) == 0;
        final StringBuilder json = new StringBuilder("{\"id\":").append(id).append(",\"card\":\"").append(card)
            .append('"');
        if (null != amount)
        {
            json.append(",\"amount\":").append(amount);
        }
        else if (random.nextBoolean())
        {
            json.append(",\"amount\":\"n/a\"");
        }
        json.append(",\"status\":\"").append(status).append("\",\"merchant\":{\"country\":\"").append(country)
            .append("\"}");
        if (boom)
        {
            json.append(",\"boom\":true");
        }
        return new Event(json.append('}').toString(), card, amount, status, country, boom);
    }
}
