package dev.ringflow.engine.stage;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The figures of one {@code learn} task on one worker, as that worker last published them: how many updates its
 * model(s) took, and the prequential log-loss and AUC over the last {@code metrics-window} labelled events.
 * <p>
 * The worker computes the log-loss and AUC (O(window log window)) at the end of a batch when its model learnt
 * since the last publication and at least {@link #PUBLISH_INTERVAL_NS} has passed, and at every commit marker; it
 * never computes them per event. So the figures trail the model by at most that interval while input flows, and
 * by what arrived in the last interval before input stopped until the next commit marker.
 * <p>
 * <b>Note:</b> One writer (the worker, at those points), any number of readers: the figures are published under
 * a sequence number (odd while writing), so a reader sees one publication whole and the worker never waits.
 */
public final class LearnTaskMetrics
{
    /** The least time between two publications of a worker that is busy: 100 ms. */
    public static final long PUBLISH_INTERVAL_NS = 100_000_000L;

    private static final int UPDATES = 0;
    private static final int WINDOW = 1;
    private static final int LOG_LOSS = 2;
    private static final int AUC = 3;

    private final int task;
    private final String label;
    private final String versionPrefix;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLongArray values = new AtomicLongArray(4);

    /** What a reader gets: one publication. Log-loss and AUC are NaN while undefined (no labels, one class). */
    public record Figures(long updates, int window, double logLoss, double auc)
    {
    }

    LearnTaskMetrics(final int task, final String label, final String versionPrefix)
    {
        this.task = task;
        this.label = label;
        this.versionPrefix = versionPrefix;
        values.set(LOG_LOSS, Double.doubleToRawLongBits(Double.NaN));
        values.set(AUC, Double.doubleToRawLongBits(Double.NaN));
    }

    /** The task's index in the pipeline's {@code tasks} list. */
    public int task()
    {
        return task;
    }

    /** How the task is called in metrics and status lines: its name, else {@code tasks[N]}. */
    public String label()
    {
        return label;
    }

    /** The version of a model after {@code updates} updates, as scored events carry it: {@code <prefix>@<n>}. */
    public String version(final long updates)
    {
        return versionPrefix + "@" + updates;
    }

    /** The last publication, read whole (retries while the worker is writing one: a few stores). */
    public Figures read()
    {
        while (true)
        {
            final long before = sequence.get();
            if ((before & 1) == 0)
            {
                final Figures figures = new Figures(values.get(UPDATES), (int)values.get(WINDOW),
                    Double.longBitsToDouble(values.get(LOG_LOSS)), Double.longBitsToDouble(values.get(AUC)));
                if (sequence.get() == before)
                {
                    return figures;
                }
            }
            Thread.onSpinWait();
        }
    }

    void publish(final long updates, final int window, final double logLoss, final double auc)
    {
        final long next = sequence.get() + 1;
        // Volatile (not ordered) store: the odd number must be visible before any of the values below change.
        sequence.set(next);
        values.lazySet(UPDATES, updates);
        values.lazySet(WINDOW, window);
        values.lazySet(LOG_LOSS, Double.doubleToRawLongBits(logLoss));
        values.lazySet(AUC, Double.doubleToRawLongBits(auc));
        sequence.lazySet(next + 1);
    }
}
