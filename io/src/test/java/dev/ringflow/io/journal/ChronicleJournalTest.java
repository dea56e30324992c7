package dev.ringflow.io.journal;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.JournalException;
import dev.ringflow.engine.PartitionState;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.io.TestSeeds;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChronicleJournalTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryKindOfRecordAsWrittenInGroups()
    {
        final long seed = TestSeeds.seed("shouldReadBackEveryKindOfRecordAsWrittenInGroups");
        final Random random = new Random(seed);
        final List<String> written = new ArrayList<>();
        final List<Long> indexes = new ArrayList<>();
        int pending = 0;
        try (ChronicleJournal journal = ChronicleJournal.open(spec()))
        {
            final EventSlot slot = new EventSlot();
            for (int i = 0; i < 10_000; i++)
            {
                final int kind = random.nextInt(10);
                if (kind == 0)
                {
                    slot.tick(random.nextInt(5_000));
                }
                else if (kind == 1)
                {
                    slot.commitMarker();
                }
                else if (kind == 2 && random.nextInt(10) == 0)
                {
                    // Partition state taken over (with bytes, or empty) or given up.
                    final int choice = random.nextInt(3);
                    slot.change(choice == 2 ? PartitionState.giveUp("topic-1", random.nextInt(4), "rebalance") :
                        PartitionState.takeOver("topic-" + random.nextInt(3), random.nextInt(4), random.nextInt(1000),
                        choice == 0 ? null : bytes(random, random.nextInt(2000)), "state-" + i));
                }
                else
                {
                    final byte[] key = random.nextInt(20) == 0 ? null : bytes(random, 1 + random.nextInt(30));
                    slot.input("topic-" + random.nextInt(3), random.nextInt(4), i, random.nextLong(), key,
                        bytes(random, random.nextInt(300)));
                    if (random.nextInt(10) == 0)
                    {
                        slot.silent();
                    }
                }
                written.add(describe(slot));
                journal.append(slot);
                pending++;
                // Groups of random sizes, as the engine flushes at the end of each ring batch.
                if (random.nextInt(8) == 0 || i == 9_999)
                {
                    final long index = journal.flush();
                    for (; pending > 0; pending--)
                    {
                        indexes.add(index);
                    }
                }
            }
        }

        final List<String> read = new ArrayList<>();
        final List<Long> readIndexes = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            final EventSlot slot = new EventSlot();
            while (reader.next(slot))
            {
                read.add(describe(slot));
                readIndexes.add(reader.index());
                assertThat(slot.journalIndex()).isEqualTo(reader.index());
            }
        }
        assertThat(read).isEqualTo(written);
        assertThat(readIndexes).isEqualTo(indexes);
    }

    @Test
    void shouldSayWhatStateWasTooLargeToJournalInsteadOfFailing()
    {
        final byte[] large = new byte[JournalRecordWriter.MAX_STATE_BYTES + 1];
        try (ChronicleJournal journal = ChronicleJournal.open(spec()))
        {
            final EventSlot slot = new EventSlot();
            journal.append(slot.change(PartitionState.takeOver("in", 3, 42, large, "state-topic")));
            journal.append(slot.change(PartitionState.takeOver("in", 4, 7, new byte[] { 1, 2 }, "state-topic")));
            journal.flush();
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            final EventSlot slot = new EventSlot();
            assertThat(reader.next(slot)).isTrue();
            final PartitionState tooLarge = (PartitionState)slot.change();
            assertThat(tooLarge.unjournaledBytes()).isEqualTo(large.length);
            assertThat(tooLarge.state()).isNull();
            assertThat(tooLarge.toString()).isEqualTo("take over in-3 at offset 42 with " + large.length +
                " bytes of state (too large for the journal)");
            assertThat(reader.next(slot)).isTrue();
            assertThat(((PartitionState)slot.change()).state()).containsExactly(1, 2);
        }
    }

    @Test
    void shouldKeepItsIdAcrossReopens()
    {
        final String id;
        try (ChronicleJournal journal = ChronicleJournal.open(spec()))
        {
            id = journal.id();
        }
        try (ChronicleJournal journal = ChronicleJournal.open(spec()))
        {
            assertThat(journal.id()).isEqualTo(id).isNotBlank();
        }
    }

    @Test
    void shouldRefuseASecondWriterOnTheSameDirectory()
    {
        try (ChronicleJournal first = ChronicleJournal.open(spec()))
        {
            assertThatThrownBy(() -> ChronicleJournal.open(spec()))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("is in use by another process or pipeline");
        }
    }

    @Test
    void shouldRefuseToStartWhenTheDiskHasLessFreeSpaceThanConfigured()
    {
        final JournalSpec tooDemanding = new JournalSpec(true, dir.toString(), JournalSpec.RollCycle.HOURLY,
            Long.MAX_VALUE / (1024 * 1024));
        assertThatThrownBy(() -> ChronicleJournal.open(tooDemanding))
            .isInstanceOf(JournalException.class)
            .hasMessageContaining("the journal's disk is full")
            .hasMessageContaining("journal.min-free-mb");
    }

    @Test
    void shouldSayThereIsNoJournalWhereThereIsNone()
    {
        assertThatThrownBy(() -> JournalReader.open(dir.resolve("missing")))
            .isInstanceOf(JournalException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> JournalReader.open(dir))
            .isInstanceOf(JournalException.class).hasMessageContaining("no Chronicle Queue files");
    }

    @Test
    void shouldReadAJournalWhoseEarlierEntriesHaveTheFixedLayout()
    {
        final List<String> written = new ArrayList<>();
        final EventSlot slot = new EventSlot();
        // A journal written before records were packed: fixed-layout inputs, two to an entry.
        try (ChronicleJournal journal = ChronicleJournal.open(spec()))
        {
            journal.flush();
        }
        try (SingleChronicleQueue queue = ChronicleJournal.builder(dir).build();
             ExcerptAppender appender = queue.createAppender())
        {
            for (int entry = 0; entry < 3; entry++)
            {
                try (DocumentContext document = appender.writingDocument())
                {
                    for (int i = 0; i < 2; i++)
                    {
                        final long offset = entry * 2L + i;
                        slot.input("old-topic", 1, offset, 1_733_300_000_000L + offset,
                            ("k" + offset).getBytes(StandardCharsets.US_ASCII),
                            ("v" + offset).getBytes(StandardCharsets.US_ASCII));
                        final Bytes<?> bytes = document.wire().bytes();
                        bytes.writeByte(JournalFormat.INPUT);
                        bytes.writeInt(1);
                        bytes.writeLong(offset);
                        bytes.writeLong(1_733_300_000_000L + offset);
                        bytes.writeUtf8("old-topic");
                        bytes.writeInt(1 + Long.toString(offset).length());
                        bytes.write(("k" + offset).getBytes(StandardCharsets.US_ASCII));
                        bytes.writeInt(1 + Long.toString(offset).length());
                        bytes.write(("v" + offset).getBytes(StandardCharsets.US_ASCII));
                        written.add(describe(slot));
                    }
                }
            }
        }
        // The daemon of this version appends packed entries after them.
        try (ChronicleJournal journal = ChronicleJournal.open(spec()))
        {
            for (int i = 0; i < 10; i++)
            {
                slot.input("old-topic", 1, 6 + i, 1_733_300_000_006L + i, null, new byte[] { (byte)('0' + i) });
                written.add(describe(slot));
                journal.append(slot);
                if (i % 4 == 3)
                {
                    journal.flush();
                }
            }
            journal.flush();
        }

        final List<String> read = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            final EventSlot out = new EventSlot();
            while (reader.next(out))
            {
                read.add(describe(out));
            }
        }
        assertThat(read).containsExactlyElementsOf(written);
    }

    private JournalSpec spec()
    {
        return new JournalSpec(true, dir.toString(), JournalSpec.RollCycle.HOURLY);
    }

    private static byte[] bytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String describe(final EventSlot slot)
    {
        if (slot.isCommitMarker())
        {
            return "commit";
        }
        if (slot.isTick())
        {
            return "tick " + slot.idleMs();
        }
        if (slot.change() instanceof PartitionState state)
        {
            return state + " from " + state.origin() + " " + hex(state.state());
        }
        return slot.sourceTopic() + "/" + slot.sourcePartition() + "@" + slot.sourceOffset() + " t=" +
            slot.timestampMs() + " k=" + hex(slot.key().isNull() ? null : slot.key().toByteArray()) + " v=" +
            hex(slot.input().toByteArray()) + (slot.emits() ? "" : " silent");
    }

    private static String hex(final byte[] bytes)
    {
        if (null == bytes)
        {
            return "null";
        }
        final StringBuilder sb = new StringBuilder();
        for (final byte b : bytes)
        {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
