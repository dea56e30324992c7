package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.EngineSpec.WaitStrategyKind;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class EngineTest
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
    void shouldComputeEveryKeysSlidingSumLikeTheNaiveOracle()
    {
        final long seed = TestSeeds.seed("shouldComputeEveryKeysSlidingSumLikeTheNaiveOracle");
        final Random random = new Random(seed);
        final List<InMemorySource.Record> input = randomInput(random, 20_000, 10, 7);
        final PipelineSpec spec = PipelineBuilder.named("sum").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").deadLetterTopic("dlq").build();
        final InMemorySink sink = new InMemorySink();

        run(spec, input, sink);

        assertThat(byKey(sink.outputs())).isEqualTo(NaiveOracle.slidingSums(input, 5, 1));
        assertThat(sink.deadLetters()).extracting(InMemorySink.Output::errorReason).hasSize(7)
            .containsOnly("value is not an integer");
        assertThat(engine.counters().eventsIn()).isEqualTo(input.size());
        assertThat(engine.counters().badInput()).isEqualTo(7);
        assertThat(engine.counters().deadLettered()).isEqualTo(7);
    }

    /**
     * 3,000 keys at range 100 keep 2.4 MB of window state, so the worker looks ahead over each batch and loads the
     * state of groups of slots before it adds them: results must be those of the oracle all the same. The max runs on
     * two workers, each looking ahead at its own keys (1.2 MB each).
     */
    @Test
    void shouldMatchTheOracleWhenTheWorkerLooksAheadOverManyKeys()
    {
        final long seed = TestSeeds.seed("shouldMatchTheOracleWhenTheWorkerLooksAheadOverManyKeys");
        final Random random = new Random(seed);
        final List<InMemorySource.Record> input = randomInput(random, 300_000, 3_000, 5);
        final PipelineSpec sum = PipelineBuilder.named("sum").source("in")
            .window(100, 1, Aggregation.SUM, ValueKind.LONG).sink("out").build();
        final PipelineSpec max = PipelineBuilder.named("max").source("in")
            .window(100, 3, Aggregation.MAX, ValueKind.LONG).workers(2).sink("out").build();
        final InMemorySink sums = new InMemorySink();
        final InMemorySink maxima = new InMemorySink();

        run(sum, input, sums);
        run(max, input, maxima);

        assertThat(byKey(sums.outputs())).isEqualTo(NaiveOracle.slidingSums(input, 100, 1));
        assertThat(byKey(maxima.outputs())).isEqualTo(NaiveOracle.slidingMax(input, 100, 3));
    }

    @Test
    void shouldShardKeysAcrossWorkersKeepingEveryKeysOrder()
    {
        final long seed = TestSeeds.seed("shouldShardKeysAcrossWorkersKeepingEveryKeysOrder");
        final Random random = new Random(seed);
        final List<InMemorySource.Record> input = randomInput(random, 30_000, 50, 5);
        input.add(random.nextInt(input.size()), record(-1, null, "7"));
        input.add(random.nextInt(input.size()), record(-1, null, "8"));
        final int workers = 2 + random.nextInt(3);
        final PipelineSpec spec = PipelineBuilder.named("sharded").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").deadLetterTopic("dlq").workers(workers)
            .ringCapacity(64).build();
        final InMemorySink sink = new InMemorySink();

        run(spec, input, sink);

        assertThat(byKey(sink.outputs())).isEqualTo(NaiveOracle.slidingSums(input, 5, 1));
        assertThat(sink.deadLetters()).hasSize(5);
        assertThat(engine.counters().eventsIn()).isEqualTo(input.size());
        assertThat(engine.counters().eventsOut()).isEqualTo(input.size() - 5);
        assertThat(engine.counters().badInput()).isEqualTo(5);
    }

    @Test
    void shouldSpreadKeysOverEveryWorker()
    {
        final int[] perWorker = new int[4];
        final ByteSlice key = new ByteSlice();
        for (int i = 0; i < 1_000; i++)
        {
            key.set(("key-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            perWorker[WorkerHandler.shardOf(key, 4)]++;
        }
        for (final int count : perWorker)
        {
            assertThat(count).isBetween(150, 350);
        }
        key.setNull();
        assertThat(WorkerHandler.shardOf(key, 4)).isZero();
    }

    @Test
    void shouldKeepEveryEventWhenTheRingIsTiny()
    {
        final long seed = TestSeeds.seed("shouldKeepEveryEventWhenTheRingIsTiny");
        final List<InMemorySource.Record> input = randomInput(new Random(seed), 10_000, 3, 0);
        final PipelineSpec spec = PipelineBuilder.named("sum").source("in")
            .window(3, 2, Aggregation.MAX, ValueKind.LONG).sink("out").ringCapacity(4).build();
        final InMemorySink sink = new InMemorySink();

        run(spec, input, sink);

        assertThat(byKey(sink.outputs())).isEqualTo(NaiveOracle.slidingMax(input, 3, 2));
    }

    /** Every wait strategy, with a ring small enough that both sides wait on it all the time. */
    @ParameterizedTest
    @EnumSource(WaitStrategyKind.class)
    void shouldGiveTheSameResultsWithEveryWaitStrategy(final WaitStrategyKind waitStrategy)
    {
        final long seed = TestSeeds.seed("shouldGiveTheSameResultsWithEveryWaitStrategy " + waitStrategy);
        final List<InMemorySource.Record> input = randomInput(new Random(seed), 20_000, 20, 0);
        final PipelineSpec spec = PipelineBuilder.named("sum").source("in")
            .window(4, 1, Aggregation.SUM, ValueKind.LONG).sink("out").ringCapacity(8).waitStrategy(waitStrategy)
            .workers(2).build();
        final InMemorySink sink = new InMemorySink();

        run(spec, input, sink);

        assertThat(byKey(sink.outputs())).isEqualTo(NaiveOracle.slidingSums(input, 4, 1));
        assertThat(engine.counters().eventsIn()).isEqualTo(input.size());
    }

    /** Status lines tell replayed journal records from live input: both count as input, only the first as replayed. */
    @Test
    void shouldCountReplayedEventsApartFromLiveInput()
    {
        final java.util.concurrent.atomic.AtomicLong acknowledged = new java.util.concurrent.atomic.AtomicLong();
        final Source source = new Source()
        {
            private boolean published;

            @Override
            public int poll(final EventPublisher publisher)
            {
                if (published)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                    return 0;
                }
                for (int i = 0; i < 5; i++)
                {
                    final byte[] value = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
                    final EventSlot slot = publisher.tryClaim()
                        .input("in", 0, i, 0, "k".getBytes(StandardCharsets.UTF_8), value);
                    if (i < 3)
                    {
                        slot.replayed(true);
                    }
                }
                publisher.publish();
                published = true;
                return 5;
            }

            @Override
            public void commit(final long processedSequence)
            {
                acknowledged.set(processedSequence + 1);
            }

            @Override
            public void wakeup()
            {
                // poll never blocks for long
            }

            @Override
            public void close()
            {
                acknowledged.compareAndSet(0, -1);
            }
        };
        final InMemorySink sink = new InMemorySink();
        engine = Engine.start(PipelineBuilder.named("sum").source("in").window(5, 1, Aggregation.SUM, ValueKind.LONG)
            .sink("out").build(), source, sink);
        awaitUntil(() -> engine.counters().eventsIn() == 5);
        engine.close();

        assertThat(engine.counters().replayed()).isEqualTo(3);
        assertThat(sink.outputs()).extracting(InMemorySink.Output::valueText).containsExactly("0", "1", "3", "6", "10");
        assertThat(acknowledged.get()).isEqualTo(5);
    }

    @Test
    void shouldFormatEveryMessageAndKeepNullKeys()
    {
        final List<InMemorySource.Record> input = List.of(
            record(0, "a", "M"), record(1, null, "x y"), record(2, "b", ""), record(3, null, null));
        final PipelineSpec spec = PipelineBuilder.named("fmt").source("in").format("Processed: {value}")
            .sink("out").build();
        final InMemorySink sink = new InMemorySink();

        run(spec, input, sink);

        assertThat(sink.outputs()).extracting(InMemorySink.Output::keyText, InMemorySink.Output::valueText)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", "Processed: M"),
                org.assertj.core.groups.Tuple.tuple(null, "Processed: x y"),
                org.assertj.core.groups.Tuple.tuple("b", "Processed: "),
                org.assertj.core.groups.Tuple.tuple(null, "Processed: "));
    }

    @Test
    void shouldChainFilterWindowAndFormat()
    {
        final List<InMemorySource.Record> input = new ArrayList<>();
        final long[] values = { 5, 50, 7, 500, 9, 11 };
        for (int i = 0; i < values.length; i++)
        {
            input.add(record(i, "k", Long.toString(values[i])));
        }
        final PipelineSpec spec = PipelineBuilder.named("chain").source("in").filter(0, 100)
            .window(2, 1, Aggregation.MEAN, ValueKind.LONG).format("{key}={value}").sink("out").build();
        final InMemorySink sink = new InMemorySink();

        run(spec, input, sink);

        assertThat(sink.outputs()).extracting(InMemorySink.Output::valueText)
            .containsExactly("k=5.0", "k=27.5", "k=28.5", "k=8.0", "k=10.0");
    }

    @Test
    void shouldCountBadInputWithoutADeadLetterTopic()
    {
        final List<InMemorySource.Record> input = List.of(record(0, "k", "1"), record(1, "k", "x"),
            record(2, "k", "2"));
        final PipelineSpec spec = PipelineBuilder.named("sum").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").build();
        final InMemorySink sink = new InMemorySink();

        run(spec, input, sink);

        assertThat(sink.outputs()).extracting(InMemorySink.Output::valueText).containsExactly("1", "3");
        assertThat(sink.deadLetters()).isEmpty();
        assertThat(engine.counters().badInput()).isEqualTo(1);
    }

    @Test
    void shouldDrainAndAcknowledgeEverythingOnClose()
    {
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        final PipelineSpec spec = PipelineBuilder.named("fmt").source("in").format("{value}!").sink("out")
            .commitIntervalMs(60_000).build();
        engine = Engine.start(spec, source, sink);
        for (int i = 0; i < 50_000; i++)
        {
            source.offer(record(i, "k", Integer.toString(i)));
        }
        awaitUntil(() -> engine.counters().eventsIn() > 0);

        engine.close();

        final long acknowledged = source.committedCount();
        assertThat(sink.outputs()).hasSize((int)acknowledged);
        assertThat(acknowledged).isEqualTo(engine.counters().eventsIn());
        assertThat(source.isClosed()).isTrue();
        assertThat(sink.isClosed()).isTrue();
        assertThat(engine.isTerminated()).isTrue();
    }

    @Test
    void shouldStopWithTheFailureWhenTheSinkCannotWrite() throws Exception
    {
        final InMemorySource source = new InMemorySource();
        final java.util.concurrent.atomic.AtomicBoolean sinkClosed = new java.util.concurrent.atomic.AtomicBoolean();
        final Sink sink = new Sink()
        {
            @Override
            public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
                final String reason, final EventSlot source)
            {
                throw new SinkException("disk on fire", null);
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
                sinkClosed.set(true);
            }
        };
        engine = Engine.start(PipelineBuilder.named("f").source("in").format("{value}").sink("out").build(),
            source, sink);
        source.offer(record(0, "k", "v"));

        assertThat(engine.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.failure()).hasMessage("disk on fire");
        assertThat(source.committedCount()).isZero();
        assertThat(sinkClosed).isTrue();
    }

    private void run(final PipelineSpec spec, final List<InMemorySource.Record> input, final InMemorySink sink)
    {
        final InMemorySource source = new InMemorySource();
        engine = Engine.start(spec, source, sink);
        input.forEach(source::offer);
        awaitUntil(() -> engine.counters().eventsIn() == input.size());
        engine.close();
        assertThat(source.committedCount()).isEqualTo(input.size());
    }

    static List<InMemorySource.Record> randomInput(final Random random, final int count, final int keys,
        final int malformed)
    {
        final List<InMemorySource.Record> input = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            input.add(record(i, "key-" + random.nextInt(keys), Long.toString(random.nextInt(2001) - 1000)));
        }
        for (int i = 0; i < malformed; i++)
        {
            input.add(random.nextInt(input.size()), record(-1, "key-0", i % 2 == 0 ? "12x" : "1.5"));
        }
        return input;
    }

    static InMemorySource.Record record(final long offset, final String key, final String value)
    {
        return new InMemorySource.Record("in", 0, offset, 1_000L + offset,
            null == key ? null : key.getBytes(StandardCharsets.UTF_8),
            null == value ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, List<String>> byKey(final List<InMemorySink.Output> outputs)
    {
        final Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (final InMemorySink.Output output : outputs)
        {
            byKey.computeIfAbsent(output.keyText(), k -> new ArrayList<>()).add(output.valueText());
        }
        return byKey;
    }

    static void awaitUntil(final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("condition not met within 30 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
