package dev.ringflow.io.journal;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.ModelSwap;
import dev.ringflow.engine.PartitionState;
import dev.ringflow.engine.PipelineChange;
import dev.ringflow.engine.PipelinePaths;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Writes journal records in the {@link JournalFormat} layout. An input record is encoded into a scratch array
 * first and reaches the journal in one bulk copy: one bounds check and one copy instead of seven checked writes,
 * and the topic name, which hardly ever changes, is encoded once per topic instead of once per record.
 * <p>
 * <b>Note:</b> The journal thread's own; allocation free once the scratch array has grown to the largest record
 * and every topic has been seen (at most {@value #TOPICS} names are cached; more are encoded per record).
 */
final class JournalRecordWriter
{
    /** Type, partition, offset, timestamp and two length words. */
    private static final int FIXED_BYTES = 1 + 4 + 8 + 8 + 4 + 4;
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
        final byte[] topic = encodedTopic(slot.sourceTopic());
        final ByteSlice key = slot.key();
        final ByteSlice value = slot.input();
        final int keyLength = key.isNull() ? 0 : key.length();
        final int valueLength = value.isNull() ? 0 : value.length();
        final int length = FIXED_BYTES + topic.length + keyLength + valueLength;
        if (length > scratch.length)
        {
            scratch = new byte[Math.max(length, scratch.length << 1)];
            buffer.wrap(scratch);
        }
        final UnsafeBuffer buffer = this.buffer;
        int at = 0;
        buffer.putByte(at, slot.emits() ? JournalFormat.INPUT : JournalFormat.SILENT);
        at += 1;
        buffer.putInt(at, slot.sourcePartition(), ByteOrder.LITTLE_ENDIAN);
        at += 4;
        buffer.putLong(at, slot.sourceOffset(), ByteOrder.LITTLE_ENDIAN);
        at += 8;
        buffer.putLong(at, slot.timestampMs(), ByteOrder.LITTLE_ENDIAN);
        at += 8;
        buffer.putBytes(at, topic);
        at += topic.length;
        at = putSlice(buffer, at, key);
        at = putSlice(buffer, at, value);
        bytes.write(scratch, 0, at);
    }

    private static int putSlice(final UnsafeBuffer buffer, final int at, final ByteSlice slice)
    {
        if (slice.isNull())
        {
            buffer.putInt(at, -1, ByteOrder.LITTLE_ENDIAN);
            return at + 4;
        }
        final int length = slice.length();
        buffer.putInt(at, length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(at + 4, slice.bytes(), 0, length);
        return at + 4 + length;
    }

    /** The topic as {@link Bytes#writeUtf8} writes it (stop-bit length, then the characters). */
    private byte[] encodedTopic(final String name)
    {
        final String topic = null == name ? "" : name;
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
