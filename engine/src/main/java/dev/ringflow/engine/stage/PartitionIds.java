package dev.ringflow.engine.stage;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Dense numbers (0, 1, ...) for the source partitions (topic and partition number) a stage has seen, in the order
 * it first saw them, so that per-partition state lives in arrays.
 * <p>
 * <b>Note:</b> Allocation free in steady state: allocates only for a partition not seen before. Consecutive records
 * usually come from the same partition (a consumer fetches in batches), so the last answer is kept; otherwise a
 * scan over the partitions, which a worker has tens of at most. Not thread-safe.
 */
final class PartitionIds
{
    private String[] topics = new String[8];
    private int[] partitions = new int[8];
    private int count;
    private String lastTopic;
    private int lastPartition;
    private int lastId = -1;

    /** The number of {@code topic}'s {@code partition}, given it first if it has none. */
    int idOf(final String topic, final int partition)
    {
        if (lastId >= 0 && partition == lastPartition && topic == lastTopic)
        {
            return lastId;
        }
        int id = -1;
        for (int i = 0; i < count; i++)
        {
            if (partitions[i] == partition && (topic == topics[i] || (null != topic && topic.equals(topics[i]))))
            {
                id = i;
                break;
            }
        }
        if (id < 0)
        {
            id = add(topic, partition);
        }
        lastTopic = topic;
        lastPartition = partition;
        lastId = id;
        return id;
    }

    int count()
    {
        return count;
    }

    private int add(final String topic, final int partition)
    {
        if (count == topics.length)
        {
            topics = Arrays.copyOf(topics, count << 1);
            partitions = Arrays.copyOf(partitions, count << 1);
        }
        topics[count] = topic;
        partitions[count] = partition;
        return count++;
    }

    /** Writes the partitions in number order. */
    void writeState(final DataOutput out) throws IOException
    {
        out.writeInt(count);
        for (int i = 0; i < count; i++)
        {
            out.writeBoolean(null != topics[i]);
            out.writeUTF(null == topics[i] ? "" : topics[i]);
            out.writeInt(partitions[i]);
        }
    }

    /** Replaces the numbering by the one {@link #writeState} wrote. */
    void readState(final DataInput in) throws IOException
    {
        final int partitions = in.readInt();
        if (partitions < 0)
        {
            throw new java.io.StreamCorruptedException("partition count " + partitions);
        }
        count = 0;
        lastId = -1;
        for (int i = 0; i < partitions; i++)
        {
            final boolean hasTopic = in.readBoolean();
            final String topic = in.readUTF();
            add(hasTopic ? topic : null, in.readInt());
        }
    }
}
