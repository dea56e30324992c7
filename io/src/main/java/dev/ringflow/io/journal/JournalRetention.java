package dev.ringflow.io.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.NavigableSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deletes journal files that nothing needs any more: a file goes only when every group in it is covered by a kept
 * snapshot (recovery never reads it) and it is older than the retention time (replays of that period were
 * allowed for). Whenever files are deleted, {@value #TRUNCATED_FILE} records where the journal now starts, so that
 * recovery and replay know that a replay from the first file no longer rebuilds the whole state.
 * <p>
 * <b>Note:</b> {@link #releaseBefore} may be called from any thread; {@link #deleteReleasedFiles} runs on the
 * journal thread, about once every few seconds.
 */
final class JournalRetention
{
    static final String TRUNCATED_FILE = "journal.truncated";
    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);
    private static final long CHECK_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);

    private final Path dir;
    private final SingleChronicleQueue queue;
    private final long retentionMs;
    private final AtomicLong releasedBefore = new AtomicLong(-1);
    private long nextCheckNs = System.nanoTime();

    /**
     * @param retentionHours minimum age of a deleted file's newest possible record; -1 for never deleting.
     */
    JournalRetention(final Path dir, final SingleChronicleQueue queue, final long retentionHours)
    {
        this.dir = dir;
        this.queue = queue;
        this.retentionMs = retentionHours < 0 ? -1 : TimeUnit.HOURS.toMillis(retentionHours);
    }

    void releaseBefore(final long index)
    {
        releasedBefore.accumulateAndGet(index, Math::max);
    }

    /** Called often on the journal thread; works at most every few seconds. */
    void onTick(final long nowNs)
    {
        if (retentionMs < 0 || nowNs - nextCheckNs < 0)
        {
            return;
        }
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;
        deleteReleasedFiles(System.currentTimeMillis());
    }

    /**
     * Deletes the files of cycles before the one holding the released index (and before the current cycle) that
     * ended more than the retention time before {@code nowMs}.
     *
     * @return how many files were deleted.
     */
    int deleteReleasedFiles(final long nowMs)
    {
        final long before = releasedBefore.get();
        if (before < 0 || retentionMs < 0)
        {
            return 0;
        }
        final RollCycle rollCycle = queue.rollCycle();
        final int lastDeletable = Math.min(rollCycle.toCycle(before), queue.cycle()) - 1;
        final int firstCycle = queue.firstCycle();
        if (firstCycle == Integer.MAX_VALUE || firstCycle > lastDeletable)
        {
            return 0;
        }
        final NavigableSet<Long> cycles = queue.listCyclesBetween(firstCycle, lastDeletable);
        final DateTimeFormatter names = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        final long lengthMs = rollCycle.lengthInMillis();
        int deleted = 0;
        String lastDeleted = null;
        for (final long cycle : cycles)
        {
            final long endMs = queue.epoch() + (cycle + 1) * lengthMs;
            if (endMs > nowMs - retentionMs)
            {
                break;
            }
            final String name = names.format(Instant.ofEpochMilli(queue.epoch() + cycle * lengthMs)) +
                SingleChronicleQueue.SUFFIX;
            try
            {
                if (Files.deleteIfExists(dir.resolve(name)))
                {
                    deleted++;
                    lastDeleted = name;
                }
            }
            catch (final IOException ex)
            {
                LOG.warn("cannot delete journal file {}: {}", dir.resolve(name), ex.toString());
                break;
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
            final String note = "journal files up to " + lastDeleted + " were deleted: a snapshot at index " +
                before + " or later covers them\n";
            try
            {
                Files.writeString(dir.resolve(TRUNCATED_FILE), note, StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                LOG.warn("cannot write {}: {}", dir.resolve(TRUNCATED_FILE), ex.toString());
            }
            LOG.info("journal retention: deleted {} file(s) up to {} (older than the retention and covered by " +
                "the snapshot at index {})", deleted, lastDeleted, JournalReader.formatIndex(before));
        }
        return deleted;
    }

    /** True when retention deleted the journal's first files: replaying it from its start does not rebuild state. */
    static boolean isTruncated(final Path dir)
    {
        return Files.exists(dir.resolve(TRUNCATED_FILE));
    }
}
