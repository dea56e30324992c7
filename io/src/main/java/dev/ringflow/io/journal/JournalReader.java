package dev.ringflow.io.journal;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.JournalException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads a journal in order, decoding each record into an {@link EventSlot}: for recovery, replay and inspection.
 * <p>
 * <b>Note:</b> Single-threaded. Allocation free per record in steady state. A journal being written by a daemon
 * can be read at the same time; a record whose write was cut (the process died mid-write) is not visible.
 */
public final class JournalReader implements AutoCloseable
{
    private final Path dir;
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final JournalFormat format = new JournalFormat();
    private final String id;
    private long index = -1;
    private int length;
    /** The journal entry (group of records) being read, open across calls to {@link #next}. */
    private DocumentContext entry;

    private JournalReader(final Path dir, final ChronicleQueue queue)
    {
        this.dir = dir;
        this.queue = queue;
        this.tailer = queue.createTailer();
        this.id = ChronicleJournal.readId(dir);
    }

    /**
     * @throws JournalException when {@code dir} holds no journal.
     */
    public static JournalReader open(final Path dir)
    {
        final Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute))
        {
            throw new JournalException("no journal at " + absolute + ": not a directory");
        }
        if (!holdsJournal(absolute))
        {
            throw new JournalException("no journal at " + absolute + ": no Chronicle Queue files (*.cq4) in it");
        }
        return new JournalReader(absolute, ChronicleJournal.builder(absolute).build());
    }

    /**
     * True when retention has deleted the journal's first files: replaying what is left from its start does not
     * rebuild the pipeline's state (a snapshot does).
     */
    public static boolean isTruncated(final Path dir)
    {
        return JournalRetention.isTruncated(dir);
    }

    /** True when {@code dir} has journal files. */
    public static boolean holdsJournal(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return false;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".cq4"));
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list " + dir + ": " + ex, ex);
        }
    }

    /**
     * Reads the next record into {@code slot}.
     *
     * @return false at the end of the journal (for now: a daemon may append more).
     * @throws JournalException when a record does not decode.
     */
    public boolean next(final EventSlot slot)
    {
        while (true)
        {
            final DocumentContext entry = this.entry;
            if (null != entry)
            {
                final Bytes<?> bytes = entry.wire().bytes();
                if (bytes.readRemaining() > 0)
                {
                    final long start = bytes.readPosition();
                    try
                    {
                        format.read(bytes, slot);
                    }
                    catch (final RuntimeException ex)
                    {
                        closeEntry();
                        throw new JournalException("journal " + dir + ": entry " + formatIndex(index) +
                            " is damaged: " + ex.getMessage(), ex);
                    }
                    length = (int)(bytes.readPosition() - start);
                    slot.journalIndex(index);
                    return true;
                }
                closeEntry();
            }
            final DocumentContext next = tailer.readingDocument();
            if (!next.isPresent())
            {
                next.close();
                return false;
            }
            if (next.isMetaData())
            {
                next.close();
                continue;
            }
            index = next.index();
            this.entry = next;
            format.startDocument();
        }
    }

    private void closeEntry()
    {
        if (null != entry)
        {
            entry.close();
            entry = null;
        }
    }

    /** Positions the reader so that the next record read is the one at {@code index} (or the first after it). */
    public void moveTo(final long index)
    {
        closeEntry();
        if (index <= queue.firstIndex())
        {
            tailer.toStart();
        }
        else if (!tailer.moveToIndex(index))
        {
            if (index > queue.lastIndex())
            {
                tailer.toEnd();
            }
            else
            {
                // No entry at that index (an index between rolls, say): start at the first entry after it.
                tailer.toStart();
                long found = -1;
                while (found < 0)
                {
                    try (DocumentContext dc = tailer.readingDocument())
                    {
                        if (!dc.isPresent())
                        {
                            break;
                        }
                        if (dc.index() >= index)
                        {
                            found = dc.index();
                        }
                    }
                }
                if (found < 0 || !tailer.moveToIndex(found))
                {
                    tailer.toEnd();
                }
            }
        }
    }

    /** The index of the journal entry holding the record last read (shared by its group), -1 before the first. */
    public long index()
    {
        return index;
    }

    /** The encoded size of the record last read, in bytes. */
    public int recordLength()
    {
        return length;
    }

    public long firstIndex()
    {
        return queue.firstIndex();
    }

    public long lastIndex()
    {
        return queue.lastIndex();
    }

    /** The journal's id ({@code journal.id}), or null for a journal without one. */
    public String id()
    {
        return id;
    }

    public Path dir()
    {
        return dir;
    }

    @Override
    public void close()
    {
        closeEntry();
        tailer.close();
        queue.close();
    }

    /** An index as people read it: {@code cycle:sequence}, as Chronicle splits it for the journal's roll cycle. */
    public static String formatIndex(final long index)
    {
        if (index < 0)
        {
            return "-";
        }
        return Long.toHexString(index);
    }
}
