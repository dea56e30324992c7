package dev.ringflow.io.metrics;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.EngineCounters;
import dev.ringflow.engine.EngineMetrics;
import dev.ringflow.engine.LatencyStage;
import dev.ringflow.engine.WorkerMetrics;
import dev.ringflow.io.kafka.KafkaSinkMetrics;
import dev.ringflow.io.kafka.KafkaSourceMetrics;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One running pipeline as the endpoint sees it: its engine, and when it runs on Kafka its source's and sink's
 * figures and its journal directory. Takes the workers' latency intervals ({@link #sample()}), keeps rates, and
 * answers whether the pipeline is ready.
 * <p>
 * <b>Note:</b> Thread-safe: sampling, scrapes and status requests are serialised on this object.
 */
public final class PipelineMetrics
{
    /** Latency bucket bounds, seconds: 1 us to 10 s, so that sub-millisecond engine latencies are told apart. */
    static final double[] LATENCY_BUCKETS_SECONDS = {
        1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10 };
    /** Commit bucket bounds, seconds: a Kafka transaction commit takes milliseconds. */
    static final double[] COMMIT_BUCKETS_SECONDS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60 };
    private static final int RATE_SAMPLES = 6;

    private final String name;
    private final Engine engine;
    private final KafkaSourceMetrics source;
    private final KafkaSinkMetrics sink;
    private final Path journalDir;
    private final IntervalHistogram[] latencies = new IntervalHistogram[LatencyStage.values().length];
    private final Histogram[][] recycled;
    private final IntervalHistogram commits = new IntervalHistogram(
        KafkaSinkMetrics.HIGHEST_COMMIT_NS, 2, COMMIT_BUCKETS_SECONDS);
    private Histogram recycledCommits;
    private final long[] sampleNs = new long[RATE_SAMPLES];
    private final long[] sampleIn = new long[RATE_SAMPLES];
    private final long[] sampleOut = new long[RATE_SAMPLES];
    private final long[] sampleBusyNs = new long[RATE_SAMPLES];
    private int samples;

    /**
     * @param source     null for a pipeline without a Kafka source.
     * @param sink       null for a pipeline without a Kafka sink.
     * @param journalDir null without a journal.
     */
    public PipelineMetrics(final Engine engine, final KafkaSourceMetrics source, final KafkaSinkMetrics sink,
        final Path journalDir)
    {
        this.name = engine.spec().name();
        this.engine = engine;
        this.source = source;
        this.sink = sink;
        this.journalDir = journalDir;
        for (int i = 0; i < latencies.length; i++)
        {
            latencies[i] = new IntervalHistogram(
                WorkerMetrics.HIGHEST_TRACKABLE_NS, WorkerMetrics.SIGNIFICANT_DIGITS, LATENCY_BUCKETS_SECONDS);
        }
        recycled = new Histogram[engine.metrics().workers().size()][latencies.length];
    }

    public String name()
    {
        return name;
    }

    public Engine engine()
    {
        return engine;
    }

    /**
     * Why the pipeline is not ready to serve, or null when it is: it runs, has its partitions, has restored its
     * state from the journal and is connected to Kafka. A fenced or dropped daemon has failed, so says why.
     */
    public String notReadyReason()
    {
        final String notLive = engine.notLiveReason();
        if (null != notLive)
        {
            return notLive;
        }
        if (null != source)
        {
            if (!source.isAssigned())
            {
                return "partitions not assigned yet";
            }
            if (!source.isRestored())
            {
                return "restoring state from the journal";
            }
            if (null != source.restoringState())
            {
                return "taking over the state of partitions " + source.restoringState() + " from the state topic";
            }
            if (!source.isConnected())
            {
                return "Kafka unreachable: the consumer has no connection to any broker";
            }
        }
        return null;
    }

    /** Takes the workers' latency intervals and the counters' current values: called about once a second. */
    public synchronized void sample()
    {
        takeIntervals();
        for (final IntervalHistogram latency : latencies)
        {
            latency.endInterval();
        }
        commits.endInterval();
        final int at = samples++ % RATE_SAMPLES;
        final EngineCounters counters = engine.counters();
        sampleNs[at] = System.nanoTime();
        sampleIn[at] = counters.eventsIn();
        sampleOut[at] = counters.eventsOut();
        sampleBusyNs[at] = busyNs();
    }

    /** Brings the histograms up to date without ending an interval: before a scrape. */
    synchronized void takeIntervals()
    {
        final java.util.List<WorkerMetrics> workers = engine.metrics().workers();
        for (int w = 0; w < workers.size(); w++)
        {
            for (final LatencyStage stage : LatencyStage.values())
            {
                final Histogram interval = workers.get(w).takeInterval(stage, recycled[w][stage.ordinal()]);
                latencies[stage.ordinal()].add(interval);
                recycled[w][stage.ordinal()] = interval;
            }
        }
        if (null != sink)
        {
            recycledCommits = sink.takeCommitDurations(recycledCommits);
            commits.add(recycledCommits);
        }
    }

    /** Per second over the last few samples: inputs, outputs, and the workers' busy share (0..1 per worker). */
    synchronized double[] rates()
    {
        if (samples < 2)
        {
            return new double[] { 0, 0, 0 };
        }
        final int newest = (samples - 1) % RATE_SAMPLES;
        final int oldest = samples < RATE_SAMPLES ? 0 : samples % RATE_SAMPLES;
        final double seconds = Math.max(1e-9, (sampleNs[newest] - sampleNs[oldest]) / 1e9);
        final int workers = Math.max(1, engine.metrics().workers().size());
        return new double[] {
            (sampleIn[newest] - sampleIn[oldest]) / seconds,
            (sampleOut[newest] - sampleOut[oldest]) / seconds,
            (sampleBusyNs[newest] - sampleBusyNs[oldest]) / 1e9 / seconds / workers };
    }

    synchronized IntervalHistogram latency(final LatencyStage stage)
    {
        return latencies[stage.ordinal()];
    }

    synchronized IntervalHistogram commits()
    {
        return commits;
    }

    KafkaSourceMetrics source()
    {
        return source;
    }

    KafkaSinkMetrics sink()
    {
        return sink;
    }

    EngineMetrics engineMetrics()
    {
        return engine.metrics();
    }

    long busyNs()
    {
        long busy = 0;
        for (final WorkerMetrics worker : engine.metrics().workers())
        {
            busy += worker.busyNs();
        }
        return busy;
    }

    /** Bytes of the journal's files (not its snapshots); -1 without a journal. */
    long journalBytes()
    {
        if (null == journalDir)
        {
            return -1;
        }
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(journalDir))
        {
            for (final Path file : files)
            {
                if (Files.isRegularFile(file))
                {
                    bytes += Files.size(file);
                }
            }
        }
        catch (final IOException ex)
        {
            // Files roll and are deleted while we look: the next scrape counts again.
        }
        return bytes;
    }
}
