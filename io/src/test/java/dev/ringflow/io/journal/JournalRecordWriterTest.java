package dev.ringflow.io.journal;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.io.TestSeeds;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.RepeatedTest;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer's one-copy encoding must produce exactly the bytes of the layout written field by field with
 * Chronicle's own writes (the reference below), and read back to the same event.
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
        for (int i = 0; i < 5_000; i++)
        {
            fill(slot, random);
            written.clear();
            reference.clear();
            writer.write(written, slot);
            writeReference(reference, slot);
            assertThat(written.toByteArray()).as("seed %d record %d", seed, i).isEqualTo(reference.toByteArray());

            format.read(written, read);
            assertThat(written.readRemaining()).as("seed %d record %d", seed, i).isZero();
            assertThat(read.isTick()).isEqualTo(slot.isTick());
            assertThat(read.isCommitMarker()).isEqualTo(slot.isCommitMarker());
            if (!slot.isTick() && !slot.isCommitMarker())
            {
                assertThat(read.sourceTopic()).isEqualTo(null == slot.sourceTopic() ? "" : slot.sourceTopic());
                assertThat(read.sourcePartition()).isEqualTo(slot.sourcePartition());
                assertThat(read.sourceOffset()).isEqualTo(slot.sourceOffset());
                assertThat(read.timestampMs()).isEqualTo(slot.timestampMs());
                assertThat(text(read.key())).isEqualTo(text(slot.key()));
                assertThat(text(read.input())).isEqualTo(text(slot.input()));
            }
            else if (slot.isTick())
            {
                assertThat(read.idleMs()).isEqualTo(slot.idleMs());
            }
        }
    }

    private static void fill(final EventSlot slot, final Random random)
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
        // Sometimes a fresh String instance of a known topic name, sometimes null.
        final String topic = random.nextInt(10) == 0 ? null : new String(TOPICS[random.nextInt(TOPICS.length)]);
        slot.input(topic, random.nextInt(64), random.nextLong(), random.nextLong(),
            random.nextInt(8) == 0 ? null : randomBytes(random, random.nextInt(3) == 0 ? 700 : 16),
            random.nextInt(8) == 0 ? null : randomBytes(random, random.nextInt(3) == 0 ? 2_000 : 12));
    }

    private static byte[] randomBytes(final Random random, final int maxLength)
    {
        final byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The layout written one field at a time with Chronicle's checked writes. */
    private static void writeReference(final Bytes<?> bytes, final EventSlot slot)
    {
        if (slot.isCommitMarker())
        {
            bytes.writeByte(JournalFormat.COMMIT);
            return;
        }
        if (slot.isTick())
        {
            bytes.writeByte(JournalFormat.TICK);
            bytes.writeLong(slot.idleMs());
            return;
        }
        bytes.writeByte(JournalFormat.INPUT);
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

    private static String text(final ByteSlice slice)
    {
        return slice.isNull() ? null : new String(slice.bytes(), 0, slice.length(), StandardCharsets.ISO_8859_1);
    }
}
