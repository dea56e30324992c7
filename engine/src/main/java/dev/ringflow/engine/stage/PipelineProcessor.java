package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.DropTaskSpec;
import dev.ringflow.engine.pipeline.AnomalyTaskSpec;
import dev.ringflow.engine.pipeline.FeaturesTaskSpec;
import dev.ringflow.engine.pipeline.FilterTaskSpec;
import dev.ringflow.engine.pipeline.FunctionTaskSpec;
import dev.ringflow.engine.pipeline.KeyByTaskSpec;
import dev.ringflow.engine.pipeline.LearnTaskSpec;
import dev.ringflow.engine.pipeline.RouteTaskSpec;
import dev.ringflow.engine.pipeline.ScoreTaskSpec;
import dev.ringflow.engine.pipeline.SelectTaskSpec;
import dev.ringflow.engine.pipeline.SetTaskSpec;
import dev.ringflow.engine.pipeline.FormatTaskSpec;
import dev.ringflow.engine.pipeline.GlobalWindowTaskSpec;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.SessionWindowTaskSpec;
import dev.ringflow.engine.pipeline.SourceSpec;
import dev.ringflow.engine.pipeline.TaskSpec;
import dev.ringflow.engine.pipeline.TimeWindowTaskSpec;
import dev.ringflow.engine.pipeline.WindowTaskSpec;
import dev.ringflow.windows.SnapshotMismatchException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline's tasks compiled into stages and fused into one pass over a slot: the work of one worker. The
 * event enters as one (key, value, time) record; each stage turns each record into none, one or several; what is
 * left at the end becomes the event's outputs, in this processor's own {@link #outputs()}.
 * <p>
 * <b>Note:</b> Not thread-safe: one instance per worker thread, holding that worker's keyed state.
 * <p>
 * <b>Note:</b> Allocation free in steady state.
 * <p>
 * <b>Note:</b> Not final only so that tests can inject faults into {@link #process}.
 */
public class PipelineProcessor
{
    private final PipelineSpec spec;
    private final Stage[] stages;
    /** The first window stage, if the records reaching it still carry the slot's key and it can look ahead. */
    private final WindowStage lookAheadStage;
    /** The {@code learn} stages, which publish their figures between batches; usually none. */
    private final LearnStage[] learnStages;
    private final ScoreStage[] scoreStages;
    private RecordBuffer current = new RecordBuffer();
    private RecordBuffer next = new RecordBuffer();
    private final OutputList outputs = new OutputList();
    /**
     * The score task whose model scores batches for less per row (ONNX Runtime), and its index: events are
     * {@link #park parked} there until {@link #scoreParked}; null and -1 when every event is processed at once.
     */
    private final ScoreStage batchStage;
    private final int batchAt;
    private final ParkedEvents parked = new ParkedEvents();
    private final JsonEvents events = new JsonEvents(new FieldTable());
    private final ByteSlice written = new ByteSlice();
    private final InputPartition partition = new InputPartition();

    public PipelineProcessor(final PipelineSpec spec)
    {
        this.spec = spec;
        final AsciiNumbers numbers = new AsciiNumbers();
        stages = new Stage[spec.tasks().size()];
        for (int i = 0; i < stages.length; i++)
        {
            // Each window stage numbers its own keys, so that it can forget idle ones on its own.
            final TaskSpec task = spec.tasks().get(i);
            stages[i] = task instanceof FunctionTaskSpec function ?
                new FunctionStage(function, spec.source(), spec.name(), events) :
                task instanceof LearnTaskSpec learn ? new LearnStage(learn, i, spec.source(), events) :
                compile(task, spec.source(), new KeyInterner(), numbers, spec.engine().idleKeyTimeoutMs(), events,
                    partition);
        }
        lookAheadStage = lookAheadStage(stages);
        final List<LearnStage> learn = new ArrayList<>();
        for (final Stage stage : stages)
        {
            if (stage instanceof LearnStage learnStage)
            {
                learn.add(learnStage);
            }
        }
        learnStages = learn.toArray(new LearnStage[0]);
        final List<ScoreStage> score = new ArrayList<>();
        for (int i = 0; i < stages.length; i++)
        {
            if (stages[i] instanceof ScoreStage scoreStage)
            {
                scoreStage.task(i);
                score.add(scoreStage);
            }
        }
        scoreStages = score.toArray(new ScoreStage[0]);
        int at = -1;
        for (int i = 0; i < stages.length && at < 0; i++)
        {
            if (stages[i] instanceof ScoreStage scoreStage && scoreStage.batchRows() > 1)
            {
                at = i;
            }
        }
        batchAt = at;
        batchStage = at < 0 ? null : (ScoreStage)stages[at];
        if (null != batchStage)
        {
            batchStage.defer();
        }
    }

    /**
     * How many input events to {@link #park} before {@link #scoreParked}: more than 0 when the pipeline has a score
     * task whose model scores a batch for less per row (ONNX Runtime), whose events are then scored together;
     * 0 when every event goes through {@link #process}.
     */
    public int batchSize()
    {
        return null == batchStage ? 0 : batchStage.batchRows();
    }

    /** How many events are {@link #park parked}. */
    public int parked()
    {
        return parked.count();
    }

    /** The slot of parked event {@code index}, until it is finished. */
    public EventSlot parkedSlot(final int index)
    {
        return parked.slot(index);
    }

    /**
     * Runs an input event through the tasks before the batching score task, which gathers its features, and
     * keeps it there; {@link #scoreParked} then scores every parked event in one model call and
     * {@link #finishParked} runs each through the rest. The results are those {@link #process} would give.
     * <p>
     * <b>Note:</b> Not for ticks. The slot must stay unchanged until its event is finished.
     */
    public void park(final EventSlot slot)
    {
        if (0 == parked.count())
        {
            // The parked events' fields live in the pool until the last of them is finished.
            events.reset();
        }
        final int index = parked.add(slot, batchSize());
        current.borrow(slot.key(), slot.input(), slot.timestampMs());
        partition.set(slot.sourceTopic(), slot.sourcePartition());
        runStages(0, batchAt + 1, false, slot, parked.outputs(index));
        // The records at the batch stage stay parked; the parking place's empty buffer works for the next event.
        current = parked.exchangeRecords(index, current);
    }

    /** Scores the features every parked event gathered, in one model call. */
    public void scoreParked()
    {
        batchStage.scoreGathered();
    }

    /**
     * Runs parked event {@code index} (in parking order, after {@link #scoreParked}) through the tasks after the
     * batching score task.
     *
     * @return its outputs, as {@link #outputs()} would hold them after {@link #process}; valid until the next call.
     */
    public OutputList finishParked(final int index)
    {
        final EventSlot slot = parked.slot(index);
        final OutputList outputs = parked.outputs(index);
        current = parked.exchangeRecords(index, current);
        applyScores(current);
        partition.set(slot.sourceTopic(), slot.sourcePartition());
        runStages(batchAt + 1, stages.length, false, slot, outputs);
        emit(current, outputs);
        parked.finished(index);
        return outputs;
    }

    /** The figures of the pipeline's {@code score} tasks, in task order. */
    public List<ScoreTaskMetrics> scoreMetrics()
    {
        final List<ScoreTaskMetrics> metrics = new ArrayList<>(scoreStages.length);
        for (final ScoreStage stage : scoreStages)
        {
            metrics.add(stage.metrics());
        }
        return metrics;
    }

    /** The figures of the pipeline's {@code learn} tasks, in task order: what this processor's worker publishes. */
    public List<LearnTaskMetrics> learnMetrics()
    {
        final List<LearnTaskMetrics> metrics = new ArrayList<>(learnStages.length);
        for (final LearnStage stage : learnStages)
        {
            metrics.add(stage.metrics());
        }
        return metrics;
    }

    /**
     * Lets the {@code learn} tasks publish their figures: called by the worker at the end of each batch and at
     * each commit marker ({@code force}), never per event. Allocation free.
     */
    public void publishMetrics(final long nowNs, final boolean force)
    {
        for (final LearnStage stage : learnStages)
        {
            stage.publishMetrics(nowNs, force);
        }
    }

    /**
     * The model a {@code learn} task has learnt, for export: call on the thread that owns this processor, or on a
     * processor that only loaded a snapshot.
     *
     * @param task the task's index in {@code tasks}, or its name.
     * @param key  the key whose model is wanted for a per-key task; null otherwise.
     * @throws IllegalArgumentException when no learn task is so named or numbered, or the key does not fit it.
     */
    public LearnedModel learnedModel(final String task, final String key)
    {
        for (int i = 0; i < stages.length; i++)
        {
            if (stages[i] instanceof LearnStage learn &&
                (task.equals(Integer.toString(i)) || task.equals(((LearnTaskSpec)spec.tasks().get(i)).name())))
            {
                return learn.exportModel(key);
            }
        }
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < stages.length; i++)
        {
            if (stages[i] instanceof LearnStage)
            {
                final String name = ((LearnTaskSpec)spec.tasks().get(i)).name();
                names.add(i + (null == name ? "" : " (" + name + ")"));
            }
        }
        throw new IllegalArgumentException("the pipeline has no learn task '" + task + "'; " +
            (names.isEmpty() ? "it has none" : "its learn tasks are: " + String.join(", ", names)));
    }

    /** The pipeline this processor runs. */
    public PipelineSpec spec()
    {
        return spec;
    }

    /**
     * Takes over the state of the tasks of {@code previous} that this pipeline has unchanged, for a pipeline changed
     * at runtime: each of this pipeline's tasks takes the state of the first not yet taken task of {@code previous}
     * with the same definition; stateful tasks without one (new or changed) start empty.
     * <p>
     * <b>Note:</b> Call on the worker thread, between events. Allocates (the state is copied through a buffer):
     * a pipeline change is rare.
     *
     * @return what happened to each stateful task, for the log: e.g. "tasks[2] (features) keeps its state".
     * @throws IOException when a stage's state does not read back (a bug: the definitions are equal).
     */
    public List<String> carryStateFrom(final PipelineProcessor previous) throws IOException
    {
        final List<String> report = new ArrayList<>();
        final boolean[] taken = new boolean[previous.stages.length];
        for (int i = 0; i < stages.length; i++)
        {
            final TaskSpec task = spec.tasks().get(i);
            final ByteArrayOutputStream empty = new ByteArrayOutputStream();
            stages[i].writeState(new DataOutputStream(empty));
            if (empty.size() == 0)
            {
                continue;
            }
            int match = -1;
            for (int j = 0; j < previous.stages.length && match < 0; j++)
            {
                if (!taken[j] && previous.spec.tasks().get(j).equals(task) &&
                    previous.stages[j].getClass() == stages[i].getClass())
                {
                    match = j;
                }
            }
            if (match < 0)
            {
                report.add("tasks[" + i + "] (" + task.type() + ") is new or changed: its state starts empty");
                continue;
            }
            taken[match] = true;
            final ByteArrayOutputStream state = new ByteArrayOutputStream();
            previous.stages[match].writeState(new DataOutputStream(state));
            stages[i].readState(new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
            report.add("tasks[" + i + "] (" + task.type() + ") is unchanged: it keeps its state");
        }
        return report;
    }

    /**
     * Scores the next events of the score task(s) named {@code task} with {@code model} (see
     * {@link dev.ringflow.engine.ModelSwap}).
     * <p>
     * <b>Note:</b> Call on the worker thread, between events.
     *
     * @return the model's version.
     * @throws IllegalArgumentException when no score task has that name.
     * @throws dev.ringflow.models.score.ModelException when the model does not take the task's features.
     */
    public String swapModel(final String task, final dev.ringflow.models.score.Model model, final byte[] bytes)
        throws dev.ringflow.models.score.ModelException
    {
        boolean found = false;
        for (final Stage stage : stages)
        {
            if (stage instanceof ScoreStage score && score.name().equals(task))
            {
                score.swap(model, bytes);
                found = true;
            }
        }
        if (!found)
        {
            throw new IllegalArgumentException("the pipeline has no score task with output field '" + task + "'");
        }
        return model.version();
    }

    /**
     * Makes every score task score with the model {@code other}'s does now (the same pipeline's processor): for a
     * partition's state taken over from another daemon, whose models may be older or newer than this daemon's.
     * <p>
     * <b>Note:</b> Call on the worker thread, between events.
     */
    public void adoptModelsOf(final PipelineProcessor other)
    {
        for (int i = 0; i < scoreStages.length && i < other.scoreStages.length; i++)
        {
            scoreStages[i].adopt(other.scoreStages[i]);
        }
    }

    /** The first window stage, if it sees the slots' own keys: no window or field task changes them before it. */
    private static WindowStage lookAheadStage(final Stage[] stages)
    {
        for (final Stage stage : stages)
        {
            if (stage instanceof WindowStage window)
            {
                return window;
            }
            if (stage instanceof EventTimeWindowStage || stage instanceof FieldStage)
            {
                // Keys may change (key-by) or records go (filter) before the window: nothing to look ahead at.
                return null;
            }
        }
        return null;
    }

    /**
     * True if {@link #lookAhead} is worth calling now: the pipeline has a count window with more keys than the CPU
     * caches hold.
     */
    public boolean looksAhead()
    {
        return null != lookAheadStage && lookAheadStage.looksAhead();
    }

    /**
     * A hint before processing a run of slots, called for each of them in order before {@link #prefetch}: notes
     * the window state the slot's record will touch. Results never change; ticks and markers are ignored.
     */
    public void lookAhead(final EventSlot slot)
    {
        if (!slot.isTick() && !slot.isCommitMarker() && !slot.isSnapshotRestore() && !slot.isChange())
        {
            lookAheadStage.lookAhead(slot.key());
        }
    }

    /** Loads the window state the slots passed to {@link #lookAhead} will touch, the cache misses overlapping. */
    public void prefetch()
    {
        lookAheadStage.prefetchLookedAhead();
    }

    /**
     * Runs every stage over the slot's input and leaves the results in {@link #outputs()}.
     */
    public void process(final EventSlot slot)
    {
        if (0 != parked.count())
        {
            throw new IllegalStateException(parked.count() + " parked events must be finished before the next is " +
                "processed");
        }
        final OutputList outputs = this.outputs;
        outputs.startEvent(slot);
        final boolean isTick = slot.isTick();
        if (isTick)
        {
            current.clear();
        }
        else
        {
            current.borrow(slot.key(), slot.input(), slot.timestampMs());
        }
        events.reset();
        partition.set(slot.sourceTopic(), slot.sourcePartition());
        if (null == batchStage)
        {
            runStages(0, stages.length, isTick, slot, outputs);
        }
        else
        {
            // A batch of one: what a tick makes a window emit, or an event of a worker that does not park.
            runStages(0, batchAt + 1, isTick, slot, outputs);
            batchStage.scoreGathered();
            applyScores(current);
            runStages(batchAt + 1, stages.length, isTick, slot, outputs);
        }
        emit(current, outputs);
    }

    /** Writes the batching score task's scores into the records that reached it, in the order they were gathered. */
    private void applyScores(final RecordBuffer records)
    {
        for (int i = 0, size = records.size(); i < size; i++)
        {
            batchStage.applyNext(records.event(i));
        }
    }

    /** Runs stages {@code from} (inclusive) to {@code to} over {@link #current}, which then holds what is left. */
    private void runStages(final int from, final int to, final boolean isTick, final EventSlot slot,
        final OutputList outputs)
    {
        RecordBuffer records = current;
        for (int s = from; s < to; s++)
        {
            final Stage stage = stages[s];
            if (stage instanceof FormatStage || stage instanceof FilterStage)
            {
                // These read the value's bytes, not its fields.
                writeChangedEvents(records);
            }
            final RecordBuffer out = next;
            out.clear();
            for (int i = 0, size = records.size(); i < size; i++)
            {
                stage.onRecord(records, i, out, outputs);
            }
            if (isTick)
            {
                stage.onIdle(slot.idleMs(), out, outputs);
            }
            next = records;
            current = out;
            records = out;
        }
    }

    /** Makes the records left after the last stage the event's outputs. */
    private void emit(final RecordBuffer records, final OutputList outputs)
    {
        final boolean borrowed = records.isBorrowed();
        for (int i = 0, size = records.size(); i < size; i++)
        {
            final int index = outputs.add(OutputList.OUTPUT, records.timeMs(i), null);
            final JsonEvent event = records.event(i);
            if (null != event && event.isChanged())
            {
                outputs.key(index).set(records.key(i));
                events.write(event, outputs.value(index));
            }
            else if (borrowed)
            {
                outputs.key(index).set(records.key(i));
                outputs.value(index).set(records.value(i));
            }
            else
            {
                records.exchange(i, outputs.keys(), outputs.values(), index);
            }
        }
        records.clear();
    }

    /**
     * Writes the fields field tasks changed into the records' values, for a task that reads the value's bytes.
     */
    private void writeChangedEvents(final RecordBuffer records)
    {
        for (int i = 0, size = records.size(); i < size; i++)
        {
            final JsonEvent event = records.event(i);
            if (null != event && event.isChanged())
            {
                events.write(event, written);
                records.ownValue(i).set(written);
                records.attach(i, null);
            }
        }
    }

    /**
     * What the last {@link #process} call produced: outputs, dead letters and late elements, valid until the next
     * call.
     */
    public OutputList outputs()
    {
        return outputs;
    }

    private static Stage compile(final TaskSpec task, final SourceSpec source, final KeyInterner keys,
        final AsciiNumbers numbers, final long idleKeyTimeoutMs, final JsonEvents events,
        final InputPartition partition)
    {
        if (task instanceof WindowTaskSpec window)
        {
            return new WindowStage(window, source, keys, numbers, idleKeyTimeoutMs, events);
        }
        if (task instanceof TimeWindowTaskSpec window)
        {
            return new EventTimeWindowStage(window, source, keys, numbers, idleKeyTimeoutMs, events, partition);
        }
        if (task instanceof GlobalWindowTaskSpec window)
        {
            return new WindowStage(window, source, keys, numbers, idleKeyTimeoutMs, events);
        }
        if (task instanceof SessionWindowTaskSpec window)
        {
            return new EventTimeWindowStage(window, source, keys, numbers, idleKeyTimeoutMs, events, partition);
        }
        if (task instanceof FormatTaskSpec format)
        {
            return new FormatStage(format.template());
        }
        if (task instanceof FilterTaskSpec filter)
        {
            return null == filter.where() ? new FilterStage(filter.min(), filter.max(), numbers) :
                new WhereStage(filter.where(), events);
        }
        if (task instanceof SetTaskSpec set)
        {
            return new SetStage(set.fields(), events);
        }
        if (task instanceof SelectTaskSpec select)
        {
            return new SelectStage(select.fields(), false, events);
        }
        if (task instanceof DropTaskSpec drop)
        {
            return new SelectStage(drop.fields(), true, events);
        }
        if (task instanceof KeyByTaskSpec keyBy)
        {
            return new KeyByStage(keyBy.expression(), events);
        }
        if (task instanceof FeaturesTaskSpec features)
        {
            return new FeaturesStage(features, source, events);
        }
        if (task instanceof AnomalyTaskSpec anomaly)
        {
            return new AnomalyStage(anomaly, source, events);
        }
        if (task instanceof ScoreTaskSpec score)
        {
            return new ScoreStage(score, events);
        }
        if (task instanceof RouteTaskSpec route)
        {
            return new RouteStage(route.when(), route.topic(), route.continueFlow(), events);
        }
        throw new IllegalArgumentException("no stage for task type " + task.type());
    }

    /**
     * Writes the keyed state of every stage (window contents, key ids, watermarks) for a snapshot: loaded into a
     * processor of the same pipeline, it makes that processor answer the next events exactly as this one would.
     * <p>
     * <b>Note:</b> Call between events, on the worker thread.
     */
    public void writeState(final DataOutput out) throws IOException
    {
        out.writeInt(stages.length);
        for (final Stage stage : stages)
        {
            out.writeUTF(stage.getClass().getSimpleName());
            stage.writeState(out);
        }
    }

    /**
     * Replaces every stage's state by what {@link #writeState} wrote.
     *
     * @throws SnapshotMismatchException when the snapshot was taken with other tasks or window parameters.
     */
    public void readState(final DataInput in) throws IOException
    {
        final int count = in.readInt();
        if (count != stages.length)
        {
            throw new SnapshotMismatchException("the snapshot was taken with " + count + " tasks, the pipeline now " +
                "has " + stages.length);
        }
        for (int i = 0; i < stages.length; i++)
        {
            final String kind = in.readUTF();
            final String expected = stages[i].getClass().getSimpleName();
            if (!kind.equals(expected))
            {
                throw new SnapshotMismatchException("the snapshot's task " + (i + 1) + " is a " + kind +
                    ", the pipeline's is a " + expected);
            }
            stages[i].readState(in);
        }
    }
}
