package dev.ringflow.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * How far the worker has got in each source partition: the next offset to read after the last event processed.
 * A sink that commits the source's progress with its output (Kafka transactions) reads it at a commit marker.
 * <p>
 * <b>Note:</b> Updated and read on its worker thread; copied for other threads at commit markers. Allocation free once every partition has been seen;
 * partitions are found by a linear scan starting at the last one hit, which suits the few partitions one engine
 * reads.
 */
public final class SourceProgress
{
    private String[] topics = new String[8];
    private int[] partitions = new int[8];
    private long[] nextOffsets = new long[8];
    private int size;
    private int last;

    void onProcessed(final EventSlot slot)
    {
        final String topic = slot.sourceTopic();
        if (null == topic)
        {
            return;
        }
        final int partition = slot.sourcePartition();
        final int index = indexOf(topic, partition);
        nextOffsets[index] = Math.max(nextOffsets[index], slot.sourceOffset() + 1);
    }

    /** Forgets every partition (keeps the arrays). */
    void clear()
    {
        size = 0;
        last = 0;
    }

    /** Becomes a copy of {@code other}. */
    void copyFrom(final SourceProgress other)
    {
        clear();
        mergeFrom(other);
    }

    /** Takes, per partition, the further of this and {@code other}'s next offsets. */
    void mergeFrom(final SourceProgress other)
    {
        for (int i = 0; i < other.size; i++)
        {
            final int index = indexOf(other.topics[i], other.partitions[i]);
            nextOffsets[index] = Math.max(nextOffsets[index], other.nextOffsets[i]);
        }
    }

    public int size()
    {
        return size;
    }

    public String topic(final int index)
    {
        return topics[index];
    }

    public int partition(final int index)
    {
        return partitions[index];
    }

    public long nextOffset(final int index)
    {
        return nextOffsets[index];
    }

    private int indexOf(final String topic, final int partition)
    {
        for (int n = 0, i = last; n < size; n++, i = i + 1 == size ? 0 : i + 1)
        {
            if (partitions[i] == partition && (topics[i] == topic || topics[i].equals(topic)))
            {
                last = i;
                return i;
            }
        }
        if (size == topics.length)
        {
            topics = Arrays.copyOf(topics, size * 2);
            partitions = Arrays.copyOf(partitions, size * 2);
            nextOffsets = Arrays.copyOf(nextOffsets, size * 2);
        }
        topics[size] = topic;
        partitions[size] = partition;
        nextOffsets[size] = 0;
        last = size;
        return size++;
    }

    /** Writes every partition's next offset, for a snapshot. */
    void writeTo(final DataOutput out) throws IOException
    {
        out.writeInt(size);
        for (int i = 0; i < size; i++)
        {
            out.writeUTF(topics[i]);
            out.writeInt(partitions[i]);
            out.writeLong(nextOffsets[i]);
        }
    }

    /** Adds what {@link #writeTo} wrote (keeping the larger offset of a partition already here). */
    void mergeFrom(final DataInput in) throws IOException
    {
        final int count = in.readInt();
        if (count < 0)
        {
            throw new java.io.StreamCorruptedException("partition count " + count);
        }
        for (int n = 0; n < count; n++)
        {
            final String topic = in.readUTF().intern();
            final int partition = in.readInt();
            final long nextOffset = in.readLong();
            final int index = indexOf(topic, partition);
            nextOffsets[index] = Math.max(nextOffsets[index], nextOffset);
        }
    }
}
