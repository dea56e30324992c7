package dev.ringflow.io.journal;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.ModelSwap;
import dev.ringflow.engine.PartitionState;
import dev.ringflow.engine.PipelineChange;
import dev.ringflow.engine.PipelinePaths;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes journal records in the {@link JournalFormat} layout. An input is written as a packed record: its topic
 * and partition are left out when they are the previous input's of the same group, its offset and timestamp are
 * written as varint differences from that input's, and its lengths as varints, so a record of a 3-partition topic
 * costs its key and value plus about six bytes (the fixed layout took 30 more). The record is encoded into a
 * scratch array first and reaches the journal in one bulk copy, and a topic name is encoded once per topic.
 * <p>
 * <b>Note:</b> The journal thread's own; allocation free once the scratch array has grown to the largest record
 * and every topic has been seen (at most {@value #TOPICS} names are cached; more are encoded per record).
 */
final class JournalRecordWriter
{
    /** At most: type, partition (varint of an int), offset and timestamp (varints of longs), two lengths. */
    private static final int MAX_FIXED_BYTES = 1 + 5 + 10 + 10 + 5 + 5;
    private static final int TOPICS = 8;
    /** The largest partition state journaled with its take-over (Chronicle's default blocks take 16 MiB). */
    static final int MAX_STATE_BYTES = 8 << 20;
    /** In place of a state's length: the state was larger than {@link #MAX_STATE_BYTES}; its length follows. */
    static final int UNJOURNALED_STATE = -2;

    private final String[] topics = new String[TOPICS];
    private final byte[][] encodedTopics = new byte[TOPICS][];
    private final Bytes<?> topicScratch = Bytes.allocateElasticOnHeap(64);
    private int topicCount;
    private byte[] scratch = new byte[256];
    private final UnsafeBuffer buffer = new UnsafeBuffer(scratch);
    /** The previous input of the current group: what a packed record is written against. */
    private boolean hasPrevious;
    private String previousTopic;
    private int previousPartition;
    private long previousOffset;
    private long previousTimestampMs;

    /** A new Chronicle document begins: its first input is written in full, as a reader may start there. */
    void startGroup()
    {
        hasPrevious = false;
        previousTopic = null;
        previousTimestampMs = 0;
    }

    void write(final Bytes<?> bytes, final EventSlot slot)
    {
        if (slot.isCommitMarker())
        {
            bytes.writeByte(JournalFormat.COMMIT);
        }
        else if (slot.change() instanceof PipelineChange change)
        {
            bytes.writeByte(JournalFormat.PIPELINE);
            bytes.writeUtf8(change.origin());
            bytes.writeUtf8(change.text());
            bytes.writeUtf8(PipelinePaths.text(change.paths().base()));
            bytes.writeUtf8(PipelinePaths.text(change.paths().pluginsDir()));
        }
        else if (slot.change() instanceof ModelSwap swap)
        {
            bytes.writeByte(JournalFormat.MODEL);
            bytes.writeUtf8(swap.origin());
            bytes.writeUtf8(swap.task());
            bytes.writeUtf8(swap.sourceName());
            bytes.writeInt(swap.bytes().length);
            bytes.write(swap.bytes());
        }
        else if (slot.change() instanceof PartitionState state)
        {
            bytes.writeByte(JournalFormat.STATE);
            bytes.writeByte((byte)(state.isTakeOver() ? 1 : 0));
            bytes.writeInt(state.partition());
            bytes.writeLong(state.coveredOffset());
            bytes.writeUtf8(state.topic());
            bytes.writeUtf8(state.origin());
            if (null != state.state() && state.state().length > MAX_STATE_BYTES)
            {
                // A document must fit in one of the queue's blocks: a larger state is left out, and said so.
                bytes.writeInt(UNJOURNALED_STATE);
                bytes.writeLong(state.state().length);
                return;
            }
            bytes.writeInt(null == state.state() ? -1 : state.state().length);
            if (null != state.state())
            {
                bytes.write(state.state());
            }
        }
        else if (slot.isTick())
        {
            bytes.writeByte(JournalFormat.TICK);
            bytes.writeLong(slot.idleMs());
        }
        else
        {
            writeInput(bytes, slot);
        }
    }

    private void writeInput(final Bytes<?> bytes, final EventSlot slot)
    {
        final String topicName = null == slot.sourceTopic() ? "" : slot.sourceTopic();
        final boolean sameTopic = hasPrevious &&
            (topicName == previousTopic || topicName.equals(previousTopic));
        final int partition = slot.sourcePartition();
        final boolean samePartition = sameTopic && partition == previousPartition;
        final byte[] topic = sameTopic ? null : encodedTopic(topicName);
        final ByteSlice key = slot.key();
        final ByteSlice value = slot.input();
        final int keyLength = key.isNull() ? 0 : key.length();
        final int valueLength = value.isNull() ? 0 : value.length();
        final int length = MAX_FIXED_BYTES + (sameTopic ? 0 : topic.length) + keyLength + valueLength;
        if (length > scratch.length)
        {
            scratch = new byte[Math.max(length, scratch.length << 1)];
            buffer.wrap(scratch);
        }
        final UnsafeBuffer buffer = this.buffer;
        final long offset = slot.sourceOffset();
        final long timestampMs = slot.timestampMs();
        int type = JournalFormat.PACKED;
        type |= slot.emits() ? 0 : JournalFormat.PACKED_SILENT;
        type |= sameTopic ? JournalFormat.PACKED_SAME_TOPIC : 0;
        type |= samePartition ? JournalFormat.PACKED_SAME_PARTITION : 0;
        buffer.putByte(0, (byte)type);
        int at = 1;
        if (!sameTopic)
        {
            buffer.putBytes(at, topic);
            at += topic.length;
        }
        if (samePartition)
        {
            at = putVarLong(buffer, at, zigZag(offset - previousOffset - 1));
        }
        else
        {
            at = putVarLong(buffer, at, Integer.toUnsignedLong(partition));
            at = putVarLong(buffer, at, zigZag(offset));
        }
        at = putVarLong(buffer, at, zigZag(timestampMs - previousTimestampMs));
        at = putSlice(buffer, at, key);
        at = putSlice(buffer, at, value);
        bytes.write(scratch, 0, at);
        hasPrevious = true;
        previousTopic = topicName;
        previousPartition = partition;
        previousOffset = offset;
        previousTimestampMs = timestampMs;
    }

    /** Length + 1 as a varint (0 for null), then the bytes. */
    private static int putSlice(final UnsafeBuffer buffer, final int at, final ByteSlice slice)
    {
        if (slice.isNull())
        {
            buffer.putByte(at, (byte)0);
            return at + 1;
        }
        final int length = slice.length();
        final int from = putVarLong(buffer, at, length + 1L);
        buffer.putBytes(from, slice.bytes(), 0, length);
        return from + length;
    }

    private static long zigZag(final long value)
    {
        return (value << 1) ^ (value >> 63);
    }

    /** Unsigned LEB128: seven bits a byte, low first, the high bit set on every byte but the last. */
    private static int putVarLong(final UnsafeBuffer buffer, final int at, final long value)
    {
        int i = at;
        long v = value;
        while ((v & ~0x7FL) != 0)
        {
            buffer.putByte(i++, (byte)((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.putByte(i++, (byte)v);
        return i;
    }

    /** The topic as {@link Bytes#writeUtf8} writes it (stop-bit length, then the characters). */
    private byte[] encodedTopic(final String topic)
    {
        for (int i = 0; i < topicCount; i++)
        {
            if (topics[i] == topic)
            {
                return encodedTopics[i];
            }
        }
        for (int i = 0; i < topicCount; i++)
        {
            if (topics[i].equals(topic))
            {
                // Another instance of a known name: remember this one, so the next lookup is by reference.
                topics[i] = topic;
                return encodedTopics[i];
            }
        }
        topicScratch.clear();
        topicScratch.writeUtf8(topic);
        final byte[] encoded = topicScratch.toByteArray();
        if (topicCount < TOPICS)
        {
            topics[topicCount] = topic;
            encodedTopics[topicCount] = encoded;
            topicCount++;
        }
        return encoded;
    }
}
