package dev.ringflow.io.journal;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.io.TestSeeds;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer's one-copy encoding must produce exactly the bytes of the packed layout written field by field with
 * Chronicle's own writes (the reference below, with its own memory of the previous input), and read back to the same
 * event, across group boundaries; records of the fixed layout written before packing must still read.
 */
class JournalRecordWriterTest
{
    private static final String[] TOPICS = {
        "in", "my-topic", "", "sensors.ü.温度", "t4", "t5", "t6", "t7", "t8", "t9", "t10" };

    @RepeatedTest(4)
    void shouldWriteTheLayoutByteForByteAndReadBack()
    {
        final long seed = TestSeeds.seed("shouldWriteTheLayoutByteForByteAndReadBack");
        final Random random = new Random(seed);
        final JournalRecordWriter writer = new JournalRecordWriter();
        final JournalFormat format = new JournalFormat();
        final Bytes<?> written = Bytes.allocateElasticOnHeap(64);
        final Bytes<?> reference = Bytes.allocateElasticOnHeap(64);
        final EventSlot slot = new EventSlot();
        final EventSlot read = new EventSlot();
        final PackedReference packed = new PackedReference();
        for (int i = 0; i < 5_000; i++)
        {
            if (random.nextInt(50) == 0)
            {
                writer.startGroup();
                format.startDocument();
                packed.startGroup();
            }
            fill(slot, random);
            written.clear();
            reference.clear();
            writer.write(written, slot);
            packed.write(reference, slot);
            assertThat(written.toByteArray()).as("seed %d record %d", seed, i).isEqualTo(reference.toByteArray());

            format.read(written, read);
            assertThat(written.readRemaining()).as("seed %d record %d", seed, i).isZero();
            assertSameEvent(read, slot, seed, i);
        }
    }

    @RepeatedTest(2)
    void shouldReadRecordsOfTheFixedLayout()
    {
        final long seed = TestSeeds.seed("shouldReadRecordsOfTheFixedLayout");
        final Random random = new Random(seed);
        final JournalFormat format = new JournalFormat();
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap(64);
        final EventSlot slot = new EventSlot();
        final EventSlot read = new EventSlot();
        for (int i = 0; i < 2_000; i++)
        {
            fill(slot, random);
            bytes.clear();
            writeFixed(bytes, slot);
            format.read(bytes, read);
            assertThat(bytes.readRemaining()).as("seed %d record %d", seed, i).isZero();
            assertSameEvent(read, slot, seed, i);
        }
    }

    @Test
    void shouldPackARunOfOnePartitionIntoAFewBytesBeyondKeyAndValue()
    {
        final JournalRecordWriter writer = new JournalRecordWriter();
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap(64);
        final EventSlot slot = new EventSlot();
        writer.startGroup();
        slot.input("my-topic", 2, 5_000_000, 1_733_300_000_000L, "k123".getBytes(StandardCharsets.US_ASCII),
            "12345".getBytes(StandardCharsets.US_ASCII));
        writer.write(bytes, slot);
        final long first = bytes.writePosition();
        slot.input("my-topic", 2, 5_000_001, 1_733_300_000_003L, "k456".getBytes(StandardCharsets.US_ASCII),
            "67890".getBytes(StandardCharsets.US_ASCII));
        writer.write(bytes, slot);
        // type, offset, timestamp, two lengths: 5 bytes beside the 9 of key and value (the fixed layout: 40).
        assertThat(bytes.writePosition() - first).isEqualTo(14);
        assertThat(first).isLessThan(4 + 9 + 1 + 3 + 4 + 6 + 9 + 1);
    }

    @Test
    void shouldRefuseAPackedRecordThatRefersToAnInputBeforeItsDocument()
    {
        final JournalRecordWriter writer = new JournalRecordWriter();
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap(64);
        final EventSlot slot = new EventSlot();
        writer.startGroup();
        slot.input("in", 0, 1, 1, null, new byte[] { '1' });
        writer.write(bytes, slot);
        slot.input("in", 0, 2, 2, null, new byte[] { '2' });
        writer.write(bytes, slot);
        final JournalFormat format = new JournalFormat();
        format.startDocument();
        format.read(bytes, new EventSlot());
        // A reader that starts at the second record (a new document, as far as it knows) has nothing to refer to.
        format.startDocument();
        assertThatThrownBy(() -> format.read(bytes, new EventSlot()))
            .isInstanceOf(JournalFormat.JournalFormatException.class)
            .hasMessageContaining("earlier input");
    }

    @Test
    void shouldRefuseAPackedFieldLongerThanTheRecord()
    {
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap(64);
        bytes.writeByte((byte)JournalFormat.PACKED);
        bytes.writeUtf8("in");
        bytes.writeByte((byte)0); // partition
        bytes.writeByte((byte)0); // offset
        bytes.writeByte((byte)0); // timestamp
        bytes.writeByte((byte)0); // null key
        bytes.writeByte((byte)100); // a value of 99 bytes, with 1 there
        bytes.writeByte((byte)'x');
        final JournalFormat format = new JournalFormat();
        format.startDocument();
        assertThatThrownBy(() -> format.read(bytes, new EventSlot()))
            .isInstanceOf(JournalFormat.JournalFormatException.class)
            .hasMessageContaining("runs past the record's end");
    }

    private static void assertSameEvent(final EventSlot read, final EventSlot slot, final long seed, final int i)
    {
        assertThat(read.isTick()).as("seed %d record %d", seed, i).isEqualTo(slot.isTick());
        assertThat(read.isCommitMarker()).isEqualTo(slot.isCommitMarker());
        if (!slot.isTick() && !slot.isCommitMarker())
        {
            assertThat(read.sourceTopic()).isEqualTo(null == slot.sourceTopic() ? "" : slot.sourceTopic());
            assertThat(read.sourcePartition()).isEqualTo(slot.sourcePartition());
            assertThat(read.sourceOffset()).isEqualTo(slot.sourceOffset());
            assertThat(read.timestampMs()).isEqualTo(slot.timestampMs());
            assertThat(read.emits()).isEqualTo(slot.emits());
            assertThat(text(read.key())).isEqualTo(text(slot.key()));
            assertThat(text(read.input())).isEqualTo(text(slot.input()));
        }
        else if (slot.isTick())
        {
            assertThat(read.idleMs()).isEqualTo(slot.idleMs());
        }
    }

    private String previousTopic;
    private int previousPartition;
    private long previousOffset;
    private long previousTimestamp = 1_733_300_000_000L;

    private void fill(final EventSlot slot, final Random random)
    {
        final int kind = random.nextInt(20);
        if (kind == 0)
        {
            slot.tick(random.nextInt(100_000));
            return;
        }
        if (kind == 1)
        {
            slot.commitMarker();
            return;
        }
        // Often the next record of the previous one's partition (as a poll hands them over), sometimes another topic
        // or partition, a fresh String instance of a known topic name, null, or extreme numbers.
        final boolean run = random.nextInt(3) != 0 && null != previousTopic;
        final String topic = run ? new String(previousTopic) :
            random.nextInt(10) == 0 ? null : new String(TOPICS[random.nextInt(TOPICS.length)]);
        final int partition = run && random.nextInt(4) != 0 ? previousPartition :
            random.nextInt(20) == 0 ? Integer.MIN_VALUE + random.nextInt(3) : random.nextInt(64);
        final long offset = run ? previousOffset + 1 + (random.nextInt(5) == 0 ? random.nextInt(2_000) - 1_000 : 0) :
            random.nextInt(5) == 0 ? random.nextLong() : random.nextInt(Integer.MAX_VALUE);
        final long timestamp = random.nextInt(5) == 0 ? random.nextLong() : previousTimestamp + random.nextInt(200) - 50;
        slot.input(topic, partition, offset, timestamp,
            random.nextInt(8) == 0 ? null : randomBytes(random, random.nextInt(3) == 0 ? 700 : 16),
            random.nextInt(8) == 0 ? null : randomBytes(random, random.nextInt(3) == 0 ? 2_000 : 12));
        if (random.nextInt(6) == 0)
        {
            slot.silent();
        }
        previousTopic = null == topic ? "" : topic;
        previousPartition = partition;
        previousOffset = offset;
        previousTimestamp = timestamp;
    }

    private static byte[] randomBytes(final Random random, final int maxLength)
    {
        final byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The fixed layout, as written before packing, one field at a time with Chronicle's checked writes. */
    private static void writeFixed(final Bytes<?> bytes, final EventSlot slot)
    {
        if (writeOther(bytes, slot))
        {
            return;
        }
        bytes.writeByte(slot.emits() ? JournalFormat.INPUT : JournalFormat.SILENT);
        bytes.writeInt(slot.sourcePartition());
        bytes.writeLong(slot.sourceOffset());
        bytes.writeLong(slot.timestampMs());
        bytes.writeUtf8(null == slot.sourceTopic() ? "" : slot.sourceTopic());
        for (final ByteSlice slice : new ByteSlice[] { slot.key(), slot.input() })
        {
            if (slice.isNull())
            {
                bytes.writeInt(-1);
            }
            else
            {
                bytes.writeInt(slice.length());
                bytes.write(slice.bytes(), 0, slice.length());
            }
        }
    }

    private static boolean writeOther(final Bytes<?> bytes, final EventSlot slot)
    {
        if (slot.isCommitMarker())
        {
            bytes.writeByte(JournalFormat.COMMIT);
            return true;
        }
        if (slot.isTick())
        {
            bytes.writeByte(JournalFormat.TICK);
            bytes.writeLong(slot.idleMs());
            return true;
        }
        return false;
    }

    /**
     * The packed layout spelled out naively: BigInteger arithmetic for the differences and zigzag, a byte at a time,
     * and its own memory of the previous input of the group.
     */
    private static final class PackedReference
    {
        private String topic;
        private int partition;
        private long offset;
        private long timestamp;

        void startGroup()
        {
            topic = null;
            timestamp = 0;
        }

        void write(final Bytes<?> bytes, final EventSlot slot)
        {
            if (writeOther(bytes, slot))
            {
                return;
            }
            final String name = null == slot.sourceTopic() ? "" : slot.sourceTopic();
            final boolean sameTopic = name.equals(topic);
            final boolean samePartition = sameTopic && slot.sourcePartition() == partition;
            bytes.writeByte((byte)(0x40 | (slot.emits() ? 0 : 1) | (sameTopic ? 2 : 0) | (samePartition ? 4 : 0)));
            if (!sameTopic)
            {
                bytes.writeUtf8(name);
            }
            if (samePartition)
            {
                varint(bytes, zigZag(BigInteger.valueOf(slot.sourceOffset())
                    .subtract(BigInteger.valueOf(offset)).subtract(BigInteger.ONE)));
            }
            else
            {
                varint(bytes, BigInteger.valueOf(slot.sourcePartition()).mod(BigInteger.ONE.shiftLeft(32)));
                varint(bytes, zigZag(BigInteger.valueOf(slot.sourceOffset())));
            }
            varint(bytes, zigZag(BigInteger.valueOf(slot.timestampMs()).subtract(BigInteger.valueOf(timestamp))));
            for (final ByteSlice slice : new ByteSlice[] { slot.key(), slot.input() })
            {
                if (slice.isNull())
                {
                    varint(bytes, BigInteger.ZERO);
                }
                else
                {
                    varint(bytes, BigInteger.valueOf(slice.length() + 1L));
                    bytes.write(slice.bytes(), 0, slice.length());
                }
            }
            topic = name;
            partition = slot.sourcePartition();
            offset = slot.sourceOffset();
            timestamp = slot.timestampMs();
        }

        /** Differences wrap like a long's: the value is taken modulo 2^64 as a signed long, then zigzagged. */
        private static BigInteger zigZag(final BigInteger difference)
        {
            final BigInteger twoTo64 = BigInteger.ONE.shiftLeft(64);
            BigInteger wrapped = difference.mod(twoTo64);
            if (wrapped.testBit(63))
            {
                wrapped = wrapped.subtract(twoTo64);
            }
            // 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3 ...
            return wrapped.signum() >= 0 ? wrapped.shiftLeft(1) : wrapped.negate().shiftLeft(1).subtract(BigInteger.ONE);
        }

        private static void varint(final Bytes<?> bytes, final BigInteger value)
        {
            BigInteger v = value;
            final BigInteger seven = BigInteger.valueOf(0x7F);
            while (v.compareTo(seven) > 0)
            {
                bytes.writeByte((byte)(v.and(seven).intValue() | 0x80));
                v = v.shiftRight(7);
            }
            bytes.writeByte((byte)v.intValue());
        }
    }

    private static String text(final ByteSlice slice)
    {
        return slice.isNull() ? null : new String(slice.bytes(), 0, slice.length(), StandardCharsets.ISO_8859_1);
    }
}
