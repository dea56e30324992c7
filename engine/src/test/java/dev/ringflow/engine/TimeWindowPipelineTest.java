package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.OutputFormat;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event-time and JSON windows through the whole engine, with in-memory source and sink.
 */
class TimeWindowPipelineTest
{
    private Engine engine;

    @AfterEach
    void closeEngine()
    {
        if (null != engine)
        {
            engine.close();
        }
    }

    @Test
    void shouldEmitTumblingWindowsAsJsonAndSendLateElementsToTheLateTopic()
    {
        final PipelineSpec spec = PipelineBuilder.named("tumbling").source("in")
            .timeWindow(10, 10, 0, 0, List.of(Aggregation.SUM, Aggregation.MAX), ValueKind.LONG, OutputFormat.JSON)
            .sink("out").lateTopic("late").build();
        final List<InMemorySource.Record> input = List.of(
            record("a", 1, "5"), record("b", 3, "7"), record("a", 9, "6"),
            record("a", 12, "1"),
            record("b", 4, "100"),
            record("b", 25, "2"));
        final InMemorySink sink = run(spec, input);

        assertThat(sink.outputs()).extracting(InMemorySink.Output::keyText, InMemorySink.Output::valueText,
            InMemorySink.Output::timestampMs).containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", "{\"key\":\"a\",\"start\":0,\"end\":10,\"count\":2,\"sum\":11," +
                "\"max\":6}", 9L),
            org.assertj.core.groups.Tuple.tuple("b", "{\"key\":\"b\",\"start\":0,\"end\":10,\"count\":1,\"sum\":7," +
                "\"max\":7}", 9L),
            org.assertj.core.groups.Tuple.tuple("a", "{\"key\":\"a\",\"start\":10,\"end\":20,\"count\":1,\"sum\":1," +
                "\"max\":1}", 19L));
        assertThat(sink.late()).extracting(InMemorySink.Output::keyText, InMemorySink.Output::valueText)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("b", "100"));
        assertThat(engine.counters().late()).isEqualTo(1);
    }

    @Test
    void shouldEmitSessionsThatEndAGapAfterTheirLastElement()
    {
        final PipelineSpec spec = dev.ringflow.engine.pipeline.PipelineFile.parse(String.join("\n",
            "source: {topic: in}",
            "tasks:",
            "  - type: session-window",
            "    gap-ms: 10",
            "    aggregations: [count, sum]",
            "sink: {topic: out}",
            ""), "s.yaml", "s");
        final InMemorySink sink = run(spec, List.of(
            record("u", 0, "1"), record("u", 5, "2"), record("v", 6, "5"), record("u", 30, "4"),
            record("v", 50, "1")));

        assertThat(sink.outputs()).extracting(InMemorySink.Output::valueText).containsExactly(
            "{\"key\":\"u\",\"start\":0,\"end\":15,\"count\":2,\"sum\":3}",
            "{\"key\":\"v\",\"start\":6,\"end\":16,\"count\":1,\"sum\":5}",
            "{\"key\":\"u\",\"start\":30,\"end\":40,\"count\":1,\"sum\":4}");
    }

    @Test
    void shouldEmitRunningTotalsFromAGlobalWindow()
    {
        final PipelineSpec spec = dev.ringflow.engine.pipeline.PipelineFile.parse(String.join("\n",
            "source: {topic: in}",
            "tasks:",
            "  - type: global-window",
            "    slide: 2",
            "    aggregation: sum",
            "sink: {topic: out}",
            ""), "g.yaml", "g");
        final InMemorySink sink = run(spec, List.of(record("u", 0, "1"), record("u", 1, "2"), record("u", 2, "3"),
            record("u", 3, "4"), record("v", 4, "10"), record("v", 5, "10")));

        assertThat(sink.outputs()).extracting(InMemorySink.Output::keyText, InMemorySink.Output::valueText)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("u", "3"), org.assertj.core.groups.Tuple.tuple("u", "10"),
                org.assertj.core.groups.Tuple.tuple("v", "20"));
    }

    @Test
    void shouldForgetKeysIdleLongerThanTheTimeoutAndKeepTheOthers()
    {
        final PipelineSpec spec = PipelineBuilder.named("expiry").source("in")
            .window(3, 1, Aggregation.SUM, ValueKind.LONG).sink("out").idleKeyTimeoutMs(1_000).build();
        final List<InMemorySource.Record> input = new ArrayList<>();
        input.add(record("idle", 0, "5"));
        input.add(record("busy", 0, "1"));
        for (int i = 1; i <= 3_000; i++)
        {
            input.add(record("other-" + i, i, "1"));
            if (i % 100 == 0)
            {
                input.add(record("busy", i, "1"));
            }
        }
        input.add(record("idle", 3_001, "7"));
        input.add(record("busy", 3_001, "1"));

        final InMemorySink sink = run(spec, input);

        final List<String> idle = new ArrayList<>();
        final List<String> busy = new ArrayList<>();
        for (final InMemorySink.Output output : sink.outputs())
        {
            if ("idle".equals(output.keyText()))
            {
                idle.add(output.valueText());
            }
            else if ("busy".equals(output.keyText()))
            {
                busy.add(output.valueText());
            }
        }
        assertThat(idle).containsExactly("5", "7");
        assertThat(busy.get(busy.size() - 1)).isEqualTo("3");
    }

    @Test
    void shouldCloseTheLastWindowsOnWallClockTimeWhenInputGoesIdle()
    {
        final PipelineSpec spec = PipelineBuilder.named("idle").source("in")
            .timeWindow(1_000, 1_000, 0, 0, List.of(Aggregation.COUNT), ValueKind.LONG, OutputFormat.JSON)
            .sink("out").idleWatermarkMs(50).build();
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        engine = Engine.start(spec, source, sink);
        source.offer(record("k", 10, "1"));
        source.offer(record("k", 20, "1"));

        EngineTest.awaitUntil(() -> !sink.outputs().isEmpty());

        assertThat(sink.outputs()).extracting(InMemorySink.Output::valueText)
            .containsExactly("{\"key\":\"k\",\"start\":0,\"end\":1000,\"count\":2}");
        assertThat(engine.counters().eventsIn()).isEqualTo(2);
    }

    /**
     * Ticks go to every worker at once: each must emit only the windows of its own keys, once, without the other
     * worker's outputs mixed in.
     */
    @Test
    void shouldCloseEveryWorkersWindowsOnceWhenInputGoesIdle()
    {
        final PipelineSpec spec = PipelineBuilder.named("idle").source("in")
            .timeWindow(1_000, 1_000, 0, 0, List.of(Aggregation.COUNT), ValueKind.LONG, OutputFormat.JSON)
            .sink("out").idleWatermarkMs(20).workers(2).build();
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        engine = Engine.start(spec, source, sink);
        final List<String> expected = new ArrayList<>();
        for (int key = 0; key < 200; key++)
        {
            source.offer(record("k" + key, 10, "1"));
            source.offer(record("k" + key, 20, "1"));
            expected.add("{\"key\":\"k" + key + "\",\"start\":0,\"end\":1000,\"count\":2}");
        }

        EngineTest.awaitUntil(() -> sink.outputs().size() >= expected.size());
        engine.close();

        assertThat(sink.outputs()).extracting(InMemorySink.Output::valueText)
            .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldEmitEarlyResultsMarkedNotFinalBeforeTheFinalOne()
    {
        final PipelineSpec spec = dev.ringflow.engine.pipeline.PipelineFile.parse(String.join("\n",
            "source: {topic: in}",
            "tasks:",
            "  - type: time-window",
            "    size-ms: 1000",
            "    early-results-ms: 300",
            "    aggregation: count",
            "sink: {topic: out}",
            ""), "e.yaml", "e");
        final InMemorySink sink = run(spec, List.of(record("k", 100, "1"), record("k", 400, "1"),
            record("k", 700, "1"), record("k", 1_200, "1")));

        assertThat(sink.outputs()).extracting(InMemorySink.Output::valueText).containsExactly(
            "{\"key\":\"k\",\"start\":0,\"end\":1000,\"count\":1,\"final\":false}",
            "{\"key\":\"k\",\"start\":0,\"end\":1000,\"count\":2,\"final\":false}",
            "{\"key\":\"k\",\"start\":0,\"end\":1000,\"count\":3,\"final\":false}",
            "{\"key\":\"k\",\"start\":0,\"end\":1000,\"count\":3,\"final\":true}");
    }

    @Test
    void shouldWriteCountWindowsAsJsonWithElementBounds()
    {
        final PipelineSpec spec = PipelineBuilder.named("count-json").source("in")
            .window(3, 3, List.of(Aggregation.COUNT, Aggregation.MEAN), ValueKind.LONG, OutputFormat.JSON)
            .sink("out").build();
        final InMemorySink sink = run(spec, List.of(record(null, 1, "1"), record(null, 2, "2"),
            record(null, 3, "4")));

        assertThat(sink.outputs()).extracting(InMemorySink.Output::valueText)
            .containsExactly("{\"key\":null,\"from\":1,\"to\":3,\"count\":3,\"mean\":2.3333333333333335}");
    }

    @Test
    void shouldGiveTheSameOutputsHoweverTheInputIsBatched()
    {
        final long seed = TestSeeds.seed("shouldGiveTheSameOutputsHoweverTheInputIsBatched");
        final Random random = new Random(seed);
        final List<InMemorySource.Record> input = new ArrayList<>();
        long clock = 0;
        for (int i = 0; i < 20_000; i++)
        {
            clock += random.nextInt(3);
            input.add(record("k" + random.nextInt(50), clock - random.nextInt(40),
                Integer.toString(random.nextInt(1000))));
        }
        final PipelineBuilder hopping = PipelineBuilder.named("batching").source("in")
            .timeWindow(100, 25, 20, 5, List.of(Aggregation.SUM, Aggregation.VARIANCE), ValueKind.LONG,
                OutputFormat.JSON)
            .sink("out").lateTopic("late");
        final PipelineBuilder sessions = PipelineBuilder.named("batching").source("in")
            .task(new dev.ringflow.engine.pipeline.SessionWindowTaskSpec(3, 10, 0, List.of(Aggregation.MAX),
                ValueKind.LONG, List.of(), OutputFormat.JSON))
            .sink("out").lateTopic("late");

        for (final PipelineBuilder builder : List.of(hopping, sessions))
        {
            final List<String> oneBigBatch = texts(run(builder.ringCapacity(65536).build(), input));
            final List<String> tinyBatches = texts(run(builder.ringCapacity(2).build(), input));

            assertThat(oneBigBatch).hasSizeGreaterThan(1_000);
            assertThat(tinyBatches).isEqualTo(oneBigBatch);
        }
    }

    private InMemorySink run(final PipelineSpec spec, final List<InMemorySource.Record> input)
    {
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        engine = Engine.start(spec, source, sink);
        input.forEach(source::offer);
        EngineTest.awaitUntil(() -> engine.counters().eventsIn() == input.size());
        engine.close();
        return sink;
    }

    private static List<String> texts(final InMemorySink sink)
    {
        final List<String> texts = new ArrayList<>();
        for (final InMemorySink.Output output : sink.outputs())
        {
            texts.add(output.keyText() + "=" + output.valueText() + "@" + output.timestampMs());
        }
        for (final InMemorySink.Output output : sink.late())
        {
            texts.add("late " + output.keyText() + "=" + output.valueText());
        }
        return texts;
    }

    private static InMemorySource.Record record(final String key, final long timeMs, final String value)
    {
        return new InMemorySource.Record("in", 0, 0, timeMs,
            null == key ? null : key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }
}
