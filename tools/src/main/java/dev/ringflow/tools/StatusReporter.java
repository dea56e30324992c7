package dev.ringflow.tools;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.EngineCounters;
import dev.ringflow.engine.EngineMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Logs one status line per interval for a running pipeline: rates since the last line, totals, bad input, and the
 * running log-loss and AUC of each learn task.
 */
final class StatusReporter implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger("ringflow.status");

    private final Engine engine;
    private final ScheduledExecutorService timer;
    private long lastIn;
    private long lastOut;
    private long lastNs = System.nanoTime();

    StatusReporter(final Engine engine, final long intervalSeconds)
    {
        this.engine = engine;
        this.timer = Executors.newSingleThreadScheduledExecutor(task ->
        {
            final Thread thread = new Thread(task, "ringflow-status");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::report, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    void report()
    {
        final EngineCounters counters = engine.counters();
        final long in = counters.eventsIn();
        final long out = counters.eventsOut();
        final long nowNs = System.nanoTime();
        final double seconds = Math.max(1e-9, (nowNs - lastNs) / 1e9);
        LOG.info(line(engine.spec().name(), (in - lastIn) / seconds, (out - lastOut) / seconds, counters) +
            modelFigures(engine.metrics()));
        lastIn = in;
        lastOut = out;
        lastNs = nowNs;
    }

    static String line(final String name, final double inPerSecond, final double outPerSecond,
        final EngineCounters counters)
    {
        final long replayed = counters.replayed();
        return String.format("%s: in %,.0f/s out %,.0f/s | total in %,d%s out %,d | bad input %,d (dead-lettered %,d)" +
            " | late %,d", name, inPerSecond, outPerSecond, counters.eventsIn(),
            replayed == 0 ? "" : String.format(" (replayed from the journal %,d)", replayed), counters.eventsOut(),
            counters.badInput(), counters.deadLettered(), counters.late());
    }

    /** The figures of the score and learn tasks, as the status line ends with them. */
    static String modelFigures(final EngineMetrics metrics)
    {
        return scoreFigures(metrics.scoreTasks()) + learnFigures(metrics.learnTasks());
    }

    /**
     * The figures of the score tasks, one {@code | score} part each, e.g. {@code | score fraud: model v2, 12,345
     * scored, shadow v3 agrees 97.12% of 12,345}; empty without score tasks.
     */
    static String scoreFigures(final List<EngineMetrics.ScoreSummary> tasks)
    {
        final StringBuilder text = new StringBuilder();
        for (final EngineMetrics.ScoreSummary task : tasks)
        {
            text.append(String.format(Locale.ROOT, " | score %s: model %s, %,d scored", task.name(), task.version(),
                task.scored()));
            if (null != task.shadowVersion())
            {
                text.append(String.format(Locale.ROOT, ", shadow %s agrees %s of %,d", task.shadowVersion(),
                    Double.isNaN(task.agreement()) ? "-" : String.format(Locale.ROOT, "%.2f%%",
                        100 * task.agreement()), task.compared()));
            }
        }
        return text.toString();
    }

    /**
     * The figures of the learn tasks, one {@code | learn} part each, e.g.
     * {@code | learn fraud: 12,345 updates, log-loss 0.4123, AUC 0.8731 over 1,000, model fraud@12345};
     * empty without learn tasks. Log-loss and AUC read {@code -} while undefined.
     */
    static String learnFigures(final List<EngineMetrics.LearnSummary> tasks)
    {
        final StringBuilder text = new StringBuilder();
        for (final EngineMetrics.LearnSummary task : tasks)
        {
            text.append(String.format(Locale.ROOT, " | learn %s: %,d updates, log-loss %s, AUC %s over %,d, model %s",
                task.label(), task.updates(), figure(task.logLoss()), figure(task.auc()), task.window(),
                task.version()));
        }
        return text.toString();
    }

    private static String figure(final double value)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    @Override
    public void close()
    {
        timer.shutdownNow();
    }
}
