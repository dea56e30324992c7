package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Makes the runtime changes a worker meets in the ring on its state, between two events: a new pipeline, a new
 * model, and (with partition-scoped state) a partition taken over or given up, and publishes changed partitions'
 * state at the commit markers that ask for it.
 * <p>
 * <b>Note:</b> The worker thread's own; rare, so allocation is fine.
 */
final class WorkerChanges
{
    private static final Logger LOG = LoggerFactory.getLogger(WorkerHandler.class);

    private final WorkerState state;
    private final Function<PipelineSpec, PipelineProcessor> processors;
    private final SinkHandler sink;
    private final int shard;
    /** Tells the worker that its set of processors changed (their task figures are published anew). */
    private final Runnable onProcessorsChanged;

    WorkerChanges(final WorkerState state, final Function<PipelineSpec, PipelineProcessor> processors,
        final SinkHandler sink, final int shard, final Runnable onProcessorsChanged)
    {
        this.state = state;
        this.processors = processors;
        this.sink = sink;
        this.shard = shard;
        this.onProcessorsChanged = onProcessorsChanged;
    }

    /**
     * Switches to the change's pipeline at this slot: the events before it were processed by the old tasks, the
     * events after it are processed by the new ones. Unchanged stateful tasks keep their state.
     */
    void changePipeline(final PipelineChange change, final boolean replayed)
    {
        final PipelineSpec next;
        try
        {
            next = change.prepare(state.template().spec());
        }
        catch (final RuntimeException ex)
        {
            // Checked before it was journaled, so only a journal written by another version (or edited) gets here.
            throw new EngineThreadException("cannot apply the pipeline change from " + change.origin() +
                (replayed ? " read back from the journal" : "") + ": " + ex.getMessage(), ex);
        }
        final List<String> report = new ArrayList<>();
        state.template(changedProcessor(state.template(), next, report));
        for (int i = 0, size = state.size(); i < size; i++)
        {
            final WorkerState.Partition partition = state.partition(i);
            partition.processor = changedProcessor(partition.processor, next, new ArrayList<>());
        }
        onProcessorsChanged.run();
        if (shard == 0)
        {
            final String summary = next.tasks().size() + " tasks" + (report.isEmpty() ? ", none with state" :
                "; " + String.join("; ", report));
            LOG.info("pipeline '{}' changed{} by {}: {}", next.name(), replayed ? " (replayed from the journal)" : "",
                change.origin(), summary);
            change.complete(summary);
        }
    }

    /**
     * A processor of {@code next} with the state {@code previous} had of the tasks that did not change; what
     * happened to each task is added to {@code report}.
     */
    private PipelineProcessor changedProcessor(final PipelineProcessor previous, final PipelineSpec next,
        final List<String> report)
    {
        final PipelineProcessor changed = processors.apply(next);
        try
        {
            report.addAll(changed.carryStateFrom(previous));
            return changed;
        }
        catch (final IOException ex)
        {
            throw new EngineThreadException("cannot carry the window state over to the changed pipeline: " + ex, ex);
        }
    }

    /**
     * Takes an input partition over with the state its previous owner published, or gives it up: its state, if it
     * changed since it was published, goes to the sink to be committed with the next commit marker.
     */
    void changePartition(final PartitionState change, final boolean replayed)
    {
        if (change.isTakeOver())
        {
            if (change.unjournaledBytes() > 0)
            {
                throw new EngineThreadException("the journal does not hold the " + change.unjournaledBytes() +
                    " bytes of state with which " + change.topic() + "-" + change.partition() + " was taken over " +
                    "from " + change.origin() + " (more than a journal record holds), so a replay cannot go on " +
                    "from here; replay a range that starts after it", null);
            }
            try
            {
                state.takeOver(change.topic(), change.partition(), change.coveredOffset(), change.state());
            }
            catch (final dev.ringflow.windows.SnapshotMismatchException ex)
            {
                // A rolling change of the pipeline: this daemon's tasks differ from those of the state's owner.
                LOG.warn("{}-{}: the published state does not fit this pipeline, so it starts empty at offset {}: {}",
                    change.topic(), change.partition(), change.coveredOffset(), ex.getMessage());
                dropAndStartEmpty(change);
            }
            catch (final IOException | RuntimeException ex)
            {
                throw new EngineThreadException("cannot take over the state of " + change.topic() + "-" +
                    change.partition() + (replayed ? " read back from the journal" : "") + " (" +
                    (null == change.state() ? 0 : change.state().length) + " bytes from " + change.origin() + "): " +
                    ex, ex);
            }
            onProcessorsChanged.run();
            return;
        }
        final WorkerState.Partition partition = state.find(change.topic(), change.partition());
        if (null == partition)
        {
            return;
        }
        if (partition.changed && !replayed)
        {
            publish(partition);
        }
        state.drop(change.topic(), change.partition());
        onProcessorsChanged.run();
    }

    private void dropAndStartEmpty(final PartitionState change)
    {
        try
        {
            state.takeOver(change.topic(), change.partition(), change.coveredOffset(), null);
        }
        catch (final IOException ex)
        {
            throw new EngineThreadException("cannot start " + change.topic() + "-" + change.partition() + ": " + ex,
                ex);
        }
    }

    /** At a commit marker that asks for it: hands the state of each partition changed since to the sink. */
    void publishChangedPartitions()
    {
        for (int i = 0, size = state.size(); i < size; i++)
        {
            final WorkerState.Partition partition = state.partition(i);
            if (partition.changed)
            {
                publish(partition);
            }
        }
    }

    private void publish(final WorkerState.Partition partition)
    {
        final byte[] bytes;
        try
        {
            bytes = state.stateOf(partition);
        }
        catch (final IOException ex)
        {
            throw new EngineThreadException("cannot write the state of " + partition.topic + "-" +
                partition.partition + ": " + ex, ex);
        }
        sink.onPartitionState(partition.topic, partition.partition, partition.nextOffset, bytes);
        partition.changed = false;
    }

    /** Scores the events after this slot with the swap's model; the events before it had the old one. */
    void swapModel(final ModelSwap swap, final boolean replayed)
    {
        String version;
        try
        {
            version = state.template().swapModel(swap.task(), swap.model(), swap.bytes());
            for (int i = 0, size = state.size(); i < size; i++)
            {
                version = state.partition(i).processor.swapModel(swap.task(), swap.model(), swap.bytes());
            }
        }
        catch (final dev.ringflow.models.score.ModelException | RuntimeException ex)
        {
            // Checked before it was journaled, so only a journal written by another version (or edited) gets here.
            throw new EngineThreadException("cannot swap in the model " + swap.sourceName() + " from " +
                swap.origin() + (replayed ? " read back from the journal" : "") + ": " + ex.getMessage(), ex);
        }
        if (shard == 0)
        {
            final String summary = "score task '" + swap.task() + "' now scores with " + swap.sourceName() +
                ", version " + version;
            LOG.info("model swapped{} by {}: {}", replayed ? " (replayed from the journal)" : "", swap.origin(),
                summary);
            swap.complete(summary);
        }
    }
}
