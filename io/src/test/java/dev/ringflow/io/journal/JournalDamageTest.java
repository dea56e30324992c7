package dev.ringflow.io.journal;

import dev.ringflow.engine.pipeline.JournalSpec;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journal whose last record was cut mid-write (the process or the machine died while appending) still opens:
 * the cut record is not a record, every complete one before it reads back, and appending goes on after them.
 */
class JournalDamageTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRecoverToTheLastCompleteRecordWhenTheLastOneWasCutMidWrite() throws IOException
    {
        final JournalSpec spec = new JournalSpec(true, dir.toString(), JournalSpec.RollCycle.HOURLY);
        try (ChronicleJournal journal = ChronicleJournal.open(spec))
        {
            for (int i = 0; i < 1_000; i++)
            {
                journal.append(JournalTestRecords.input(i, "value-" + i));
                journal.flush();
            }
        }
        final long headerPosition = lastRecordHeaderPosition();
        cutRecordAt(headerPosition);

        final List<String> afterCut = JournalTestRecords.values(dir);
        assertThat(afterCut).hasSize(999);
        assertThat(afterCut.get(998)).isEqualTo("value-998");

        final long start = System.nanoTime();
        try (ChronicleJournal journal = ChronicleJournal.open(spec))
        {
            journal.append(JournalTestRecords.input(1_000, "after-restart"));
            journal.flush();
        }
        System.out.println("append after the cut took " + (System.nanoTime() - start) / 1_000_000 + " ms");
        final List<String> afterRestart = JournalTestRecords.values(dir);
        assertThat(afterRestart).hasSize(1_000);
        assertThat(afterRestart.subList(0, 999)).isEqualTo(afterCut);
        assertThat(afterRestart.get(999)).isEqualTo("after-restart");
    }

    /** Where the last record's 4-byte header sits in its file. */
    private long lastRecordHeaderPosition()
    {
        long position = -1;
        try (var queue = ChronicleJournal.builder(dir).build(); var tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    position = dc.wire().bytes().readPosition() - 4;
                }
            }
        }
        return position;
    }

    /**
     * Makes the record at {@code headerPosition} look like a write cut short: its header says "not complete" and
     * the second half of its bytes never reached the disk.
     */
    private void cutRecordAt(final long headerPosition) throws IOException
    {
        final Path file;
        try (Stream<Path> files = Files.list(dir))
        {
            file = files.filter(f -> f.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(headerPosition);
            final int header = Integer.reverseBytes(raf.readInt());
            final int length = header & 0x3FFFFFFF;
            raf.seek(headerPosition);
            raf.writeInt(Integer.reverseBytes(header | 0x80000000));
            raf.seek(headerPosition + 4 + length / 2);
            raf.write(new byte[length - length / 2]);
        }
    }
}
