package dev.ringflow.io.journal;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.JournalSpec;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention deletes a journal file only when a kept snapshot covers all of it and it is older than the retention
 * time; what is left reads back whole, and the journal says it no longer starts at its beginning.
 */
class JournalRetentionTest
{
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);
    private static final long START_MS = 1_700_000_000_000L / HOUR_MS * HOUR_MS;

    @TempDir
    Path dir;

    @Test
    void shouldDeleteOnlyFilesThatASnapshotCoversAndThatAreOlderThanTheRetention() throws IOException
    {
        final SetTimeProvider clock = new SetTimeProvider(START_MS);
        final List<Long> firstIndexOfHour = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(spec(2), clock))
        {
            final EventSlot slot = new EventSlot();
            for (int hour = 0; hour < 6; hour++)
            {
                clock.currentTimeMillis(START_MS + hour * HOUR_MS + 1);
                for (int i = 0; i < 10; i++)
                {
                    journal.append(slot.input("in", 0, hour * 10L + i, 0, null,
                        ("v" + hour + "-" + i).getBytes(StandardCharsets.UTF_8)));
                    final long index = journal.flush();
                    if (i == 0)
                    {
                        firstIndexOfHour.add(index);
                    }
                }
            }
            assertThat(cq4Files()).hasSize(6);

            // Nothing released yet: nothing goes, however old.
            assertThat(journal.deleteReleasedFiles(START_MS + 100 * HOUR_MS)).isZero();

            // A snapshot in hour 3 covers hours 0-2. At hour 4 with a 2-hour retention, hours 0 and 1 (ended by
            // hour 2) may go; hour 2 ended only an hour ago.
            journal.releaseBefore(firstIndexOfHour.get(3) + 4);
            assertThat(journal.deleteReleasedFiles(START_MS + 4 * HOUR_MS)).isEqualTo(2);
            assertThat(cq4Files()).hasSize(4);
            assertThat(JournalReader.isTruncated(dir)).isTrue();

            // Much later: the file of hour 2 goes too, but never the file holding the snapshot's group.
            assertThat(journal.deleteReleasedFiles(START_MS + 100 * HOUR_MS)).isEqualTo(1);
            assertThat(cq4Files()).hasSize(3);
            assertThat(journal.deleteReleasedFiles(START_MS + 100 * HOUR_MS)).isZero();
        }

        try (JournalReader reader = JournalReader.open(dir))
        {
            final EventSlot slot = new EventSlot();
            final List<Long> offsets = new ArrayList<>();
            while (reader.next(slot))
            {
                offsets.add(slot.sourceOffset());
            }
            assertThat(offsets).hasSize(30);
            assertThat(offsets.get(0)).isEqualTo(30L);
            assertThat(offsets.get(29)).isEqualTo(59L);
        }
    }

    @Test
    void shouldKeepEveryFileWhenTheRetentionIsForever() throws IOException
    {
        final SetTimeProvider clock = new SetTimeProvider(START_MS);
        try (ChronicleJournal journal = ChronicleJournal.open(spec(JournalSpec.KEEP_FOREVER), clock))
        {
            final EventSlot slot = new EventSlot();
            long last = -1;
            for (int hour = 0; hour < 3; hour++)
            {
                clock.currentTimeMillis(START_MS + hour * HOUR_MS + 1);
                journal.append(slot.input("in", 0, hour, 0, null, "v".getBytes(StandardCharsets.UTF_8)));
                last = journal.flush();
            }
            journal.releaseBefore(last);
            assertThat(journal.deleteReleasedFiles(START_MS + 1_000 * HOUR_MS)).isZero();
            assertThat(cq4Files()).hasSize(3);
            assertThat(JournalReader.isTruncated(dir)).isFalse();
        }
    }

    private JournalSpec spec(final long retentionHours)
    {
        return new JournalSpec(true, dir.toString(), JournalSpec.RollCycle.HOURLY, 0, 60_000, retentionHours);
    }

    private List<Path> cq4Files() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(file -> file.toString().endsWith(".cq4")).toList();
        }
    }
}
