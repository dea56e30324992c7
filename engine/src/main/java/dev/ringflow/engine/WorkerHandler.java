package dev.ringflow.engine;

import com.lmax.disruptor.DataProvider;
import com.lmax.disruptor.EventHandler;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.windows.ElementWindows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The ring consumer that runs the pipeline's fused stages (decode, transform, filter, window) on each event, then
 * hands the results to the sink.
 * <p>
 * <b>Note:</b> Runs on the {@code ringflow-worker-N} thread; allocation free in steady state.
 */
final class WorkerHandler implements EventHandler<EventSlot>
{
    private static final Logger LOG = LoggerFactory.getLogger(WorkerHandler.class);

    /** The processor (key scope) or the processor of each input partition (partition scope). */
    private final WorkerState state;
    /** Makes the runtime changes (pipelines, models, partition state) on {@link #state}. */
    private final WorkerChanges changes;
    private final Function<PipelineSpec, PipelineProcessor> processors;
    private final EngineCounters counters;
    private final BadInputLog badInputLog = new BadInputLog();
    private final SinkHandler sink;
    private final int shard;
    private final int shards;
    private SnapshotStore snapshots;
    /**
     * Offsets the loaded snapshot held. Kept apart from the sink's progress, which commits: a partition that
     * another daemon has consumed since must not have its committed offset moved back to these.
     */
    private final SourceProgress restoredOffsets = new SourceProgress();
    private final SourceProgress snapshotOffsets = new SourceProgress();
    private Journal journal;
    private Engine engine;
    /** The ring, to look ahead at the slots of the batch being processed; null for no look-ahead. */
    private DataProvider<EventSlot> ring;
    private long batchSize;
    /** Sequence one past the current batch's last; 0 until the first event of a batch sets it. */
    private long batchEnd;
    /** Sequence one past the last slot looked ahead at. */
    private long lookedAheadTo;
    private final WorkerMetrics metrics;
    /** When the current batch started; 0 between batches. */
    private long batchStartNs;
    /** When the last input's latency was sampled. */
    private long lastSampleNs;
    /** Live inputs until the next one whose latency is sampled. */
    private int untilSample = 1;
    /**
     * The processor whose batching score task holds parked events (see {@link PipelineProcessor#park}), or null;
     * when each parked event's latency sample started (0: not sampled), in parking order.
     */
    private PipelineProcessor parkedIn;
    private long[] parkedStartNs = new long[0];

    /**
     * Worker {@code shard} of {@code shards}: processes the inputs whose record key hashes to it, and every tick
     * and commit marker.
     */
    WorkerHandler(final Function<PipelineSpec, PipelineProcessor> processors, final PipelineSpec spec,
        final EngineCounters counters, final SinkHandler sink, final int shard, final int shards)
    {
        this.processors = processors;
        this.state = new WorkerState(processors, spec);
        this.counters = counters;
        this.sink = sink;
        this.shard = shard;
        this.shards = shards;
        this.metrics = new WorkerMetrics(shard);
        this.changes = new WorkerChanges(state, processors, sink, shard, this::refreshTaskMetrics);
        refreshTaskMetrics();
    }

    /** After the set of processors changed: the figures of each one's learn and score tasks. */
    private void refreshTaskMetrics()
    {
        final List<PipelineProcessor> all = state.processors();
        final List<List<dev.ringflow.engine.stage.LearnTaskMetrics>> learn = new ArrayList<>(all.size());
        final List<List<dev.ringflow.engine.stage.ScoreTaskMetrics>> score = new ArrayList<>(all.size());
        for (final PipelineProcessor processor : all)
        {
            learn.add(processor.learnMetrics());
            score.add(processor.scoreMetrics());
        }
        metrics.taskGroups(learn, score);
    }

    WorkerMetrics metrics()
    {
        return metrics;
    }

    /** With partition-scoped state, the worker an input belongs to: a hash of its partition. */
    static int shardOfPartition(final String topic, final int partition, final int shards)
    {
        int h = 31 * (null == topic ? 0 : topic.hashCode()) + partition;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return (h & Integer.MAX_VALUE) % shards;
    }

    /** Whether this worker processes {@code slot}'s input. */
    private boolean owns(final EventSlot slot)
    {
        return state.perPartition() ? shardOfPartition(slot.sourceTopic(), slot.sourcePartition(), shards) == shard :
            shardOf(slot.key(), shards) == shard;
    }

    /** The worker an input belongs to: a hash of its record key (a null key is worker 0's). */
    static int shardOf(final ByteSlice key, final int shards)
    {
        if (key.isNull())
        {
            return 0;
        }
        final byte[] bytes = key.bytes();
        int h = 0x9747b28c;
        for (int i = 0, n = key.length(); i < n; i++)
        {
            h = 31 * h + bytes[i];
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return (h & Integer.MAX_VALUE) % shards;
    }

    /** Lets the worker take snapshots at the markers that ask for one, and load the snapshot recovery names. */
    void snapshots(final SnapshotStore snapshots, final Journal journal, final Engine engine)
    {
        this.snapshots = snapshots;
        this.journal = journal;
        this.engine = engine;
    }

    /**
     * Lets the worker read the slots of a batch before it processes them, so that the window state of a group of
     * them is loaded with overlapping cache misses rather than one miss after another.
     */
    void lookAhead(final DataProvider<EventSlot> ring)
    {
        // Partition state: the slots of a batch are looked up in several processors, and a partition's first one
        // is made on the way; not worth the complexity.
        this.ring = state.perPartition() ? null : ring;
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        this.batchSize = batchSize;
        batchEnd = 0;
        final long nowNs = System.nanoTime();
        batchStartNs = nowNs;
        metrics.onBatchStart(nowNs);
        if (nowNs - lastSampleNs >= WorkerMetrics.LATENCY_SAMPLE_MAX_GAP_NS)
        {
            // A light load sees few inputs: sample the next one rather than wait for the count.
            untilSample = 1;
        }
    }

    @Override
    public void onEvent(final EventSlot slot, final long sequence, final boolean endOfBatch)
    {
        onSlot(slot, sequence, endOfBatch);
        if (endOfBatch)
        {
            final long nowNs = System.nanoTime();
            publishMetrics(nowNs, false);
            metrics.onBusy(nowNs - batchStartNs);
            batchStartNs = 0;
        }
    }

    private void publishMetrics(final long nowNs, final boolean force)
    {
        state.template().publishMetrics(nowNs, force);
        for (int i = 0, size = state.size(); i < size; i++)
        {
            state.partition(i).processor.publishMetrics(nowNs, force);
        }
    }

    private void onSlot(final EventSlot slot, final long sequence, final boolean endOfBatch)
    {
        if (null != ring)
        {
            if (0 == batchEnd)
            {
                batchEnd = sequence + batchSize;
            }
            if (sequence >= lookedAheadTo)
            {
                lookAhead(sequence);
            }
        }
        if (slot.isCommitMarker() || slot.isSnapshotRestore() || slot.isChange())
        {
            finishParked(false);
            onControl(slot, sequence, endOfBatch);
            return;
        }
        if (shards > 1 && !slot.isTick() && !owns(slot))
        {
            if (endOfBatch)
            {
                finishParked(true);
            }
            return;
        }
        if (slot.isTick())
        {
            finishParked(false);
            if (state.perPartition())
            {
                onTickOfPartitions(slot, sequence, endOfBatch);
                return;
            }
        }
        long startNs = 0;
        if (!slot.isTick())
        {
            counters.onEventIn();
            if (slot.isReplayed())
            {
                counters.onReplayed();
            }
            else if (--untilSample <= 0)
            {
                // Reading the clock three times per input would cost as much as processing it: 1 in N is timed.
                untilSample = WorkerMetrics.LATENCY_SAMPLE_INTERVAL;
                startNs = System.nanoTime();
                lastSampleNs = startNs;
            }
        }
        final PipelineProcessor processor = slot.isTick() ? state.template() : state.forInput(slot);
        if (!slot.isTick() && processor.batchSize() > 0)
        {
            park(processor, slot, startNs, endOfBatch);
            return;
        }
        final OutputList outputs = process(processor, slot);
        final long processedNs = 0 == startNs ? 0 : System.nanoTime();
        onOutputs(slot, outputs, sequence, endOfBatch);
        if (0 != startNs)
        {
            metrics.onInput(slot.polledNs(), startNs, processedNs, System.nanoTime());
        }
    }

    /**
     * An input for a pipeline whose score task scores batches: parks it at that task, and finishes the parked
     * events (one model call, then the rest of the tasks and the sink, in ring order) when the batch is full or
     * the ring batch ends. Partition state parks the inputs of one partition's processor at a time.
     */
    private void park(final PipelineProcessor processor, final EventSlot slot, final long startNs,
        final boolean endOfBatch)
    {
        if (processor != parkedIn)
        {
            finishParked(false);
            parkedIn = processor;
        }
        final int index = processor.parked();
        if (index == parkedStartNs.length)
        {
            parkedStartNs = java.util.Arrays.copyOf(parkedStartNs, Math.max(processor.batchSize(), index << 1));
        }
        parkedStartNs[index] = startNs;
        try
        {
            processor.park(slot);
        }
        catch (final RuntimeException ex)
        {
            throw internalError(slot, ex);
        }
        if (endOfBatch || processor.parked() >= processor.batchSize())
        {
            finishParked(endOfBatch);
        }
    }

    /**
     * Scores the parked events in one model call and hands each one's outputs to the sink in ring order; called
     * before anything else reaches the sink, so that outputs, markers and snapshots keep the ring's order.
     *
     * @param endOfBatch whether the last parked event ends the ring batch.
     */
    private void finishParked(final boolean endOfBatch)
    {
        final PipelineProcessor processor = parkedIn;
        if (null == processor || 0 == processor.parked())
        {
            return;
        }
        final int count = processor.parked();
        try
        {
            processor.scoreParked();
        }
        catch (final RuntimeException ex)
        {
            throw internalError(processor.parkedSlot(0), ex);
        }
        for (int i = 0; i < count; i++)
        {
            final EventSlot slot = processor.parkedSlot(i);
            final OutputList outputs;
            try
            {
                outputs = processor.finishParked(i);
            }
            catch (final RuntimeException ex)
            {
                throw internalError(slot, ex);
            }
            final long startNs = parkedStartNs[i];
            final long processedNs = 0 == startNs ? 0 : System.nanoTime();
            // The slot's own sequence: the publisher stamps each slot with its place in the ring.
            onOutputs(slot, outputs, slot.sequence(), endOfBatch && i == count - 1);
            if (0 != startNs)
            {
                metrics.onInput(slot.polledNs(), startNs, processedNs, System.nanoTime());
            }
        }
    }

    /** Partition state: a tick advances every partition's event time. */
    private void onTickOfPartitions(final EventSlot slot, final long sequence, final boolean endOfBatch)
    {
        final int size = state.size();
        if (0 == size)
        {
            sink.onEvent(slot, null, sequence, endOfBatch);
            return;
        }
        for (int i = 0; i < size; i++)
        {
            final OutputList outputs = process(state.partition(i).processor, slot);
            onOutputs(slot, outputs, sequence, endOfBatch && i == size - 1);
        }
    }

    private static OutputList process(final PipelineProcessor processor, final EventSlot slot)
    {
        try
        {
            processor.process(slot);
        }
        catch (final RuntimeException ex)
        {
            // Not bad input (the stages dead-letter that themselves) but a bug, which may have left keyed state
            // half updated: stop before anything of this event or after it is emitted or committed.
            throw internalError(slot, ex);
        }
        return processor.outputs();
    }

    private void onOutputs(final EventSlot slot, final OutputList outputs, final long sequence,
        final boolean endOfBatch)
    {
        for (int i = 0, size = outputs.size(); i < size; i++)
        {
            final int kind = outputs.kind(i);
            if (kind == OutputList.DEAD_LETTER)
            {
                counters.onBadInput();
                badInputLog.onBadInput(slot, outputs);
            }
            else if (kind == OutputList.LATE)
            {
                counters.onLate();
            }
        }
        sink.onEvent(slot, outputs, sequence, endOfBatch);
    }

    private static EngineThreadException internalError(final EventSlot slot, final RuntimeException ex)
    {
        return new EngineThreadException("internal error while processing the event at topic " +
            slot.sourceTopic() + ", partition " + slot.sourcePartition() + ", offset " + slot.sourceOffset() +
            " (its window state may be half updated, so the engine stops and commits nothing of it): " + ex, ex);
    }

    /**
     * Looks at the next {@link ElementWindows#PREFETCH_GROUP} slots of the batch, from {@code from} on, and loads the
     * window state they will touch. A hint only: what the slots produce does not change.
     */
    private void lookAhead(final long from)
    {
        final long to = Math.min(from + ElementWindows.PREFETCH_GROUP, batchEnd);
        lookedAheadTo = to;
        final PipelineProcessor processor = state.template();
        try
        {
            if (to - from > 1 && processor.looksAhead())
            {
                for (long sequence = from; sequence < to; sequence++)
                {
                    final EventSlot ahead = ring.get(sequence);
                    if (ahead.isChange())
                    {
                        // The slots after it are another processor's.
                        break;
                    }
                    // Another worker's keys are not in this one's key table: looking them up would only miss.
                    if (shards == 1 || shardOf(ahead.key(), shards) == shard)
                    {
                        processor.lookAhead(ahead);
                    }
                }
                processor.prefetch();
            }
        }
        catch (final RuntimeException ex)
        {
            // A hint must never stop the pipeline: process without it from now on.
            ring = null;
            LOG.error("worker {} stops looking ahead after an internal error (results are unaffected)", shard, ex);
        }
    }

    /**
     * Commit markers (and the snapshots some ask for), snapshot loads and pipeline changes: rare, kept out of the
     * event path.
     */
    private void onControl(final EventSlot slot, final long sequence, final boolean endOfBatch)
    {
        if (slot.change() instanceof PipelineChange change)
        {
            changes.changePipeline(change, slot.isReplayed());
            sink.onEvent(slot, null, sequence, endOfBatch);
            return;
        }
        if (slot.change() instanceof ModelSwap swap)
        {
            changes.swapModel(swap, slot.isReplayed());
            sink.onEvent(slot, null, sequence, endOfBatch);
            return;
        }
        if (slot.change() instanceof PartitionState change)
        {
            if (state.perPartition() && (shards == 1 ||
                shardOfPartition(change.topic(), change.partition(), shards) == shard))
            {
                changes.changePartition(change, slot.isReplayed());
            }
            sink.onEvent(slot, null, sequence, endOfBatch);
            return;
        }
        if (slot.isSnapshotRestore())
        {
            loadSnapshot(slot.journalIndex());
            sink.onEvent(slot, null, sequence, endOfBatch);
            return;
        }
        if (slot.isStatePublishRequested() && state.perPartition() && (null == engine || !engine.hasFailed()))
        {
            changes.publishChangedPartitions();
        }
        sink.onEvent(slot, null, sequence, endOfBatch);
        // A commit marker follows the last events before input stops: the figures are then brought up to date.
        publishMetrics(System.nanoTime(), true);
        if (slot.isSnapshotRequested() && null != snapshots && slot.journalIndex() >= 0 && !engine.hasFailed())
        {
            takeSnapshot(slot.journalIndex());
        }
    }

    /**
     * Saves this worker's state as of journal group {@code journalIndex}: its outputs up to there are committed
     * (or, at least once, delivered), so recovery may start from here. A snapshot that cannot be written is
     * logged and skipped: the journal still holds everything, recovery just replays more.
     */
    private void takeSnapshot(final long journalIndex)
    {
        final long startNs = System.nanoTime();
        try
        {
            snapshotOffsets.copyFrom(restoredOffsets);
            snapshotOffsets.mergeFrom(sink.progress());
            final long bytes = snapshots.write(journalIndex, shard, state, snapshotOffsets);
            metrics.onSnapshot(bytes, System.nanoTime() - startNs, System.currentTimeMillis());
            LOG.info("snapshot of worker {} at journal index {}: {} bytes in {} ms", shard,
                journalIndex, bytes, (System.nanoTime() - startNs) / 1_000_000);
            if (shard == 0)
            {
                final long oldestKept = snapshots.prune();
                if (oldestKept >= 0)
                {
                    journal.releaseBefore(oldestKept);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.error("cannot write a snapshot to {} (recovery will replay more of the journal): {}",
                snapshots.dir(), ex.toString());
        }
    }

    private void loadSnapshot(final long journalIndex)
    {
        final long startNs = System.nanoTime();
        try
        {
            snapshots.read(journalIndex, shard, state, restoredOffsets);
            refreshTaskMetrics();
            LOG.info("worker {} loaded the snapshot at journal index {} in {} ms", shard, journalIndex,
                (System.nanoTime() - startNs) / 1_000_000);
        }
        catch (final IOException | RuntimeException ex)
        {
            engine.fail(new JournalException("cannot load the snapshot at journal index " + journalIndex +
                " from " + snapshots.dir() + ": " + ex.getMessage(), ex));
        }
    }
}
