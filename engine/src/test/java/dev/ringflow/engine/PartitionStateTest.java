package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.StateSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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

/**
 * Partition-scoped state ({@code state.scope: partition}): each input partition's windows are its own, a partition
 * given up hands its state to the sink, and another engine that takes it over with that state answers the
 * partition's next records exactly as the first would have: checked against a naive per-partition oracle.
 */
class PartitionStateTest
{
    private static final int PARTITIONS = 3;
    private static final int RANGE = 5;

    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines()
    {
        engines.forEach(Engine::close);
    }

    @Test
    void shouldKeepEachPartitionsWindowsApartLikeAPerPartitionOracle()
    {
        final long seed = TestSeeds.seed("shouldKeepEachPartitionsWindowsApartLikeAPerPartitionOracle");
        final Random random = new Random(seed);
        // Keys in several partitions on purpose: each partition has its own window of the key.
        final List<InMemorySource.Record> input = randomInput(random, 20_000, 30);
        final int workers = 1 + random.nextInt(3);
        final InMemorySink sink = new InMemorySink();
        final InMemorySource source = start(spec(workers), sink);

        input.forEach(source::offer);
        awaitUntil(() -> source.committedCount() == input.size());

        assertThat(byPartitionAndKey(sink.outputs())).as("workers: %d", workers).isEqualTo(oracle(input));
    }

    @Test
    void shouldHandAPartitionWithItsStateToAnotherEngineThatGoesOnExactly()
    {
        final long seed = TestSeeds.seed("shouldHandAPartitionWithItsStateToAnotherEngineThatGoesOnExactly");
        final Random random = new Random(seed);
        final List<InMemorySource.Record> input = randomInput(random, 12_000, 20);
        final int split = input.size() / 2;
        final InMemorySink first = new InMemorySink();
        final int firstWorkers = 1 + random.nextInt(2);
        final InMemorySource firstSource = start(spec(firstWorkers), first);
        input.subList(0, split).forEach(firstSource::offer);
        firstSource.offer(PartitionState.giveUp("in", 1, "test"));
        awaitUntil(() -> !first.partitionStates().isEmpty());

        final InMemorySink.PublishedState handed = first.partitionStates().get(0);
        assertThat(handed.topic()).isEqualTo("in");
        assertThat(handed.partition()).isEqualTo(1);
        final long lastOfPartition1 = input.subList(0, split).stream().filter(r -> r.partition() == 1)
            .mapToLong(InMemorySource.Record::offset).max().orElseThrow();
        assertThat(handed.coveredOffset()).isEqualTo(lastOfPartition1 + 1);

        final InMemorySink second = new InMemorySink();
        final InMemorySink empty = new InMemorySink();
        // A daemon with another worker count takes the partition over: its state is all on one worker either way.
        final InMemorySource secondSource = start(spec(firstWorkers == 1 ? 2 : 1), second);
        final InMemorySource emptySource = start(spec(1), empty);
        secondSource.offer(PartitionState.takeOver("in", 1, handed.coveredOffset(), handed.state(), "test"));
        emptySource.offer(PartitionState.takeOver("in", 1, handed.coveredOffset(), null, "test"));
        final List<InMemorySource.Record> rest = input.subList(split, input.size()).stream()
            .filter(r -> r.partition() == 1).toList();
        rest.forEach(secondSource::offer);
        rest.forEach(emptySource::offer);
        awaitUntil(() -> secondSource.committedCount() == rest.size() && emptySource.committedCount() == rest.size());

        final Map<String, List<String>> expected = oracle(input);
        final Map<String, List<String>> before = byPartitionAndKey(first.outputs());
        final Map<String, List<String>> after = byPartitionAndKey(second.outputs());
        for (final Map.Entry<String, List<String>> key : expected.entrySet())
        {
            if (!key.getKey().startsWith("1/"))
            {
                continue;
            }
            final List<String> joined = new ArrayList<>(before.getOrDefault(key.getKey(), List.of()));
            joined.addAll(after.getOrDefault(key.getKey(), List.of()));
            assertThat(joined).as(key.getKey()).isEqualTo(key.getValue());
        }
        // The check above can fail: without the state, the windows of partition 1 restart and the sums differ.
        assertThat(byPartitionAndKey(empty.outputs())).isNotEqualTo(after);
        assertThat(after).isNotEmpty();
    }

    /**
     * Event-time windows of one partition handed over at every possible kind of point (just before and just after a
     * window fired): the two engines together emit what one engine emits alone, each window once.
     */
    @Test
    void shouldHandTimeWindowsOverWithoutFiringAWindowTwiceOrNever()
    {
        final long seed = TestSeeds.seed("shouldHandTimeWindowsOverWithoutFiringAWindowTwiceOrNever");
        final Random random = new Random(seed);
        // Four partitions in one engine, as a daemon that owned them all; partition 2 moves.
        final List<InMemorySource.Record> all = new ArrayList<>();
        final long[] next = new long[4];
        for (int i = 0; i < 12_000; i++)
        {
            final int partition = random.nextInt(4);
            all.add(new InMemorySource.Record("in", partition, next[partition]++, 1_700_000_000_000L + i * 7L,
                ("key-" + partition + "-" + random.nextInt(8)).getBytes(StandardCharsets.UTF_8),
                Long.toString(random.nextInt(2001) - 1000).getBytes(StandardCharsets.UTF_8)));
        }
        final List<InMemorySource.Record> input = all.stream().filter(r -> r.partition() == 2).toList();
        final PipelineSpec spec = PipelineBuilder.named("windows").source("in").timeWindow(1_000, 1_000, 0, 0,
            List.of(Aggregation.COUNT, Aggregation.SUM), ValueKind.LONG,
            dev.ringflow.engine.pipeline.OutputFormat.JSON).sink("out")
            .state(new StateSpec(StateSpec.Scope.PARTITION, null, 1_000)).build();
        final InMemorySink alone = new InMemorySink();
        final InMemorySource aloneSource = start(spec, alone);
        input.forEach(aloneSource::offer);
        awaitUntil(() -> aloneSource.committedCount() == input.size());
        final List<String> expected = alone.outputs().stream().map(InMemorySink.Output::valueText).toList();
        assertThat(expected).hasSizeGreaterThan(50);

        for (int round = 0; round < 5; round++)
        {
            final int split = 1 + random.nextInt(input.size() - 1);
            final long splitOffset = input.get(split).offset();
            final InMemorySink first = new InMemorySink();
            final InMemorySource firstSource = start(spec, first);
            all.stream().filter(r -> r.partition() != 2 || r.offset() < splitOffset).forEach(firstSource::offer);
            firstSource.offer(PartitionState.giveUp("in", 2, "test"));
            awaitUntil(() -> !first.partitionStates().isEmpty());
            final InMemorySink second = new InMemorySink();
            final InMemorySource secondSource = start(spec, second);
            secondSource.offer(PartitionState.takeOver("in", 2, splitOffset, first.partitionStates().get(0).state(),
                "test"));
            final List<InMemorySource.Record> rest = input.subList(split, input.size());
            rest.forEach(secondSource::offer);
            awaitUntil(() -> secondSource.committedCount() == rest.size());

            final List<String> joined = new ArrayList<>();
            first.outputs().stream().filter(o -> o.sourcePartition() == 2).forEach(o -> joined.add(o.valueText()));
            second.outputs().forEach(o -> joined.add(o.valueText()));
            int at = 0;
            while (at < joined.size() && at < expected.size() && joined.get(at).equals(expected.get(at)))
            {
                at++;
            }
            assertThat(joined).as("split at offset %d (input %d): %d outputs (first %d, second %d), expected %d; " +
                "first difference at #%d: %s instead of %s", splitOffset, split, joined.size(), first.outputs().size(),
                second.outputs().size(), expected.size(), at, at < joined.size() ? joined.get(at) : "none",
                at < expected.size() ? expected.get(at) : "none").isEqualTo(expected);
        }
    }

    @Test
    void shouldStartAPartitionEmptyWhenItsStateWasPublishedByAnotherPipeline()
    {
        final long seed = TestSeeds.seed("shouldStartAPartitionEmptyWhenItsStateWasPublishedByAnotherPipeline");
        final Random random = new Random(seed);
        final List<InMemorySource.Record> input = randomInput(random, 3_000, 10).stream()
            .filter(r -> r.partition() == 1).toList();
        final int split = input.size() / 2;
        // A rolling change: the old daemons sum the last 6, the new ones the last 5.
        final PipelineSpec older = PipelineBuilder.named("sums").source("in").window(RANGE + 1, 1, Aggregation.SUM,
            ValueKind.LONG).sink("out").state(new StateSpec(StateSpec.Scope.PARTITION, null, 1_000)).build();
        final InMemorySink first = new InMemorySink();
        final InMemorySource firstSource = start(older, first);
        input.subList(0, split).forEach(firstSource::offer);
        firstSource.offer(PartitionState.giveUp("in", 1, "test"));
        awaitUntil(() -> !first.partitionStates().isEmpty());

        final InMemorySink second = new InMemorySink();
        final InMemorySource secondSource = start(spec(1), second);
        secondSource.offer(PartitionState.takeOver("in", 1, first.partitionStates().get(0).coveredOffset(),
            first.partitionStates().get(0).state(), "test"));
        final List<InMemorySource.Record> rest = input.subList(split, input.size());
        rest.forEach(secondSource::offer);
        awaitUntil(() -> secondSource.committedCount() == rest.size());

        // The tasks differ, so the state does not fit: the partition goes on as if new, not with misread state.
        assertThat(byPartitionAndKey(second.outputs())).isEqualTo(oracle(rest));
    }

    @Test
    void shouldRestoreEveryPartitionFromASnapshotOfTheWorkersState() throws IOException
    {
        final long seed = TestSeeds.seed("shouldRestoreEveryPartitionFromASnapshotOfTheWorkersState");
        final Random random = new Random(seed);
        final List<InMemorySource.Record> input = randomInput(random, 4_000, 10);
        final PipelineSpec spec = spec(1);
        final WorkerState original = new WorkerState(PipelineProcessor::new, spec);
        final EventSlot slot = new EventSlot();
        final List<String> ignored = new ArrayList<>();
        feed(original, input.subList(0, 2_000), slot, ignored);

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        original.writeState(new DataOutputStream(bytes));
        final WorkerState restored = new WorkerState(PipelineProcessor::new, spec);
        restored.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(restored.size()).isEqualTo(PARTITIONS);
        final List<String> fromOriginal = new ArrayList<>();
        final List<String> fromRestored = new ArrayList<>();
        feed(original, input.subList(2_000, input.size()), slot, fromOriginal);
        feed(restored, input.subList(2_000, input.size()), slot, fromRestored);
        assertThat(fromRestored).hasSize(2_000).isEqualTo(fromOriginal);
    }

    @Test
    void shouldRefusePartitionStateWithoutExactlyOnceOrWithKeyBy()
    {
        final PipelineBuilder atLeastOnce = PipelineBuilder.named("p").source("in")
            .window(RANGE, 1, Aggregation.SUM, ValueKind.LONG).sink("out")
            .delivery(dev.ringflow.engine.pipeline.SinkSpec.Delivery.AT_LEAST_ONCE)
            .state(new StateSpec(StateSpec.Scope.PARTITION, null, 1_000));
        final PipelineBuilder keyBy = PipelineBuilder.named("p").source("in").jsonInput(null, null)
            .keyBy("card").sink("out").state(new StateSpec(StateSpec.Scope.PARTITION, "in", 1_000));

        assertThatValidationFails(atLeastOnce, "state.scope: partition state is handed over to the next owner in " +
            "the Kafka transaction that commits the partition's outputs and offsets, so it needs sink.delivery: " +
            "exactly-once");
        assertThatValidationFails(keyBy, "key-by re-keys them across partitions");
        assertThatValidationFails(keyBy, "state.topic: expected a topic of its own, not one the pipeline reads or " +
            "writes ('in')");
    }

    private static void assertThatValidationFails(final PipelineBuilder builder, final String message)
    {
        try
        {
            builder.build();
            fail("expected a validation error containing: " + message);
        }
        catch (final dev.ringflow.engine.pipeline.PipelineValidationException ex)
        {
            assertThat(ex.getMessage()).contains(message);
        }
    }

    private static void feed(final WorkerState state, final List<InMemorySource.Record> records,
        final EventSlot slot, final List<String> outputs)
    {
        for (final InMemorySource.Record record : records)
        {
            slot.input(record.topic(), record.partition(), record.offset(), record.timestampMs(), record.key(),
                record.value());
            final PipelineProcessor processor = state.forInput(slot);
            processor.process(slot);
            final OutputList out = processor.outputs();
            for (int i = 0; i < out.size(); i++)
            {
                outputs.add(record.partition() + "/" + out.key(i).toUtf8String() + "=" + out.value(i).toUtf8String());
            }
        }
    }

    private InMemorySource start(final PipelineSpec spec, final InMemorySink sink)
    {
        final InMemorySource source = new InMemorySource();
        engines.add(Engine.start(spec, source, sink));
        return source;
    }

    private static PipelineSpec spec(final int workers)
    {
        return PipelineBuilder.named("sums").source("in").window(RANGE, 1, Aggregation.SUM, ValueKind.LONG)
            .sink("out").workers(workers).state(new StateSpec(StateSpec.Scope.PARTITION, null, 1_000)).build();
    }

    /** Records over {@link #PARTITIONS} partitions, each numbered from 0, keys in any partition. */
    private static List<InMemorySource.Record> randomInput(final Random random, final int count, final int keys)
    {
        final long[] next = new long[PARTITIONS];
        final List<InMemorySource.Record> input = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int partition = random.nextInt(PARTITIONS);
            input.add(new InMemorySource.Record("in", partition, next[partition]++, 1_000L + i,
                ("key-" + random.nextInt(keys)).getBytes(StandardCharsets.UTF_8),
                Long.toString(random.nextInt(2001) - 1000).getBytes(StandardCharsets.UTF_8)));
        }
        return input;
    }

    /** The sliding sums of each key within each partition, under "partition/key", recomputed from lists. */
    private static Map<String, List<String>> oracle(final List<InMemorySource.Record> input)
    {
        final Map<String, List<Long>> seen = new LinkedHashMap<>();
        final Map<String, List<String>> out = new LinkedHashMap<>();
        for (final InMemorySource.Record record : input)
        {
            final String id = record.partition() + "/" + new String(record.key(), StandardCharsets.UTF_8);
            final List<Long> values = seen.computeIfAbsent(id, k -> new ArrayList<>());
            values.add(Long.parseLong(new String(record.value(), StandardCharsets.UTF_8)));
            long sum = 0;
            for (int i = Math.max(0, values.size() - RANGE); i < values.size(); i++)
            {
                sum += values.get(i);
            }
            out.computeIfAbsent(id, k -> new ArrayList<>()).add(Long.toString(sum));
        }
        return out;
    }

    private static Map<String, List<String>> byPartitionAndKey(final List<InMemorySink.Output> outputs)
    {
        final Map<String, List<String>> out = new LinkedHashMap<>();
        for (final InMemorySink.Output output : outputs)
        {
            out.computeIfAbsent(output.sourcePartition() + "/" + output.keyText(), k -> new ArrayList<>())
                .add(output.valueText());
        }
        return out;
    }

    private static void awaitUntil(final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("condition not met within 30 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
