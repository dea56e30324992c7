package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A worker's keyed state: one {@link PipelineProcessor} for all keys ({@code state.scope: key}), or one per input
 * partition ({@code state.scope: partition}), like a Kafka Streams task, so that a partition's state can be handed
 * to another daemon whole and its event time is its own.
 * <p>
 * With partitions, a template processor that sees no input holds what every partition shares: the pipeline (changed
 * at runtime) and the models swapped in. A partition first seen starts from it, and a partition taken over from
 * another daemon scores with its models.
 * <p>
 * <b>Note:</b> The worker thread's own. Finding an input's processor allocates nothing; a partition first seen or
 * taken over allocates its processor.
 */
final class WorkerState
{
    private static final int STATE_MAGIC = 0x52465053;

    private final Function<PipelineSpec, PipelineProcessor> factory;
    private final boolean perPartition;
    /** Key scope: the processor. Partition scope: the template. */
    private PipelineProcessor template;
    private Partition[] partitions = new Partition[0];
    private int size;
    /** The partition of the last input: inputs come in runs of one partition. */
    private Partition last;

    WorkerState(final Function<PipelineSpec, PipelineProcessor> factory, final PipelineSpec spec)
    {
        this.factory = factory;
        this.perPartition = spec.state().perPartition();
        this.template = factory.apply(spec);
    }

    boolean perPartition()
    {
        return perPartition;
    }

    /** The processor of key scope, or the template of partition scope: the pipeline and models running now. */
    PipelineProcessor template()
    {
        return template;
    }

    void template(final PipelineProcessor template)
    {
        this.template = template;
    }

    /** The partitions that hold state (0 with key scope). */
    int size()
    {
        return size;
    }

    Partition partition(final int index)
    {
        return partitions[index];
    }

    /**
     * The processor of {@code slot}'s input, made for its partition when first seen; the partition is marked as
     * changed, up to the slot's offset.
     */
    PipelineProcessor forInput(final EventSlot slot)
    {
        if (!perPartition)
        {
            return template;
        }
        Partition partition = last;
        if (null == partition || partition.partition != slot.sourcePartition() ||
            !partition.topic.equals(slot.sourceTopic()))
        {
            partition = find(slot.sourceTopic(), slot.sourcePartition());
            if (null == partition)
            {
                partition = add(slot.sourceTopic(), slot.sourcePartition(), fromTemplate());
            }
            last = partition;
        }
        partition.changed = true;
        partition.nextOffset = slot.sourceOffset() + 1;
        return partition.processor;
    }

    Partition find(final String topic, final int partition)
    {
        for (int i = 0; i < size; i++)
        {
            final Partition candidate = partitions[i];
            if (candidate.partition == partition && candidate.topic.equals(topic))
            {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Takes over a partition's state, replacing what this worker held of it: {@code state} as
     * {@link #stateOf} wrote it, or null for empty state. Scores with this daemon's models, whatever the state
     * was scored with.
     *
     * @return the processor, with the state loaded.
     * @throws IOException when the state does not read back.
     * @throws dev.ringflow.windows.SnapshotMismatchException when another pipeline wrote it.
     */
    PipelineProcessor takeOver(final String topic, final int partition, final long coveredOffset, final byte[] state)
        throws IOException
    {
        drop(topic, partition);
        final PipelineProcessor processor = fromTemplate();
        if (null != state)
        {
            final DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
            if (in.readInt() != STATE_MAGIC)
            {
                throw new IOException("not partition state");
            }
            final String fingerprint = in.readUTF();
            if (!fingerprint.equals(SnapshotStore.stateFingerprint(template.spec())))
            {
                throw new dev.ringflow.windows.SnapshotMismatchException("the state was published by a " +
                    "daemon running other tasks or settings (" + fingerprint + "), this one runs " +
                    SnapshotStore.stateFingerprint(template.spec()));
            }
            processor.readState(in);
            processor.adoptModelsOf(template);
        }
        final Partition added = add(topic, partition, processor);
        added.nextOffset = coveredOffset;
        added.changed = false;
        return processor;
    }

    /** The partition's state, as {@link #takeOver} reads it. Allocates. */
    byte[] stateOf(final Partition partition) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        final DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(STATE_MAGIC);
        out.writeUTF(SnapshotStore.stateFingerprint(template.spec()));
        partition.processor.writeState(out);
        out.flush();
        return bytes.toByteArray();
    }

    /** Forgets a partition's state; nothing when it holds none. */
    void drop(final String topic, final int partition)
    {
        for (int i = 0; i < size; i++)
        {
            if (partitions[i].partition == partition && partitions[i].topic.equals(topic))
            {
                System.arraycopy(partitions, i + 1, partitions, i, size - i - 1);
                partitions[--size] = null;
                last = null;
                return;
            }
        }
    }

    /** A processor of the running pipeline with the template's models and (empty) state. */
    private PipelineProcessor fromTemplate()
    {
        final PipelineProcessor processor = factory.apply(template.spec());
        try
        {
            processor.carryStateFrom(template);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start a partition's state from the pipeline's: " + ex, ex);
        }
        return processor;
    }

    private Partition add(final String topic, final int partition, final PipelineProcessor processor)
    {
        if (size == partitions.length)
        {
            partitions = Arrays.copyOf(partitions, Math.max(8, size * 2));
        }
        final Partition added = new Partition(topic, partition, processor);
        partitions[size++] = added;
        return added;
    }

    /** Every processor: the template and each partition's. */
    List<PipelineProcessor> processors()
    {
        final List<PipelineProcessor> all = new ArrayList<>(size + 1);
        all.add(template);
        for (int i = 0; i < size; i++)
        {
            all.add(partitions[i].processor);
        }
        return all;
    }

    /**
     * For a snapshot: the template's state (its swapped models), then each partition's (its topic, partition,
     * next offset and processor state).
     */
    void writeState(final DataOutput out) throws IOException
    {
        template.writeState(out);
        if (!perPartition)
        {
            return;
        }
        out.writeInt(size);
        for (int i = 0; i < size; i++)
        {
            final Partition partition = partitions[i];
            out.writeUTF(partition.topic);
            out.writeInt(partition.partition);
            out.writeLong(partition.nextOffset);
            partition.processor.writeState(out);
        }
    }

    /** Replaces all state by what {@link #writeState} wrote. */
    void readState(final DataInput in) throws IOException
    {
        template.readState(in);
        if (!perPartition)
        {
            return;
        }
        Arrays.fill(partitions, null);
        size = 0;
        last = null;
        final int count = in.readInt();
        for (int i = 0; i < count; i++)
        {
            final String topic = in.readUTF();
            final int partition = in.readInt();
            final long nextOffset = in.readLong();
            final PipelineProcessor processor = factory.apply(template.spec());
            processor.readState(in);
            add(topic, partition, processor).nextOffset = nextOffset;
        }
    }

    /** One input partition's state on this worker. */
    static final class Partition
    {
        final String topic;
        final int partition;
        PipelineProcessor processor;
        /** The offset after the last input processed; what published state covers. */
        long nextOffset;
        /** Input processed since the state was last published. */
        boolean changed;

        Partition(final String topic, final int partition, final PipelineProcessor processor)
        {
            this.topic = topic;
            this.partition = partition;
            this.processor = processor;
        }
    }
}
