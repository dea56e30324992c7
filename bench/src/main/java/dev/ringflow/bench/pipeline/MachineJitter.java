package dev.ringflow.bench.pipeline;

import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How much of the time a busy thread gets on this machine, with nothing of Ringflow running: one thread per CPU
 * spins on {@link System#nanoTime()} and records every gap between two consecutive readings (the thread was
 * descheduled, or the virtual CPU was). Whatever share of the time sits in gaps longer than a latency target is
 * latency no engine running on these CPUs can avoid: if 1% of a spinning thread's time is lost in gaps of 1 ms or
 * more, an engine's p99 cannot be below that, however fast its code (the idea of jHiccup and sysjitter).
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.ringflow.bench.pipeline.MachineJitter [seconds, default 10] [threads]
 * </pre>
 */
public final class MachineJitter
{
    private static final long[] THRESHOLDS_NS = { 10_000, 50_000, 1_000_000 };

    private MachineJitter()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        final int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        final Spinner[] spinners = new Spinner[threads];
        final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (int i = 0; i < threads; i++)
        {
            spinners[i] = new Spinner(endNs);
            spinners[i].setName("jitter-" + i);
            spinners[i].start();
        }
        System.out.printf(Locale.ROOT, "%d spinning threads for %d s%n| thread | gaps >= 10 us | time in them | " +
            "gaps >= 50 us | time in them | gaps >= 1 ms | time in them | longest gap |%n" +
            "|---|---:|---:|---:|---:|---:|---:|---:|%n", threads, seconds);
        for (int i = 0; i < threads; i++)
        {
            spinners[i].join();
            final Spinner s = spinners[i];
            final StringBuilder row = new StringBuilder("| " + i + " |");
            for (int t = 0; t < THRESHOLDS_NS.length; t++)
            {
                row.append(String.format(Locale.ROOT, " %,d | %.2f%% |", s.gapCounts[t],
                    100.0 * s.gapTotalsNs[t] / s.elapsedNs));
            }
            row.append(String.format(Locale.ROOT, " %.2f ms |", s.gapsNs.getMaxValue() / 1e6));
            System.out.println(row);
        }
    }

    /** Spins until its end time, recording gaps of 1 us or more between consecutive clock readings. */
    private static final class Spinner extends Thread
    {
        final Histogram gapsNs = new Histogram(TimeUnit.SECONDS.toNanos(10), 2);
        final long[] gapCounts = new long[THRESHOLDS_NS.length];
        final long[] gapTotalsNs = new long[THRESHOLDS_NS.length];
        private final long endNs;
        long elapsedNs;

        Spinner(final long endNs)
        {
            this.endNs = endNs;
        }

        @Override
        public void run()
        {
            final long startNs = System.nanoTime();
            long last = startNs;
            while (last < endNs)
            {
                final long now = System.nanoTime();
                final long gap = now - last;
                if (gap >= 1_000)
                {
                    gapsNs.recordValue(gap);
                    for (int t = 0; t < THRESHOLDS_NS.length; t++)
                    {
                        if (gap >= THRESHOLDS_NS[t])
                        {
                            gapCounts[t]++;
                            gapTotalsNs[t] += gap;
                        }
                    }
                }
                last = now;
            }
            elapsedNs = last - startNs;
        }
    }
}
