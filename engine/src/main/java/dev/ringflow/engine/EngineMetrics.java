package dev.ringflow.engine;

import com.lmax.disruptor.RingBuffer;
import dev.ringflow.engine.stage.LearnTaskMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a running engine measures beyond its {@link EngineCounters}: each worker's latencies and busy time, the
 * ring's fill, the journal's appends. The metrics endpoint reads it; nothing here is needed to run a pipeline.
 * <p>
 * <b>Note:</b> Thread-safe for readers. Each value has one writer thread: a worker writes its
 * {@link WorkerMetrics}, the journal thread the append count.
 */
public final class EngineMetrics
{
    private static final int STRIDE = 8;
    private static final int JOURNAL_APPENDS = STRIDE;

    private final AtomicLongArray values = new AtomicLongArray(2 * STRIDE);
    private volatile List<WorkerMetrics> workers = List.of();
    private volatile RingBuffer<EventSlot> ring;

    /** One per worker thread, in worker order. */
    public List<WorkerMetrics> workers()
    {
        return workers;
    }

    /**
     * The figures of each {@code learn} task of the running pipeline, as its workers last published them (see
     * {@link LearnTaskMetrics}), in task order. With several workers (per-key models, each worker holding its keys'
     * models) they are combined: updates add up, the log-loss is the mean over all the workers' windows, the AUC the
     * mean of each worker's AUC weighted by its window (not the AUC of the union, which would need every score).
     * <p>
     * <b>Note:</b> Allocates: for the metrics thread and status lines, not the workers.
     */
    public List<LearnSummary> learnTasks()
    {
        final List<WorkerMetrics> workers = this.workers;
        final List<LearnSummary> summaries = new ArrayList<>();
        if (workers.isEmpty())
        {
            return summaries;
        }
        final List<LearnTaskMetrics> first = workers.get(0).learnTasks();
        for (int t = 0; t < first.size(); t++)
        {
            long updates = 0;
            long window = 0;
            double logLossSum = 0;
            double aucSum = 0;
            long aucWindow = 0;
            for (final List<LearnTaskMetrics> tasks : groups(workers, WorkerMetrics::learnTaskGroups))
            {
                if (t >= tasks.size() || tasks.get(t).task() != first.get(t).task())
                {
                    continue;   // A pipeline change that this worker has not reached yet.
                }
                final LearnTaskMetrics.Figures figures = tasks.get(t).read();
                updates += figures.updates();
                if (figures.window() > 0)
                {
                    window += figures.window();
                    logLossSum += figures.logLoss() * figures.window();
                }
                if (!Double.isNaN(figures.auc()))
                {
                    aucWindow += figures.window();
                    aucSum += figures.auc() * figures.window();
                }
            }
            final LearnTaskMetrics task = first.get(t);
            summaries.add(new LearnSummary(task.task(), task.label(), task.version(updates), updates, window,
                0 == window ? Double.NaN : logLossSum / window, 0 == aucWindow ? Double.NaN : aucSum / aucWindow));
        }
        return summaries;
    }

    /** Every worker's task figures: one group per worker, or with partition-scoped state one per processor. */
    private static <T> List<List<T>> groups(final List<WorkerMetrics> workers,
        final java.util.function.Function<WorkerMetrics, List<List<T>>> groupsOf)
    {
        final List<List<T>> all = new ArrayList<>();
        for (final WorkerMetrics worker : workers)
        {
            all.addAll(groupsOf.apply(worker));
        }
        return all;
    }

    /**
     * One learn task's figures over every worker.
     *
     * @param task    its index in the pipeline's tasks.
     * @param label   its name, else {@code tasks[N]}.
     * @param version {@code <name or learn>@<updates>}.
     * @param window  labelled events the log-loss and AUC are over.
     * @param logLoss NaN before the first label.
     * @param auc     NaN until the window holds both classes.
     */
    public record LearnSummary(int task, String label, String version, long updates, long window, double logLoss,
        double auc)
    {
    }

    /**
     * The figures of each {@code score} task over every worker, in task order: the model version scoring now (as
     * the first worker has it: all switch at the same ring sequence), events scored, and the shadow model's
     * agreement.
     * <p>
     * <b>Note:</b> Allocates: for the metrics thread and status lines, not the workers.
     */
    public List<ScoreSummary> scoreTasks()
    {
        final List<ScoreSummary> summaries = new ArrayList<>();
        if (workers.isEmpty())
        {
            return summaries;
        }
        final List<dev.ringflow.engine.stage.ScoreTaskMetrics> first = workers.get(0).scoreTasks();
        for (int t = 0; t < first.size(); t++)
        {
            long scored = 0;
            long compared = 0;
            long agreed = 0;
            for (final List<dev.ringflow.engine.stage.ScoreTaskMetrics> tasks :
                groups(workers, WorkerMetrics::scoreTaskGroups))
            {
                if (t >= tasks.size() || tasks.get(t).task() != first.get(t).task())
                {
                    continue;   // A pipeline change that this worker has not reached yet.
                }
                scored += tasks.get(t).scored();
                compared += tasks.get(t).compared();
                agreed += tasks.get(t).agreed();
            }
            final dev.ringflow.engine.stage.ScoreTaskMetrics task = first.get(t);
            summaries.add(new ScoreSummary(task.task(), task.name(), task.version(), scored, task.shadowVersion(),
                compared, agreed));
        }
        return summaries;
    }

    /**
     * One score task's figures over every worker.
     *
     * @param name          its output field.
     * @param shadowVersion null without a shadow model.
     * @param compared      events both models scored.
     * @param agreed        of those, the ones both put on the same side of 0.5.
     */
    public record ScoreSummary(int task, String name, String version, long scored, String shadowVersion,
        long compared, long agreed)
    {
        /** The share of compared events the models agreed on; NaN before any. */
        public double agreement()
        {
            return 0 == compared ? Double.NaN : (double)agreed / compared;
        }
    }

    /** Records appended to the journal since start (inputs, ticks and commit markers). */
    public long journalAppends()
    {
        return values.get(JOURNAL_APPENDS);
    }

    /** Slots in the ring. */
    public long ringCapacity()
    {
        final RingBuffer<EventSlot> ring = this.ring;
        return null == ring ? 0 : ring.getBufferSize();
    }

    /** Slots published but not yet processed by every consumer: how full the ring is. */
    public long ringUsed()
    {
        final RingBuffer<EventSlot> ring = this.ring;
        return null == ring ? 0 : ring.getBufferSize() - ring.remainingCapacity();
    }

    /** Set once the engine has made its workers and its ring. */
    void attach(final List<WorkerMetrics> workers, final RingBuffer<EventSlot> ring)
    {
        this.workers = List.copyOf(workers);
        this.ring = ring;
    }

    void onJournalAppend()
    {
        values.lazySet(JOURNAL_APPENDS, values.get(JOURNAL_APPENDS) + 1);
    }
}
