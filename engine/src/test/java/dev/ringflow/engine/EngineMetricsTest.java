package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.EngineSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The worker records live inputs' latencies (sampled) and its busy time without allocating: measured on the real
 * worker thread of a running engine.
 */
class EngineMetricsTest
{
    private static final int BATCH = 200_000;
    private static final int WARM_UP_ROUNDS = 4;

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
    void shouldRecordLatenciesWithoutAllocatingOnTheWorkerThread()
    {
        final Random random = new Random(TestSeeds.seed("shouldRecordEveryInputsLatenciesWithoutAllocating"));
        // A yielding worker: a blocking one allocates a lock-queue node each time it goes to sleep on an empty ring.
        final PipelineSpec spec = PipelineBuilder.named("metrics").source("in")
            .window(10, 1, Aggregation.SUM, ValueKind.LONG).format("{key}: {value}").sink("out")
            .waitStrategy(EngineSpec.WaitStrategyKind.YIELDING).build();
        final CountingSink sink = new CountingSink();
        final InMemorySource source = new InMemorySource();
        engine = Engine.start(spec, source, sink);
        final Thread worker = thread("ringflow-worker-0");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Warm-up as long as PipelineProcessorAllocationTest's (800,000 inputs): the JIT's last recompilations of
        // the worker's loop, around the 500,000th input, allocate a few bytes once.
        int rounds = 0;
        while (rounds < WARM_UP_ROUNDS)
        {
            allocatedByRound(source, sink, random, worker, threads, ++rounds);
        }
        final long measured = allocatedByRound(source, sink, random, worker, threads, ++rounds) +
            allocatedByRound(source, sink, random, worker, threads, ++rounds);

        assertThat(measured).as("bytes the worker allocated for %,d inputs with metrics on", 2 * BATCH).isZero();
        final WorkerMetrics metrics = engine.metrics().workers().get(0);
        final long sampled = metrics.takeInterval(LatencyStage.END_TO_END, null).getTotalCount();
        // One in 64, plus the first of any batch that starts more than a millisecond after the last sample.
        assertThat(sampled).isBetween((long) rounds * BATCH / WorkerMetrics.LATENCY_SAMPLE_INTERVAL,
            (long) rounds * BATCH);
        for (final LatencyStage stage : List.of(LatencyStage.RING, LatencyStage.PROCESS, LatencyStage.SINK))
        {
            assertThat(metrics.takeInterval(stage, null).getTotalCount()).as(stage.label()).isEqualTo(sampled);
        }
        assertThat(metrics.busyNs()).isPositive();
        assertThat(engine.metrics().ringCapacity()).isEqualTo(spec.engine().ringCapacity());
        assertThat(engine.notLiveReason()).isNull();
    }

    @Test
    void shouldSplitEndToEndLatencyIntoItsStages()
    {
        final PipelineSpec spec = PipelineBuilder.named("stages").source("in").sink("out").build();
        final CountingSink sink = new CountingSink();
        final InMemorySource source = new InMemorySource();
        engine = Engine.start(spec, source, sink);

        offerAll(source, records(new Random(1), 0).subList(0, 1_000));
        awaitUntil("the inputs are processed", () -> sink.records.get() == 1_000);

        final WorkerMetrics metrics = engine.metrics().workers().get(0);
        final Histogram endToEnd = metrics.takeInterval(LatencyStage.END_TO_END, null);
        long stagesMeanSum = 0;
        for (final LatencyStage stage : List.of(LatencyStage.RING, LatencyStage.PROCESS, LatencyStage.SINK))
        {
            stagesMeanSum += (long) metrics.takeInterval(stage, null).getMean();
        }
        assertThat(endToEnd.getTotalCount()).isBetween(1_000L / WorkerMetrics.LATENCY_SAMPLE_INTERVAL, 1_000L);
        // Each event's stages add up to its end-to-end time exactly; histogram buckets are within 1%.
        assertThat((double) stagesMeanSum).isCloseTo(endToEnd.getMean(),
            org.assertj.core.data.Percentage.withPercentage(3));
    }

    @Test
    void shouldNotBeLiveOnceStopped()
    {
        final InMemorySource source = new InMemorySource();
        engine = Engine.start(PipelineBuilder.named("stop").source("in").sink("out").build(), source,
            new CountingSink());
        assertThat(engine.notLiveReason()).isNull();

        engine.close();

        assertThat(engine.notLiveReason()).isEqualTo("the pipeline has stopped");
    }

    /** Offers round {@code round} of {@link #BATCH} inputs and returns what the worker allocated processing it. */
    private static long allocatedByRound(final InMemorySource source, final CountingSink sink, final Random random,
        final Thread worker, final com.sun.management.ThreadMXBean threads, final int round)
    {
        final List<InMemorySource.Record> records = records(random, (long) (round - 1) * BATCH);
        final long before = threads.getThreadAllocatedBytes(worker.getId());
        offerAll(source, records);
        awaitUntil("round " + round + " is processed", () -> sink.records.get() == (long) round * BATCH);
        return threads.getThreadAllocatedBytes(worker.getId()) - before;
    }

    private static List<InMemorySource.Record> records(final Random random, final long firstOffset)
    {
        final List<InMemorySource.Record> records = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++)
        {
            records.add(new InMemorySource.Record("in", 0, firstOffset + i, i,
                ("key-" + random.nextInt(100)).getBytes(StandardCharsets.UTF_8),
                Integer.toString(random.nextInt(1_000)).getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    private static void offerAll(final InMemorySource source, final List<InMemorySource.Record> records)
    {
        for (final InMemorySource.Record record : records)
        {
            source.offer(record);
        }
    }

    private static Thread thread(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals(name))
            {
                return thread;
            }
        }
        throw new AssertionError("no thread " + name);
    }

    private static void awaitUntil(final String what, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                fail(what + ": not within 60 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Counts outputs and keeps nothing: allocates nothing on the worker thread. */
    private static final class CountingSink implements Sink
    {
        final AtomicLong records = new AtomicLong();

        @Override
        public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
            final String reason, final EventSlot source)
        {
            records.lazySet(records.get() + 1);
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
        }
    }
}
