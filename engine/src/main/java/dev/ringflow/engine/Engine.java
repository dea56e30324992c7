package dev.ringflow.engine;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.ringflow.engine.pipeline.EngineSpec;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one pipeline: a source thread publishes events into a Disruptor ring of preallocated slots, a worker
 * runs the pipeline's stages on them and hands the results to the sink; processed input is acknowledged to the
 * source only after the sink has made its output durable.
 * <pre>
 *  source thread --publish--> [ ring of EventSlot ] --> ringflow-journal: append to the Journal
 *        ^                                          \-> ringflow-worker-0: stages, then (once journaled) Sink
 *        |                                                                        |
 *        +-- commit(processed sequence) after Sink.flush(), or a commit marker ---+
 *            through the ring when the sink commits the source's progress itself
 * </pre>
 * <b>Note:</b> Threads: {@code ringflow-source}, {@code ringflow-worker-0} (one more per extra worker, keys sharded
 * by record-key hash) and, with a journal, {@code ringflow-journal} (plus whatever the sink runs, e.g. the Kafka
 * producer's I/O thread). With the default blocking wait strategy an idle engine uses no CPU. When
 * {@code engine.idle-watermark-ms} is set, the source thread publishes a tick when input has been idle that long,
 * and event-time windows move their watermark on by the idle time.
 * <p>
 * <b>Note:</b> {@link #close()} stops polling, drains the ring, flushes the sink, acknowledges the input and
 * closes source and sink; it is idempotent.
 */
public final class Engine implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /**
     * How long stopping may take in all: draining the ring, the last commit, closing the clients. Past it the
     * engine fails, halts its threads and returns, so a daemon always exits.
     */
    public static final long SHUTDOWN_TIMEOUT_MS = 30_000;
    /** How long a halt waits for the ring's threads to leave their current event. */
    private static final long HALT_JOIN_TIMEOUT_MS = 5_000;

    private final PipelineSpec spec;
    private final Source source;
    private final Sink sink;
    private final Journal journal;
    /** Null without a journal directory; snapshots are taken only when {@code journal.snapshot-interval-ms > 0}. */
    private final SnapshotStore snapshots;
    private final boolean sinkCommitsProgress;
    private final EngineCounters counters = new EngineCounters();
    private final Disruptor<EventSlot> disruptor;
    private final RingflowThreadFactory threads;
    private final WorkerHandler[] workers;
    private final EventPublisher publisher;
    private final EngineMetrics metrics = new EngineMetrics();
    private final Thread sourceThread;
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Closed when the engine stops, before its source: see {@link #closeWith}. */
    private final java.util.List<AutoCloseable> companions = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Changes accepted by {@link #applyPipeline}, waiting for the source thread to put them into the ring. */
    private final java.util.concurrent.ConcurrentLinkedQueue<RuntimeChange> pendingChanges =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The pipeline the next change applies to: the last one accepted. Guarded by {@code pendingChanges}. */
    private PipelineSpec acceptedPipeline;
    private volatile boolean stopRequested;
    private volatile Throwable failure;

    private Engine(final PipelineSpec spec, final Source source, final Sink sink, final Journal journal,
        final Function<PipelineSpec, PipelineProcessor> processors)
    {
        this.spec = spec;
        this.acceptedPipeline = spec;
        this.source = source;
        this.sink = sink;
        this.journal = journal;
        this.sinkCommitsProgress = sink.commitsProgress();
        final EngineSpec engineSpec = spec.engine();
        final int workerCount = engineSpec.workers();
        final List<String> threadNames = new ArrayList<>();
        for (int i = 0; i < workerCount; i++)
        {
            threadNames.add("ringflow-worker-" + i);
        }
        threadNames.add("ringflow-journal");
        threads = new RingflowThreadFactory(threadNames, engineSpec.cpus());
        disruptor = new Disruptor<>(
            EventSlot::new,
            engineSpec.ringCapacity(),
            threads,
            ProducerType.SINGLE,
            WaitStrategies.of(engineSpec.waitStrategy()));
        workers = new WorkerHandler[workerCount];
        final CommitBarrier barrier = workerCount > 1 && sinkCommitsProgress ? new CommitBarrier(workerCount, this) :
            null;
        final JournalHandler journalHandler = null == journal ? null : new JournalHandler(journal, this);
        snapshots = null == journal || null == journal.dir() ? null : new SnapshotStore(journal.dir(), spec);
        final List<WorkerMetrics> workerMetrics = new ArrayList<>();
        for (int i = 0; i < workerCount; i++)
        {
            final EngineCounters workerCounters = workerCount == 1 ? counters : counters.newPart();
            final SinkHandler sinkHandler = new SinkHandler(
                sink, spec.sink().hasDeadLetterTopic(), spec.sink().hasLateTopic(), workerCounters, this);
            if (null != journalHandler)
            {
                sinkHandler.journaledSequence(journalHandler.journaledSequence());
            }
            if (null != barrier)
            {
                sinkHandler.barrier(barrier, i);
            }
            workers[i] = new WorkerHandler(processors, spec, workerCounters, sinkHandler, i, workerCount);
            workers[i].lookAhead(disruptor.getRingBuffer());
            workerMetrics.add(workers[i].metrics());
            if (null != snapshots)
            {
                workers[i].snapshots(snapshots, journal, this);
            }
        }
        final List<EventHandler<EventSlot>> consumers = new ArrayList<>(List.of(workers));
        if (null != journalHandler)
        {
            consumers.add(journalHandler);
        }
        @SuppressWarnings("unchecked")
        final EventHandler<EventSlot>[] handlers = consumers.toArray(new EventHandler[0]);
        disruptor.setDefaultExceptionHandler(new EngineThreadFailureHandler(this));
        disruptor.handleEventsWith(handlers);
        metrics.attach(workerMetrics, disruptor.getRingBuffer());
        final RingBuffer<EventSlot> ring = disruptor.start();
        try
        {
            publisher = new EventPublisher(ring, this);
            sourceThread = threads.newThread(this::runSource, "ringflow-source");
        }
        catch (final RuntimeException | Error ex)
        {
            // The ring's threads run already: stop them, or they outlive the failed start holding the journal.
            halt();
            throw ex;
        }
    }

    /**
     * Starts the pipeline. The engine owns {@code source} and {@code sink} from here on and closes them.
     */
    public static Engine start(final PipelineSpec spec, final Source source, final Sink sink)
    {
        return start(spec, source, sink, null);
    }

    /**
     * Starts the pipeline with a journal: every live input and tick is appended to it on its own thread, and no
     * output leaves the engine before the input that caused it is journaled. The engine owns {@code source},
     * {@code sink} and {@code journal} from here on and closes them.
     *
     * @param journal null for none.
     */
    public static Engine start(final PipelineSpec spec, final Source source, final Sink sink, final Journal journal)
    {
        return start(spec, source, sink, journal, PipelineProcessor::new);
    }

    /** Starts the pipeline with each worker's processor made by {@code processors}: a seam for fault tests. */
    static Engine start(final PipelineSpec spec, final Source source, final Sink sink, final Journal journal,
        final Function<PipelineSpec, PipelineProcessor> processors)
    {
        final Engine engine = new Engine(
            Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(source, "source"),
            Objects.requireNonNull(sink, "sink"), journal, processors);
        try
        {
            engine.sourceThread.start();
        }
        catch (final RuntimeException | Error ex)
        {
            engine.halt();
            throw ex;
        }
        return engine;
    }

    public PipelineSpec spec()
    {
        return spec;
    }

    /**
     * Changes the running pipeline's tasks (see {@link PipelineChange}): checks the change now, on the caller's
     * thread, then has the source thread put it into the ring between two input batches, where every worker
     * switches to it at the same sequence. It is journaled there, so a replay switches at the same event.
     *
     * @return completes with what the switch did once the workers have applied it (exceptionally if the engine
     * stops first).
     * @throws dev.ringflow.engine.pipeline.PipelineValidationException when the change is not a valid pipeline or
     *                                     changes what cannot change at runtime; the running pipeline goes on.
     */
    public java.util.concurrent.CompletableFuture<String> applyPipeline(final PipelineChange change)
    {
        synchronized (pendingChanges)
        {
            if (stopRequested)
            {
                throw new IllegalStateException("pipeline '" + spec.name() + "' is stopping: no change applies");
            }
            acceptedPipeline = change.prepare(acceptedPipeline);
            pendingChanges.add(change);
        }
        source.wakeup();
        return change.applied();
    }

    /**
     * Swaps the model of the running pipeline's score task named {@link ModelSwap#task()} (see {@link ModelSwap}):
     * checks now, on the caller's thread, that such a task exists and that the model takes its features, then has
     * the source thread put the swap into the ring, where every worker makes it at the same sequence, between two
     * events. It is journaled there with the model's bytes, so a replay scores each event with the same model.
     *
     * @return completes once the workers have swapped (exceptionally if the engine stops first).
     * @throws IllegalArgumentException when no score task has that name or the model does not fit it; the running
     *                                  model goes on.
     */
    public java.util.concurrent.CompletableFuture<String> swapModel(final ModelSwap swap)
    {
        synchronized (pendingChanges)
        {
            if (stopRequested)
            {
                throw new IllegalStateException("pipeline '" + spec.name() + "' is stopping: no model swap applies");
            }
            final List<dev.ringflow.engine.pipeline.ScoreTaskSpec> tasks = acceptedPipeline.tasks().stream()
                .filter(task -> task instanceof dev.ringflow.engine.pipeline.ScoreTaskSpec score &&
                    score.name().equals(swap.task()))
                .map(dev.ringflow.engine.pipeline.ScoreTaskSpec.class::cast).toList();
            if (tasks.isEmpty())
            {
                throw new IllegalArgumentException("pipeline '" + spec.name() + "' has no score task with output " +
                    "field '" + swap.task() + "' for " + swap.sourceName());
            }
            for (final dev.ringflow.engine.pipeline.ScoreTaskSpec task : tasks)
            {
                try
                {
                    swap.model().checkFeatures(task.inputFields());
                }
                catch (final dev.ringflow.models.score.ModelException ex)
                {
                    throw new IllegalArgumentException(ex.getMessage(), ex);
                }
            }
            pendingChanges.add(swap);
        }
        source.wakeup();
        return swap.applied();
    }

    /**
     * Closes {@code companion} when the engine stops, for whatever reason, before its source: something that feeds
     * changes to this engine and must not outlive it. Closed at once if the engine has stopped already.
     */
    public void closeWith(final AutoCloseable companion)
    {
        if (null == companion)
        {
            return;
        }
        companions.add(companion);
        if (isTerminated())
        {
            closeQuietly(companion);
        }
    }

    /** Puts the accepted changes into the ring; on the source thread, between polls. */
    void publishPendingChanges()
    {
        if (!source.acceptsChanges())
        {
            return;
        }
        RuntimeChange change;
        while (null != (change = pendingChanges.poll()))
        {
            publisher.claim().change(change);
            publisher.publish();
        }
    }

    /** True when a change waits for {@link #publishPendingChanges}: a cheap check for every poll. */
    boolean hasPendingChanges()
    {
        return !pendingChanges.isEmpty();
    }

    public EngineCounters counters()
    {
        return counters;
    }

    /** Latencies, busy time, ring fill and journal appends, for the metrics endpoint. */
    public EngineMetrics metrics()
    {
        return metrics;
    }

    /**
     * Why the engine is not live, or null while it is: it has not failed or stopped and every thread it started
     * is still running. For a liveness check.
     */
    public String notLiveReason()
    {
        final Throwable failure = this.failure;
        if (null != failure)
        {
            return "the pipeline failed: " + failure.getMessage();
        }
        if (isTerminated())
        {
            return "the pipeline has stopped";
        }
        final String ended = threads.endedThread();
        return null == ended ? null : "thread " + ended + " has ended";
    }

    /**
     * The error that stopped the engine, or null.
     */
    public Throwable failure()
    {
        return failure;
    }

    public boolean hasFailed()
    {
        return null != failure;
    }

    /**
     * @return true once the engine has stopped, by {@link #close()} or by a failure.
     */
    public boolean isTerminated()
    {
        return terminated.getCount() == 0;
    }

    /**
     * Waits for the engine to stop (after a failure, or a {@link #close()} from another thread).
     */
    public boolean awaitTermination(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return terminated.await(timeout, unit);
    }

    /**
     * Stops gracefully: no more polling, everything in the ring processed and flushed, input acknowledged. Returns
     * within about {@link #SHUTDOWN_TIMEOUT_MS}: a stop that takes longer fails the engine (nothing more is
     * acknowledged; a restart recovers) and leaves whatever thread is stuck behind.
     */
    @Override
    public void close()
    {
        stopRequested = true;
        source.wakeup();
        if (awaitTerminatedUninterruptibly(SHUTDOWN_TIMEOUT_MS))
        {
            return;
        }
        fail(new EngineThreadException("the pipeline did not stop within " + SHUTDOWN_TIMEOUT_MS +
            " ms (thread " + sourceThread.getName() + " is " + sourceThread.getState() + ")", null));
        // Halting needs no cooperation from the stuck source thread.
        disruptor.halt();
        if (!awaitTerminatedUninterruptibly(HALT_JOIN_TIMEOUT_MS))
        {
            LOG.error("pipeline '{}' did not stop within {} ms of failing; leaving its threads behind",
                spec.name(), HALT_JOIN_TIMEOUT_MS);
        }
    }

    /** Waits up to {@code timeoutMs} for the engine to stop, keeping an interrupt for the caller to see after. */
    private boolean awaitTerminatedUninterruptibly(final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    return terminated.await(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops the engine with {@code cause}: the source stops polling, nothing more is acknowledged. Safe from any
     * thread and cheap enough for one that is out of memory: the state changes come before the log line.
     */
    void fail(final Throwable cause)
    {
        final boolean first = null == failure;
        if (first)
        {
            failure = cause;
        }
        stopRequested = true;
        source.wakeup();
        if (first)
        {
            LOG.error("pipeline '{}' failed: {}", spec.name(), cause.toString(), cause);
        }
    }

    /** Blocks until the sink has processed {@code sequence}; gives up when the engine fails. */
    void awaitProcessed(final long sequence)
    {
        final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
        while (processedSequence() < sequence)
        {
            if (null != failure)
            {
                throw new SinkException("the engine failed while draining", failure);
            }
            idle.idle();
        }
    }

    /** The ring sequence every worker has processed. */
    private long processedSequence()
    {
        long processed = Long.MAX_VALUE;
        for (final WorkerHandler worker : workers)
        {
            processed = Math.min(processed, disruptor.getSequenceValueFor(worker));
        }
        return processed;
    }

    void flushSink()
    {
        if (null != failure)
        {
            throw new SinkException("the engine failed", failure);
        }
        if (!sinkCommitsProgress)
        {
            sink.flush();
        }
    }

    /** True when acknowledgement travels through the ring as commit markers (see {@link Sink#commitsProgress()}). */
    boolean sinkCommitsProgress()
    {
        return sinkCommitsProgress;
    }

    private void runSource()
    {
        final SourceTimers timers = new SourceTimers(this, publisher, spec, null != snapshots);
        try
        {
            // The loop stays this small because it is only ever compiled on stack replacement: the timers' work
            // lives in a method the JIT compiles like any other (with the timers inline, -XX:+PrintCompilation
            // showed this loop still running profiled tier-3 code seconds into a benchmark).
            while (!stopRequested)
            {
                timers.onPoll(source.poll(publisher), System.nanoTime());
            }
            if (null == failure)
            {
                if (timers.snapshotIntervalNs > 0)
                {
                    // A clean stop leaves a snapshot of the final state: the next start replays nothing.
                    publisher.requestSnapshot();
                }
                if (spec.state().perPartition())
                {
                    // The partitions' next owners then start from their state as of now, sending nothing again.
                    publisher.requestStatePublish();
                }
                source.commit(publisher.drainAndFlush());
            }
        }
        catch (final Throwable ex)
        {
            fail(ex);
        }
        finally
        {
            shutdown();
            failPendingChanges();
        }
    }

    /** Changes that were accepted but never reached the ring: their callers learn that they were not applied. */
    private void failPendingChanges()
    {
        synchronized (pendingChanges)
        {
            RuntimeChange change;
            while (null != (change = pendingChanges.poll()))
            {
                change.fail(new IllegalStateException("pipeline '" + spec.name() + "' stopped before the " + change +
                    " was applied"));
            }
        }
    }

    void publishTick(final long idleMs)
    {
        final EventSlot slot = publisher.tryClaim();
        if (null != slot)
        {
            slot.tick(idleMs);
            publisher.publish();
        }
    }

    void commitProcessed()
    {
        publisher.publish();
        if (sinkCommitsProgress)
        {
            publisher.publishCommitMarker(false);
            return;
        }
        if (publisher.isSnapshotDue())
        {
            publisher.publishCommitMarker(false);
        }
        final long processed = processedSequence();
        if (processed >= 0)
        {
            sink.flush();
            source.commit(processed);
        }
    }

    private void shutdown()
    {
        try
        {
            // Whatever feeds this engine changes (model watchers, admin endpoints) stops before its input does.
            for (final AutoCloseable companion : companions)
            {
                closeQuietly(companion);
            }
            closeQuietly(source);
            if (null == failure)
            {
                try
                {
                    disruptor.shutdown(SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                }
                catch (final com.lmax.disruptor.TimeoutException ex)
                {
                    fail(new EngineThreadException("the ring did not drain within " + SHUTDOWN_TIMEOUT_MS + " ms", ex));
                }
            }
            if (null != failure)
            {
                halt();
            }
            closeQuietly(sink);
            if (null != journal)
            {
                closeQuietly(journal);
            }
        }
        catch (final Throwable ex)
        {
            LOG.warn("error while stopping pipeline '{}'", spec.name(), ex);
        }
        finally
        {
            terminated.countDown();
        }
    }

    /** Stops the ring's threads and waits for them, so that the sink and journal are closed under no one. */
    private void halt()
    {
        disruptor.halt();
        try
        {
            final List<String> alive = threads.joinOthers(HALT_JOIN_TIMEOUT_MS);
            if (!alive.isEmpty())
            {
                LOG.error("engine threads {} did not stop within {} ms of the halt", alive, HALT_JOIN_TIMEOUT_MS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ex)
        {
            LOG.warn("error while closing {}", closeable, ex);
        }
    }
}
