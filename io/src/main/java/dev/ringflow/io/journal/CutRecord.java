package dev.ringflow.io.journal;

import dev.ringflow.engine.JournalException;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A record at the end of a journal whose write was cut short: its header still says "being written" because the
 * process or the machine died before the append finished. Readers stop in front of such a record (they wait for
 * it to complete), so records appended after it would never be read. Recovery turns it into padding that
 * readers skip: the journal then ends with its last complete record.
 *
 * @param file     the journal file holding it.
 * @param position the header's position in the file.
 * @param length   the record's length as its header gives it.
 */
public record CutRecord(Path file, long position, int length)
{
    private static final int NOT_COMPLETE = 0x80000000;
    private static final int META_DATA = 0x40000000;
    private static final int LENGTH_MASK = 0x3FFFFFFF;

    /**
     * Looks for a cut record right after the last complete one of the journal's newest file. Reads that file; the
     * journal must not be open for writing.
     */
    public static Optional<CutRecord> find(final Path dir)
    {
        long end = -1;
        int cycle = Integer.MIN_VALUE;
        int lastCycle;
        try (SingleChronicleQueue queue = ChronicleJournal.builder(dir).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            lastCycle = queue.lastCycle();
            // A cut record can only be the newest file's last one: read that file only, not the whole journal.
            if (Integer.MIN_VALUE != lastCycle)
            {
                tailer.moveToCycle(lastCycle);
            }
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument(true))
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    // Records start 4-byte aligned: the next header is at the end rounded up.
                    end = (dc.wire().bytes().readLimit() + 3) & ~3L;
                    cycle = tailer.cycle();
                }
            }
        }
        if (end < 0 || cycle != lastCycle)
        {
            return Optional.empty();
        }
        final Path file = newestFile(dir);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r"))
        {
            if (end + 4 > raf.length())
            {
                return Optional.empty();
            }
            raf.seek(end);
            final int header = Integer.reverseBytes(raf.readInt());
            if ((header & NOT_COMPLETE) == 0)
            {
                return Optional.empty();
            }
            return Optional.of(new CutRecord(file, end, header & LENGTH_MASK));
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read " + file + ": " + ex, ex);
        }
    }

    /**
     * Turns the cut record into metadata padding of the same length, which readers skip, so that what is appended
     * after it can be read.
     */
    public void repair()
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            final int length = Math.max(0, Math.min(this.length, (int)Math.min(LENGTH_MASK, raf.length() - position - 4)));
            raf.seek(position + 4);
            raf.write(new byte[length]);
            raf.seek(position);
            raf.writeInt(Integer.reverseBytes(META_DATA | length));
            raf.getFD().sync();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot repair " + file + ": " + ex, ex);
        }
    }

    @Override
    public String toString()
    {
        return "a record of " + length + " bytes at position " + position + " of " + file.getFileName() +
            " whose write was cut short";
    }

    private static Path newestFile(final Path dir)
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4"))
                .max(Comparator.comparing(f -> f.getFileName().toString()))
                .orElseThrow(() -> new JournalException("no journal files in " + dir));
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list " + dir + ": " + ex, ex);
        }
    }
}
