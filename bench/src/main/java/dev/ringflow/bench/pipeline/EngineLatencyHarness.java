package dev.ringflow.bench.pipeline;

import dev.ringflow.bench.journal.ChronicleFlags;
import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.EventPublisher;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.EngineSpec;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.io.journal.ChronicleJournal;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Engine-internal latency of the in-memory seed sliding-sum pipeline (1,000 keys): events are offered on a fixed
 * schedule, and each output's latency runs from its input's intended time on that schedule (so a stalled engine
 * is charged for every event it delayed: no coordinated omission) to the moment the sink receives it. First the
 * engine's maximum rate is measured by offering events as fast as the ring takes them; then 10%, 50% and 90% of
 * it are offered for a fixed time each, with the journal off and on.
 * <pre>
 * java [Chronicle flags as for EndToEndHarness] -cp bench/target/benchmarks.jar \
 *     dev.ringflow.bench.pipeline.EngineLatencyHarness [seconds per rate, default 10] [BLOCKING|YIELDING|...] [pin]
 * </pre>
 * With {@code pin} the source (and the journal) run on CPU 0 and the worker on CPU 1.
 * <pre>
 * </pre>
 * <b>Note:</b> The source thread spins until an event is due (it must publish on time), so with the journal on
 * the engine's three threads share the machine's two cores with nothing else.
 */
public final class EngineLatencyHarness
{
    private static final int KEYS = 1_000;
    private static final long MAX_RATE_EVENTS = 5_000_000;
    private static boolean pinned;

    private EngineLatencyHarness()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        final EngineSpec.WaitStrategyKind wait =
            args.length > 1 ? EngineSpec.WaitStrategyKind.valueOf(args[1]) : EngineSpec.WaitStrategyKind.BLOCKING;
        pinned = args.length > 2 && "pin".equals(args[2]);
        System.out.printf(Locale.ROOT, "| journal | offered rate | events/s | events | p50 us | p90 us | p99 us | " +
            "p99.9 us | p99.99 us | max us |%n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
        for (final boolean journal : new boolean[] { false, true })
        {
            final double max = run(journal, wait, 0, MAX_RATE_EVENTS).eventsPerSecond;
            System.out.printf(Locale.ROOT, "| %s | max | %,.0f | %,d | | | | | | |%n", journal ? "on" : "off", max,
                MAX_RATE_EVENTS);
            for (final int percent : new int[] { 10, 50, 90 })
            {
                final long rate = Math.round(max * percent / 100);
                final Result result = run(journal, wait, rate, rate * seconds);
                final Histogram h = result.latencyNanos;
                System.out.printf(Locale.ROOT, "| %s | %d%% | %,d | %,d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    journal ? "on" : "off", percent, rate, h.getTotalCount(), us(h, 50), us(h, 90), us(h, 99),
                    us(h, 99.9), us(h, 99.99), h.getMaxValue() / 1e3);
            }
        }
    }

    private static double us(final Histogram histogram, final double percentile)
    {
        return histogram.getValueAtPercentile(percentile) / 1e3;
    }

    /** What one run measured. */
    private record Result(double eventsPerSecond, Histogram latencyNanos)
    {
    }

    /**
     * @param rate events per second, or 0 for as fast as the ring takes them.
     */
    private static Result run(final boolean journal, final EngineSpec.WaitStrategyKind wait, final long rate,
        final long events) throws IOException, InterruptedException
    {
        final PipelineBuilder builder = PipelineBuilder.named("latency").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").waitStrategy(wait);
        if (pinned)
        {
            builder.cpu("source", "0").cpu("worker", "1").cpu("journal", "0");
        }
        final PipelineSpec spec = builder.build();
        final ScheduledSource source = new ScheduledSource(rate, events);
        final LatencySink sink = new LatencySink(source);
        // Collect the previous run's engine now, not in the middle of this one.
        System.gc();
        Path dir = null;
        final Engine engine;
        if (journal)
        {
            dir = Files.createTempDirectory("ringflow-latency-journal");
            engine = Engine.start(spec, source, sink, ChronicleJournal.open(
                new JournalSpec(true, dir.toString(), JournalSpec.RollCycle.HOURLY)));
        }
        else
        {
            engine = Engine.start(spec, source, sink);
        }
        try
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
            while (sink.outputs.get() < events)
            {
                if (engine.hasFailed() || System.nanoTime() > deadlineNs)
                {
                    throw new IllegalStateException("engine failed or stalled: " + engine.failure());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            final double seconds = (sink.lastOutputNs - source.startNs) / 1e9;
            return new Result(events / seconds, sink.latencyNanos);
        }
        finally
        {
            engine.close();
            if (null != dir)
            {
                ChronicleFlags.delete(dir);
            }
        }
    }

    /** Publishes event i at startNs + i / rate (or at once when the rate is 0), as a sliding-sum input. */
    private static final class ScheduledSource extends BenchSource
    {
        private final long intervalPicos;
        private final long events;
        private volatile long startNs;
        private long next;

        ScheduledSource(final long rate, final long events)
        {
            super(KEYS);
            this.intervalPicos = rate == 0 ? 0 : 1_000_000_000_000L / rate;
            this.events = events;
        }

        long intendedNs(final long event)
        {
            return startNs + event * intervalPicos / 1_000;
        }

        @Override
        public int poll(final EventPublisher publisher)
        {
            if (next == 0 && startNs == 0)
            {
                startNs = System.nanoTime();
            }
            int count = 0;
            final long nowNs = System.nanoTime();
            while (next < events && count < 1024 && intendedNs(next) <= nowNs)
            {
                final EventSlot slot = publisher.tryClaim();
                if (null == slot)
                {
                    break;
                }
                fill(slot, next);
                next++;
                count++;
            }
            publisher.publish();
            if (count == 0)
            {
                Thread.onSpinWait();
            }
            return count;
        }
    }

    /** Records each output's latency from its input's intended time (single writer: the worker). */
    private static final class LatencySink extends OutputCountingSink
    {
        final Histogram latencyNanos = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        private final ScheduledSource source;
        volatile long lastOutputNs;

        LatencySink(final ScheduledSource source)
        {
            this.source = source;
        }

        @Override
        public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
            final String reason, final EventSlot slot)
        {
            if (kind == OutputList.OUTPUT)
            {
                final long nowNs = System.nanoTime();
                latencyNanos.recordValue(Math.max(0, nowNs - source.intendedNs(slot.sourceOffset())));
                count++;
                lastOutputNs = nowNs;
            }
        }
    }
}
