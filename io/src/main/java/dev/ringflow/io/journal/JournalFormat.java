package dev.ringflow.io.journal;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.ModelSwap;
import dev.ringflow.engine.PartitionState;
import dev.ringflow.engine.PipelineChange;
import dev.ringflow.engine.PipelinePaths;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The binary layout of one journal record (one Chronicle Queue document):
 * <pre>
 *  INPUT:  type(1) partition(int32) offset(int64) timestamp(int64) topic(stop-bit UTF-8) key(len int32, -1 = null, bytes)
 *          value(len int32, -1 = null, bytes)
 *  TICK:   type(2) idleMs(int64)
 *  COMMIT: type(3)
 *  PIPELINE: type(4) origin text base plugins (each stop-bit UTF-8; base and plugins empty for none): a pipeline
 *            change applied at this point, with the directories its relative paths were read against
 *  MODEL:  type(5) origin task source-name (each stop-bit UTF-8) model(len int32, bytes): a model swapped in for
 *          the score task named task at this point, with its file's bytes
 *  STATE:  type(6) take-over(1: 1 take over, 0 give up) partition(int32) covered-offset(int64) topic origin (each
 *          stop-bit UTF-8) state(len int32, -1 = none, bytes; or -2 and the length as int64 for a state too
 *          large to journal): an input partition's state taken over or given up at this point (partition-scoped
 *          state)
 *  SILENT: type(7), then as INPUT: an input processed for its state only, its outputs emitted by the partition's
 *          previous owner
 *  PACKED: type(0x40 | 0x01 silent | 0x02 same topic | 0x04 same partition), topic (stop-bit UTF-8, absent with
 *          "same topic"), then with "same partition" zigzag(offset - previous offset - 1), otherwise
 *          partition(unsigned) zigzag(offset); zigzag(timestamp - previous timestamp); key and value (length + 1,
 *          0 = null, then the bytes). Every number a varint (LEB128: seven bits a byte, low first). "Previous"
 *          is the previous input of the same Chronicle document (timestamp 0 for the first), so any document
 *          reads on its own. The input record as written since packing; INPUT and SILENT are still read.
 * </pre>
 * Written by {@link JournalRecordWriter}, read here.
 * <p>
 * <b>Note:</b> Reading and writing allocate nothing once the slot's buffers have grown to the record sizes; topic
 * names are kept as one String per distinct topic.
 */
final class JournalFormat
{
    static final byte INPUT = 1;
    static final byte TICK = 2;
    static final byte COMMIT = 3;
    static final byte PIPELINE = 4;
    static final byte MODEL = 5;
    static final byte STATE = 6;
    static final byte SILENT = 7;
    /** Packed input: the type byte's high bits; its low bits are the flags below. */
    static final int PACKED = 0x40;
    static final int PACKED_SILENT = 0x01;
    static final int PACKED_SAME_TOPIC = 0x02;
    static final int PACKED_SAME_PARTITION = 0x04;
    private static final int PACKED_MASK = 0xF8;

    private final StringBuilder topicChars = new StringBuilder(64);
    private String lastTopic = "";
    /** The previous input of the current document, which a packed record is read against. */
    private boolean hasPrevious;
    private int previousPartition;
    private long previousOffset;
    private long previousTimestampMs;

    /** A new Chronicle document begins: packed records refer to earlier inputs of the same document only. */
    void startDocument()
    {
        hasPrevious = false;
        previousTimestampMs = 0;
    }

    /**
     * Decodes a record into {@code slot} (as an input, a tick or a commit marker).
     *
     * @throws JournalFormatException when the bytes are not a record of this layout.
     */
    void read(final Bytes<?> bytes, final EventSlot slot)
    {
        final byte type = bytes.readRemaining() > 0 ? bytes.readByte() : 0;
        if ((type & PACKED_MASK) == PACKED)
        {
            readPacked(bytes, slot, type);
            return;
        }
        switch (type)
        {
            case INPUT:
            case SILENT:
                final int partition = bytes.readInt();
                final long offset = bytes.readLong();
                final long timestamp = bytes.readLong();
                readTopic(bytes);
                slot.input(lastTopic, partition, offset, timestamp);
                readSlice(bytes, slot.key());
                readSlice(bytes, slot.input());
                if (type == SILENT)
                {
                    slot.silent();
                }
                remember(partition, offset, timestamp);
                break;
            case TICK:
                slot.tick(bytes.readLong());
                break;
            case COMMIT:
                slot.commitMarker();
                break;
            case PIPELINE:
                // Rare: a new change object per record read is fine.
                final String origin = bytes.readUtf8();
                final String text = bytes.readUtf8();
                final String base = bytes.readUtf8();
                final String plugins = bytes.readUtf8();
                if (null == origin || null == text || null == base || null == plugins)
                {
                    throw new JournalFormatException("a pipeline change without its origin, text or paths");
                }
                slot.change(PipelineChange.fromJournal(text, origin,
                    new PipelinePaths(PipelinePaths.path(base), PipelinePaths.path(plugins))));
                break;
            case MODEL:
                // Rare: a new swap and its bytes per record read are fine; the first worker loads the model.
                final String swapOrigin = bytes.readUtf8();
                final String task = bytes.readUtf8();
                final String sourceName = bytes.readUtf8();
                if (null == swapOrigin || null == task || null == sourceName)
                {
                    throw new JournalFormatException("a model swap without its origin, task or name");
                }
                final int length = bytes.readInt();
                if (length < 0 || length > bytes.readRemaining())
                {
                    throw new JournalFormatException("a model of " + length + " bytes runs past the record's end");
                }
                final byte[] model = new byte[length];
                bytes.read(model, 0, length);
                slot.change(ModelSwap.fromJournal(task, model, sourceName, swapOrigin));
                break;
            case STATE:
                slot.change(readPartitionState(bytes));
                break;
            default:
                throw new JournalFormatException("unknown record type " + type);
        }
    }

    private void readPacked(final Bytes<?> bytes, final EventSlot slot, final int type)
    {
        final boolean sameTopic = (type & PACKED_SAME_TOPIC) != 0;
        final boolean samePartition = (type & PACKED_SAME_PARTITION) != 0;
        if ((sameTopic || samePartition) && !hasPrevious)
        {
            throw new JournalFormatException("a packed input refers to an earlier input its entry does not have");
        }
        if (samePartition && !sameTopic)
        {
            throw new JournalFormatException("a packed input has the same partition but not the same topic");
        }
        if (!sameTopic)
        {
            readTopic(bytes);
        }
        final int partition;
        final long offset;
        if (samePartition)
        {
            partition = previousPartition;
            offset = previousOffset + 1 + unZigZag(readVarLong(bytes));
        }
        else
        {
            final long unsignedPartition = readVarLong(bytes);
            if (unsignedPartition >>> 32 != 0)
            {
                throw new JournalFormatException("partition " + unsignedPartition + " is not an int");
            }
            partition = (int)unsignedPartition;
            offset = unZigZag(readVarLong(bytes));
        }
        final long timestamp = previousTimestampMs + unZigZag(readVarLong(bytes));
        slot.input(lastTopic, partition, offset, timestamp);
        readPackedSlice(bytes, slot.key());
        readPackedSlice(bytes, slot.input());
        if ((type & PACKED_SILENT) != 0)
        {
            slot.silent();
        }
        remember(partition, offset, timestamp);
    }

    /** Reads a topic into {@code lastTopic}, making a new string only when it differs from the last one read. */
    private void readTopic(final Bytes<?> bytes)
    {
        topicChars.setLength(0);
        bytes.readUtf8(topicChars);
        if (!lastTopic.contentEquals(topicChars))
        {
            lastTopic = topicChars.toString();
        }
    }

    private void remember(final int partition, final long offset, final long timestampMs)
    {
        hasPrevious = true;
        previousPartition = partition;
        previousOffset = offset;
        previousTimestampMs = timestampMs;
    }

    private static long unZigZag(final long value)
    {
        return (value >>> 1) ^ -(value & 1);
    }

    private static long readVarLong(final Bytes<?> bytes)
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (bytes.readRemaining() <= 0)
            {
                throw new JournalFormatException("a number runs past the record's end");
            }
            final byte b = bytes.readByte();
            value |= (long)(b & 0x7F) << shift;
            if (b >= 0)
            {
                return value;
            }
        }
        throw new JournalFormatException("a number longer than ten bytes");
    }

    private static void readPackedSlice(final Bytes<?> bytes, final ByteSlice slice)
    {
        final long lengthPlusOne = readVarLong(bytes);
        if (0 == lengthPlusOne)
        {
            slice.setNull();
            return;
        }
        final long length = lengthPlusOne - 1;
        if (length > bytes.readRemaining() || length < 0)
        {
            throw new JournalFormatException("a field of " + length + " bytes runs past the record's end");
        }
        bytes.read(slice.resize((int)length), 0, (int)length);
    }

    /** Rare: a new change and its bytes per record read are fine. */
    private static PartitionState readPartitionState(final Bytes<?> bytes)
    {
        final boolean takeOver = bytes.readByte() == 1;
        final int partition = bytes.readInt();
        final long coveredOffset = bytes.readLong();
        final String topic = bytes.readUtf8();
        final String origin = bytes.readUtf8();
        if (null == topic || null == origin)
        {
            throw new JournalFormatException("partition state without its topic or origin");
        }
        final int length = bytes.readInt();
        if (length == JournalRecordWriter.UNJOURNALED_STATE)
        {
            return PartitionState.unjournaledTakeOver(topic, partition, coveredOffset, bytes.readLong(), origin);
        }
        if (length > bytes.readRemaining())
        {
            throw new JournalFormatException("partition state of " + length + " bytes runs past the record's end");
        }
        byte[] state = null;
        if (length >= 0)
        {
            state = new byte[length];
            bytes.read(state, 0, length);
        }
        return takeOver ? PartitionState.takeOver(topic, partition, coveredOffset, state, origin) :
            PartitionState.giveUp(topic, partition, origin);
    }

    private static void readSlice(final Bytes<?> bytes, final ByteSlice slice)
    {
        final int length = bytes.readInt();
        if (length < 0)
        {
            slice.setNull();
            return;
        }
        if (length > bytes.readRemaining())
        {
            throw new JournalFormatException("a field of " + length + " bytes runs past the record's end");
        }
        bytes.read(slice.resize(length), 0, length);
    }

    /** A record that does not decode. */
    static final class JournalFormatException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        JournalFormatException(final String message)
        {
            super(message);
        }
    }
}
