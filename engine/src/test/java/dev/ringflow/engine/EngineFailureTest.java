package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Any engine thread that dies, of an {@link Error} too, stops the whole engine within seconds with a failure that
 * names the thread and the error: no thread is left waiting for a dead one, the source stops polling, and
 * {@link Engine#close()} returns.
 */
@Timeout(60)
class EngineFailureTest
{
    private static final PipelineSpec SUM = PipelineBuilder.named("sum").source("in")
        .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").build();

    @Test
    void shouldStopWhenAWorkerRunsOutOfMemory() throws Exception
    {
        final InMemorySource source = new InMemorySource();
        final Engine engine = Engine.start(SUM, source, new FailingSink(100, () -> new OutOfMemoryError("test heap")));

        feed(source, 1_000);

        assertStopped(engine, source, "ringflow-worker-0", "java.lang.OutOfMemoryError: test heap");
    }

    @Test
    void shouldStopWhenOneOfSeveralWorkersOverflowsItsStack() throws Exception
    {
        final PipelineSpec twoWorkers = PipelineBuilder.named("sum").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").workers(2).build();
        final InMemorySource source = new InMemorySource();
        final Engine engine = Engine.start(twoWorkers, source, new FailingSink(100, StackOverflowError::new));

        feed(source, 1_000);

        assertStopped(engine, source, "ringflow-worker-", "java.lang.StackOverflowError");
    }

    @Test
    void shouldStopWhenTheJournalThreadDiesAndEmitNothingItDidNotJournal() throws Exception
    {
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        final Engine engine = Engine.start(SUM, source, sink, new FailingJournal(50));

        feed(source, 1_000);

        assertStopped(engine, source, "ringflow-journal", "java.lang.OutOfMemoryError: journal heap");
        assertThat(sink.outputs()).as("outputs of events the journal never held").hasSizeLessThanOrEqualTo(50);
        assertThat(source.committedCount()).isZero();
    }

    @Test
    void shouldStopOnAnInternalErrorInsteadOfCountingItAsBadInput() throws Exception
    {
        final InMemorySource source = new InMemorySource();
        final InMemorySink sink = new InMemorySink();
        final Engine engine = Engine.start(SUM, source, sink, null, spec -> new PipelineProcessor(spec)
        {
            @Override
            public void process(final EventSlot slot)
            {
                if (slot.sourceOffset() == 300 && !slot.isTick())
                {
                    throw new IllegalStateException("a bug in a stage");
                }
                super.process(slot);
            }
        });

        feed(source, 1_000);

        assertStopped(engine, source, "ringflow-worker-0",
            "internal error while processing the event at topic in, partition 0, offset 300");
        assertThat(engine.failure().getMessage()).contains("java.lang.IllegalStateException: a bug in a stage");
        assertThat(engine.counters().badInput()).as("a bug is not bad input").isZero();
        assertThat(sink.deadLetters()).isEmpty();
        assertThat(sink.outputs()).as("outputs of the failing event or after it")
            .allSatisfy(output -> assertThat(output.sourceOffset()).isLessThan(300));
    }

    @Test
    void shouldStopWhenTheSourceThreadDies() throws Exception
    {
        final Source source = new Source()
        {
            @Override
            public int poll(final EventPublisher publisher)
            {
                throw new OutOfMemoryError("source heap");
            }

            @Override
            public void commit(final long processedSequence)
            {
            }

            @Override
            public void wakeup()
            {
            }

            @Override
            public void close()
            {
            }
        };
        final Engine engine = Engine.start(SUM, source, new InMemorySink());

        assertThat(engine.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.failure()).isInstanceOf(OutOfMemoryError.class).hasMessage("source heap");
    }

    private static void assertStopped(final Engine engine, final InMemorySource source, final String thread,
        final String error) throws InterruptedException
    {
        assertThat(engine.awaitTermination(10, TimeUnit.SECONDS)).as("the engine stops by itself").isTrue();
        assertThat(engine.failure()).isInstanceOf(EngineThreadException.class);
        assertThat(engine.failure().getMessage()).contains("engine thread " + thread).contains(error);
        assertThat(source.isClosed()).as("the source stops polling and leaves the group").isTrue();
        assertTimeoutPreemptively(Duration.ofSeconds(5), engine::close);
        // The source thread counts the engine terminated just before it returns: give it that moment.
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (engineThreadsAlive() && System.nanoTime() - deadlineNs < 0)
        {
            Thread.onSpinWait();
        }
        assertThat(engineThreadsAlive()).as("engine threads left running").isFalse();
    }

    private static boolean engineThreadsAlive()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().startsWith("ringflow-") && t.isAlive());
    }

    private static void feed(final InMemorySource source, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            source.offer(EngineTest.record(i, "key-" + (i % 7), Integer.toString(i)));
        }
    }

    /** A sink whose {@code failAt}-th record throws what {@code error} makes. */
    private static final class FailingSink implements Sink
    {
        private final int failAt;
        private final Supplier<Error> error;
        private final AtomicInteger records = new AtomicInteger();

        FailingSink(final int failAt, final Supplier<Error> error)
        {
            this.failAt = failAt;
            this.error = error;
        }

        @Override
        public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
            final String reason, final EventSlot source)
        {
            if (records.incrementAndGet() == failAt)
            {
                throw error.get();
            }
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

    /** A journal whose {@code failAt}-th append runs out of memory. */
    private static final class FailingJournal implements Journal
    {
        private final int failAt;
        private int appended;

        FailingJournal(final int failAt)
        {
            this.failAt = failAt;
        }

        @Override
        public void append(final EventSlot slot)
        {
            if (++appended == failAt)
            {
                throw new OutOfMemoryError("journal heap");
            }
        }

        @Override
        public long flush()
        {
            return appended;
        }

        @Override
        public void close()
        {
        }
    }
}
