package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commit interval holds while the source has a backlog. Such a source refills the ring as fast as the worker
 * frees it, so the ring is full whenever the commit timer fires; the commit marker must then take the next free
 * slot, ahead of more input. (Skipping the marker on a full ring committed only when a slot happened to be free at
 * that moment: every 400 ms at 100 ms configured, under load.)
 */
class CommitIntervalUnderBacklogTest
{
    private static final long COMMIT_INTERVAL_MS = 10;
    private static final int EVENTS = 40_000;
    /** What the sink spends per record, so that the worker, not the source, sets the pace. */
    private static final long RECORD_NS = 15_000;

    private Engine engine;

    @AfterEach
    void tearDown()
    {
        if (null != engine)
        {
            engine.close();
        }
    }

    @Test
    void shouldCommitEveryIntervalWhileTheSourceKeepsTheRingFull()
    {
        final AtomicLong published = new AtomicLong();
        final Source backlog = new Source()
        {
            @Override
            public int poll(final EventPublisher publisher)
            {
                int count = 0;
                EventSlot slot;
                while (published.get() < EVENTS && null != (slot = publisher.tryClaim()))
                {
                    final long n = published.getAndIncrement();
                    slot.input("in", 0, n, n, "k".getBytes(StandardCharsets.UTF_8),
                        Long.toString(n % 10).getBytes(StandardCharsets.UTF_8));
                    count++;
                }
                publisher.publish();
                if (0 == count)
                {
                    // The ring is full (or the input is done): wait a little, as a Kafka source waits for space.
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
                }
                return count;
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
        final List<Long> commitNs = new CopyOnWriteArrayList<>();
        final AtomicLong outputs = new AtomicLong();
        final Sink slowTransactional = new Sink()
        {
            @Override
            public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
                final String reason, final EventSlot source)
            {
                final long untilNs = System.nanoTime() + RECORD_NS;
                while (System.nanoTime() < untilNs)
                {
                    Thread.onSpinWait();
                }
                outputs.incrementAndGet();
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
            public boolean commitsProgress()
            {
                return true;
            }

            @Override
            public void commit(final SourceProgress progress, final long journalIndex)
            {
                commitNs.add(System.nanoTime());
            }

            @Override
            public void close()
            {
            }
        };
        final PipelineSpec spec = PipelineBuilder.named("backlog").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").ringCapacity(64)
            .commitIntervalMs(COMMIT_INTERVAL_MS).build();
        engine = Engine.start(spec, backlog, slowTransactional);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (outputs.get() < EVENTS && System.nanoTime() < deadlineNs)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(outputs.get()).as("outputs within 60 s").isEqualTo(EVENTS);
        final long lastOutputNs = System.nanoTime();

        // The backlog lasted at least EVENTS * RECORD_NS (0.6 s): about 60 intervals of 10 ms.
        final List<Long> during = commitNs.stream().filter(ns -> ns <= lastOutputNs).toList();
        assertThat(during.size()).as("commits while the ring was full, " + during).isGreaterThan(2);
        final double meanIntervalMs = (during.get(during.size() - 1) - during.get(0)) / 1e6 / (during.size() - 1);
        // Each interval is the timer's plus a ring of 64 events at 15 us (1 ms) before the marker is reached.
        assertThat(meanIntervalMs).as("mean ms between commits, configured " + COMMIT_INTERVAL_MS)
            .isLessThan(3 * COMMIT_INTERVAL_MS);
    }
}
