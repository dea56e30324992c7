package dev.ringflow.engine.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.pipeline.AnomalyTaskSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
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
 * The anomaly task on random card streams (late event times, missing and non-numeric amounts) against a naive
 * recomputation from every previous amount kept in plain lists, through a snapshot taken mid-stream: a z-score over
 * the last second of event time, routed to a topic, and a named EWMA.
 */
class AnomalyStageTest
{
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final double ALPHA = 0.1;
    private static final PipelineSpec PIPELINE = PipelineBuilder.named("anomaly").source("in")
        .jsonInput("card", "ts")
        .task(new AnomalyTaskSpec(null, "amount", null, AnomalyTaskSpec.Method.ZSCORE, 0, 1_000, Double.NaN, 2.0, 3,
            1e-9, "alerts"))
        .task(new AnomalyTaskSpec("ew", null, "amount * 2", AnomalyTaskSpec.Method.EWMA, 0, 0, ALPHA, 2.5, 2, 1e-9,
            null))
        .sink("out").build();

    private final long seed = TestSeeds.seed(getClass().getSimpleName());
    private final Random random = new Random(seed);

    @Test
    void shouldJudgeEachKeyAsTheNaiveOracleDoes() throws Exception
    {
        PipelineProcessor processor = new PipelineProcessor(PIPELINE);
        final Map<String, List<double[]>> history = new HashMap<>();
        final Map<String, Long> maxTimes = new HashMap<>();
        final Map<String, double[]> ewma = new HashMap<>();
        final EventSlot slot = new EventSlot();
        long clockMs = 1_700_000_000_000L;
        int anomalies = 0;
        int bad = 0;
        for (int i = 0; i < 20_000; i++)
        {
            if (i == 10_000)
            {
                processor = restored(processor);
            }
            clockMs += random.nextInt(60);
            final long timeMs = clockMs - (random.nextInt(8) == 0 ? random.nextInt(1_500) : 0);
            final String card = "c" + random.nextInt(9);
            final int shape = random.nextInt(20);
            final double amount = Math.round((50 + 5 * random.nextGaussian() + (shape == 1 ? 40 : 0)) * 100) / 100.0;
            final String amountJson = shape == 0 ? "" : shape == 2 ? ",\"amount\":\"x\"" : ",\"amount\":" + amount;
            final String value = "{\"card\":\"" + card + "\",\"ts\":" + timeMs + amountJson + "}";
            slot.input("in", 0, i, 0, null, value.getBytes(StandardCharsets.UTF_8));
            processor.process(slot);
            final OutputList outputs = processor.outputs();
            final String at = "seed " + seed + " event " + i + " " + value;
            if (shape == 0 || shape == 2)
            {
                assertThat(outputs.size()).as(at).isEqualTo(1);
                assertThat(outputs.kind(0)).as(at).isEqualTo(OutputList.DEAD_LETTER);
                assertThat(outputs.reason(0)).as(at).contains("'amount'");
                bad++;
                continue;
            }
            // Naive z-score over (t - 1000, t], elements kept only after the key's previous max time - 1000.
            final List<double[]> previous = history.computeIfAbsent(card, c -> new ArrayList<>());
            final Long previousMax = maxTimes.get(card);
            final List<Double> window = new ArrayList<>();
            for (final double[] e : previous)
            {
                if (e[0] > timeMs - 1_000 && e[0] <= timeMs && (null == previousMax || e[0] > previousMax - 1_000))
                {
                    window.add(e[1]);
                }
            }
            previous.add(new double[] {timeMs, amount});
            maxTimes.put(card, null == previousMax ? timeMs : Math.max(previousMax, timeMs));
            double sum = 0;
            for (final double x : window)
            {
                sum += x;
            }
            final double mean = sum / window.size();
            double squares = 0;
            for (final double x : window)
            {
                squares += (x - mean) * (x - mean);
            }
            final double std = Math.sqrt(squares / window.size());
            final double z = (amount - mean) / Math.max(std, 1e-9);
            final boolean anomaly = window.size() >= 3 && Math.abs(z) > 2.0;

            // Naive EWMA of amount * 2.
            final double x2 = amount * 2;
            final double[] state = ewma.get(card);
            final Double ewMean = null == state ? null : state[0];
            final Double ewStd = null == state ? null : Math.sqrt(state[1]);
            final long ewCount = null == state ? 0 : (long)state[2];
            final boolean ewAnomaly = null != state && ewCount >= 2 &&
                Math.abs((x2 - state[0]) / Math.max(Math.sqrt(state[1]), 1e-9)) > 2.5;
            if (null == state)
            {
                ewma.put(card, new double[] {x2, 0, 1});
            }
            else
            {
                final double diff = x2 - state[0];
                final double incr = ALPHA * diff;
                state[0] += incr;
                state[1] = (1 - ALPHA) * (state[1] + diff * incr);
                state[2]++;
            }

            final int expectedOutputs = anomaly ? 2 : 1;
            assertThat(outputs.size()).as(at).isEqualTo(expectedOutputs);
            final JsonNode out = JACKSON.readTree(outputs.value(expectedOutputs - 1).toUtf8String());
            assertThat(outputs.kind(expectedOutputs - 1)).as(at).isEqualTo(OutputList.OUTPUT);
            if (window.isEmpty())
            {
                assertThat(out.get("mean").isNull()).as(at + " " + out).isTrue();
                assertThat(out.get("z").isNull()).as(at + " " + out).isTrue();
            }
            else
            {
                assertThat(out.get("mean").asDouble()).as(at).isCloseTo(mean, within(1e-9 * Math.abs(mean)));
                assertThat(out.get("std").asDouble()).as(at).isCloseTo(std, within(1e-9 * Math.max(1, mean)));
                if (Math.abs(Math.abs(z) - 2.0) > 1e-6)
                {
                    assertThat(out.get("anomaly").asBoolean()).as(at + " " + out).isEqualTo(anomaly);
                }
            }
            if (anomaly)
            {
                assertThat(outputs.kind(0)).as(at).isEqualTo(OutputList.ROUTED);
                assertThat(outputs.reason(0)).as(at).isEqualTo("alerts");
                // Routed as the event was at the anomaly task: its evidence, not the later task's fields.
                final JsonNode routed = JACKSON.readTree(outputs.value(0).toUtf8String());
                assertThat(routed.get("z")).as(at).isEqualTo(out.get("z"));
                assertThat(routed.get("anomaly").asBoolean()).as(at).isTrue();
                assertThat(routed.has("ew_z")).as(at).isFalse();
                anomalies++;
            }
            if (null == ewMean)
            {
                assertThat(out.get("ew_mean").isNull()).as(at).isTrue();
            }
            else
            {
                // The JSON writer prints shortest round-trip decimals: the EWMA state reads back exactly.
                assertThat(out.get("ew_mean").asDouble()).as(at).isEqualTo(ewMean);
                assertThat(out.get("ew_std").asDouble()).as(at).isEqualTo(ewStd);
            }
            assertThat(out.get("ew_anomaly").asBoolean()).as(at).isEqualTo(ewAnomaly);
        }
        assertThat(anomalies).as("anomalies routed").isGreaterThan(50);
        assertThat(bad).as("bad inputs").isGreaterThan(500);
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
