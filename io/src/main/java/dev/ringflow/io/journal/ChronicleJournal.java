package dev.ringflow.io.journal;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.Journal;
import dev.ringflow.engine.JournalException;
import dev.ringflow.engine.pipeline.JournalSpec;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The journal on a Chronicle Queue: one memory-mapped file per roll cycle, records appended in ring order.
 * <p>
 * <b>Note:</b> One daemon per journal directory: opening takes an exclusive file lock ({@code ringflow.lock})
 * and fails clearly when another process holds it. Each journal has an id ({@code journal.id}) that committed
 * Kafka offsets carry, so recovery recognises its own commits. Records are written in groups, one Chronicle
 * document each; {@link #append} and {@link #flush()} run on the journal thread and allocate nothing; a group
 * reaches the page cache when {@link #flush()} returns, so it survives the process being killed.
 */
public final class ChronicleJournal implements Journal
{
    static final String ID_FILE = "journal.id";
    static final String LOCK_FILE = "ringflow.lock";
    /** Free space is checked at most every second, and after this many journal entries (several MB). */
    private static final long SPACE_CHECK_APPENDS = 4_096;
    private static final long SPACE_CHECK_INTERVAL_NS = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);

    private final Path dir;
    private final String id;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SingleChronicleQueue queue;
    private final FileStore store;
    private final long minFreeBytes;
    private ExcerptAppender appender;
    private DocumentContext group;
    private final JournalRecordWriter writer = new JournalRecordWriter();
    private long appendsSinceSpaceCheck;
    private long nextSpaceCheckNs;
    private final long lastIndexAtOpen;
    private final JournalRetention retention;

    private ChronicleJournal(final Path dir, final String id, final FileChannel lockChannel, final FileLock lock,
        final SingleChronicleQueue queue, final FileStore store, final long minFreeBytes, final long retentionHours)
    {
        this.lastIndexAtOpen = queue.lastIndex();
        this.retention = new JournalRetention(dir, queue, retentionHours);
        this.dir = dir;
        this.id = id;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.queue = queue;
        this.store = store;
        this.minFreeBytes = minFreeBytes;
    }

    /**
     * Opens (creating when missing) the journal a pipeline names.
     *
     * @throws JournalException when the directory cannot be created or locked, or is another process's journal.
     */
    public static ChronicleJournal open(final JournalSpec spec)
    {
        return open(spec, SystemTimeProvider.INSTANCE);
    }

    /** Opens the journal with a clock of the caller's: tests roll files without waiting for the hour. */
    static ChronicleJournal open(final JournalSpec spec, final TimeProvider time)
    {
        final Path dir = Path.of(spec.dir()).toAbsolutePath().normalize();
        FileChannel channel = null;
        try
        {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final java.nio.channels.OverlappingFileLockException ex)
            {
                lock = null; // held by this JVM
            }
            if (null == lock)
            {
                throw new JournalException("journal " + dir + " is in use by another process or pipeline (" +
                    LOCK_FILE + " is locked); give each daemon its own journal directory (--journal-dir)");
            }
            final FileStore store = Files.getFileStore(dir);
            final long minFreeBytes = spec.minFreeMb() * 1024 * 1024;
            checkSpace(dir, store, minFreeBytes);
            final String id = readOrCreateId(dir);
            if (JournalReader.holdsJournal(dir))
            {
                CutRecord.find(dir).ifPresent(cut ->
                {
                    LOG.warn("journal {} ends with {} (the process or machine died mid-append); it is discarded and " +
                        "the journal continues after the last complete record", dir, cut);
                    cut.repair();
                });
            }
            final SingleChronicleQueue queue = builder(dir).rollCycle(rollCycle(spec.rollCycle()))
                .timeProvider(time).build();
            LOG.info("journal {} (id {}), last index {}", dir, id, JournalReader.formatIndex(queue.lastIndex()));
            return new ChronicleJournal(dir, id, channel, lock, queue, store, minFreeBytes, spec.retentionHours());
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new JournalException("cannot open journal " + dir + ": " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(channel);
            throw ex;
        }
    }

    /** The journal's id, recorded with committed offsets. */
    public String id()
    {
        return id;
    }

    @Override
    public Path dir()
    {
        return dir;
    }

    @Override
    public void append(final EventSlot slot)
    {
        DocumentContext group = this.group;
        if (null == group)
        {
            if (null == appender)
            {
                appender = queue.createAppender();
            }
            if (++appendsSinceSpaceCheck >= SPACE_CHECK_APPENDS)
            {
                checkSpaceNow();
            }
            group = appender.writingDocument();
            this.group = group;
            writer.startGroup();
        }
        writer.write(group.wire().bytes(), slot);
    }

    @Override
    public long flush()
    {
        final DocumentContext group = this.group;
        if (null == group)
        {
            return -1;
        }
        this.group = null;
        group.close();
        return appender.lastIndexAppended();
    }

    @Override
    public void onEndOfBatch()
    {
        final long nowNs = System.nanoTime();
        if (nowNs - nextSpaceCheckNs >= 0)
        {
            nextSpaceCheckNs = nowNs + SPACE_CHECK_INTERVAL_NS;
            checkSpaceNow();
            retention.onTick(nowNs);
        }
    }

    @Override
    public long lastIndex()
    {
        return lastIndexAtOpen;
    }

    @Override
    public void releaseBefore(final long index)
    {
        retention.releaseBefore(index);
    }

    /** Deletes the files retention allows now (tests; the journal thread does it by itself every few seconds). */
    int deleteReleasedFiles(final long nowMs)
    {
        return retention.deleteReleasedFiles(nowMs);
    }

    private void checkSpaceNow()
    {
        appendsSinceSpaceCheck = 0;
        try
        {
            checkSpace(dir, store, minFreeBytes);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read the free space of " + dir + ": " + ex, ex);
        }
    }

    private static void checkSpace(final Path dir, final FileStore store, final long minFreeBytes) throws IOException
    {
        final long free = store.getUsableSpace();
        if (free < minFreeBytes)
        {
            throw new JournalException("the journal's disk is full: " + free / (1024 * 1024) + " MB free at " + dir +
                ", journal.min-free-mb is " + minFreeBytes / (1024 * 1024) + "; stopping before anything that is " +
                "not journaled is emitted or acknowledged. Free space (or move the journal) and restart.");
        }
    }

    @Override
    public void close()
    {
        try
        {
            if (null != group)
            {
                // The engine stopped mid-group (a failure): what is not flushed was never acknowledged.
                group.rollbackOnClose();
                group.close();
            }
            if (null != appender)
            {
                appender.close();
            }
            queue.close();
        }
        finally
        {
            try
            {
                lock.release();
            }
            catch (final IOException ex)
            {
                LOG.warn("cannot release the journal lock", ex);
            }
            closeQuietly(lockChannel);
        }
    }

    static SingleChronicleQueueBuilder builder(final Path dir)
    {
        return SingleChronicleQueueBuilder.binary(dir);
    }

    static String readId(final Path dir)
    {
        try
        {
            final Path file = dir.resolve(ID_FILE);
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read " + dir.resolve(ID_FILE) + ": " + ex, ex);
        }
    }

    private static String readOrCreateId(final Path dir) throws IOException
    {
        final String existing = readId(dir);
        if (null != existing && !existing.isEmpty())
        {
            return existing;
        }
        final String id = UUID.randomUUID().toString();
        final Path tmp = dir.resolve(ID_FILE + ".tmp");
        Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(ID_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    private static RollCycles rollCycle(final JournalSpec.RollCycle cycle)
    {
        switch (cycle)
        {
            case TEN_MINUTELY:
                return RollCycles.TEN_MINUTELY;
            case DAILY:
                return RollCycles.FAST_DAILY;
            default:
                return RollCycles.FAST_HOURLY;
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // nothing to do
            }
        }
    }
}
