package dev.ringflow.io.kafka;

import dev.ringflow.engine.EventPublisher;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.JournalException;
import dev.ringflow.engine.SnapshotStore;
import dev.ringflow.engine.SourceProgress;
import dev.ringflow.io.journal.JournalReader;
import dev.ringflow.io.journal.JournalSource;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds the engine's state from the journal when a daemon starts, and produces again the outputs a crash
 * kept from being committed.
 * <p>
 * Every journal record is fed through the engine in journal order, so windows hold what they held before the
 * crash. A record's outputs are emitted again only when its transaction never committed: its journal index is
 * after the commit marker recorded with the committed offsets ({@link JournalCommit}) and its offset is not below
 * the partition's committed offset (another member may have processed it since). Kafka then resumes each assigned
 * partition right after its last journaled offset.
 * <p>
 * <b>Note:</b> Runs once, on the source thread, when the first partitions are assigned.
 */
final class JournalRecovery
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);

    private final Path dir;
    private final String journalId;
    private final SnapshotStore snapshots;
    private final boolean exactlyOnce;

    /**
     * @param exactlyOnce outputs were committed in transactions whose offsets name the journal index they cover;
     *                    otherwise (at least once) a snapshot is the last point known to be delivered.
     */
    JournalRecovery(final Path dir, final String journalId, final SnapshotStore snapshots,
        final boolean exactlyOnce)
    {
        this.dir = dir;
        this.journalId = journalId;
        this.snapshots = snapshots;
        this.exactlyOnce = exactlyOnce;
    }

    /**
     * The newest snapshot recovery can start from: whole, of this pipeline, and not past the last commit (the
     * outputs of groups after the commit must be produced again, so their input has to be replayed).
     *
     * @return its journal index, or -1 for none.
     */
    private long chooseSnapshot(final long committedIndex)
    {
        for (final long index : snapshots.completeIndexes())
        {
            if (committedIndex >= 0 && index > committedIndex)
            {
                LOG.warn("snapshot at journal index {} is after the last commit (index {}); not used",
                    JournalReader.formatIndex(index), JournalReader.formatIndex(committedIndex));
                continue;
            }
            final String problem = snapshots.problemWith(index);
            if (null == problem)
            {
                return index;
            }
            LOG.warn("snapshot at journal index {} cannot be used: {}", JournalReader.formatIndex(index), problem);
        }
        return -1;
    }

    /**
     * Window state is rebuilt from this journal only: a partition that was consumed before (it has a committed
     * offset) but whose records this journal does not hold starts with empty windows for its keys. Says so.
     */
    private void warnAboutHistoryNotInJournal(final Collection<TopicPartition> assigned,
        final Map<TopicPartition, OffsetAndMetadata> committed, final Map<TopicPartition, Long> nextJournaled)
    {
        for (final TopicPartition tp : assigned)
        {
            final OffsetAndMetadata offset = committed.get(tp);
            if (null != offset && offset.offset() > 0 && !nextJournaled.containsKey(tp))
            {
                LOG.warn("{} resumes at committed offset {} with empty window state: journal {} holds none of its " +
                    "earlier records (a new journal directory, or the partition was another daemon's)", tp,
                    offset.offset(), dir);
            }
        }
    }

    /**
     * Replays the journal into the ring.
     *
     * @param assigned  the partitions this daemon now owns.
     * @param committed the committed offsets of {@code assigned} (null values for none).
     * @return where each assigned partition must resume, for those the journal has gone past the committed
     * offset.
     */
    Map<TopicPartition, Long> recover(
        final Collection<TopicPartition> assigned,
        final Map<TopicPartition, OffsetAndMetadata> committed,
        final EventPublisher publisher)
    {
        final Map<TopicPartition, Long> resume = new HashMap<>();
        if (!JournalReader.holdsJournal(dir))
        {
            warnAboutHistoryNotInJournal(assigned, committed, Map.of());
            return resume;
        }
        long committedIndex = -1;
        for (final OffsetAndMetadata offset : committed.values())
        {
            committedIndex = Math.max(committedIndex, JournalCommit.journalIndex(offset, journalId));
        }
        final Set<TopicPartition> owned = new HashSet<>(assigned);
        final Map<TopicPartition, Long> committedOffsets = new HashMap<>();
        committed.forEach((tp, offset) -> committedOffsets.put(tp, null == offset ? 0L : offset.offset()));
        final Map<TopicPartition, PartitionReplay> partitions = new HashMap<>();
        final long startNs = System.nanoTime();
        long records = 0;
        long emitted = 0;
        final long snapshotIndex = chooseSnapshot(committedIndex);
        if (snapshotIndex < 0 && JournalReader.isTruncated(dir))
        {
            throw new JournalException("journal " + dir + " no longer starts at its beginning (retention deleted " +
                "files that a snapshot covered) and no snapshot can be used (see the warnings above), so the " +
                "window state cannot be rebuilt. Restore the pipeline the snapshots were taken with, or start " +
                "over with a new journal directory (the state then starts empty).");
        }
        if (snapshotIndex >= 0)
        {
            publisher.claim().snapshotRestore(snapshotIndex);
            publisher.publish();
        }
        if (snapshotIndex >= 0)
        {
            // Input the snapshot holds must not be consumed again, even where less was committed.
            final SourceProgress covered = snapshotOffsets(snapshotIndex);
            for (int i = 0; i < covered.size(); i++)
            {
                final TopicPartition id = new TopicPartition(covered.topic(i), covered.partition(i));
                partitions.computeIfAbsent(id, k -> new PartitionReplay(k, owned.contains(k),
                    committedOffsets.getOrDefault(k, 0L))).nextJournaled = covered.nextOffset(i);
            }
        }
        final long deliveredUpTo = exactlyOnce || committedIndex >= 0 ? committedIndex : snapshotIndex;
        final EventSlot record = new EventSlot();
        try (JournalReader reader = JournalReader.open(dir))
        {
            if (snapshotIndex >= 0)
            {
                reader.moveTo(snapshotIndex);
            }
            PartitionReplay partition = null;
            while (reader.next(record))
            {
                if (record.isCommitMarker() || reader.index() <= snapshotIndex)
                {
                    continue;
                }
                final boolean emits;
                if (record.isChange())
                {
                    // Produces nothing itself; the events after it are processed by its tasks, as they were.
                    emits = false;
                }
                else if (record.isTick())
                {
                    // What a tick fired carries no offset: it is emitted again when it is after the last point
                    // known to be delivered.
                    emits = deliveredUpTo >= 0 && reader.index() > deliveredUpTo;
                }
                else
                {
                    // Records come in runs of one partition: look the partition up only when it changes.
                    if (null == partition || partition.id.partition() != record.sourcePartition() ||
                        !partition.id.topic().equals(record.sourceTopic()))
                    {
                        partition = partitions.computeIfAbsent(
                            new TopicPartition(record.sourceTopic(), record.sourcePartition()),
                            id -> new PartitionReplay(id, owned.contains(id), committedOffsets.getOrDefault(id, 0L)));
                    }
                    final long offset = record.sourceOffset();
                    partition.nextJournaled = Math.max(partition.nextJournaled, offset + 1);
                    emits = partition.owned && reader.index() > committedIndex &&
                        offset >= partition.committedOffset;
                }
                final EventSlot slot = publisher.claim();
                JournalSource.copy(record, slot);
                slot.replayed(emits);
                records++;
                if (emits)
                {
                    emitted++;
                }
            }
        }
        publisher.publish();
        final Map<TopicPartition, Long> nextJournaled = new HashMap<>();
        partitions.forEach((id, replay) -> nextJournaled.put(id, replay.nextJournaled));
        for (final TopicPartition tp : owned)
        {
            final Long next = nextJournaled.get(tp);
            if (null != next && next > committedOffsets.getOrDefault(tp, 0L))
            {
                resume.put(tp, next);
            }
        }
        if (snapshotIndex < 0)
        {
            // With a snapshot, partitions without records after it are in the snapshot: nothing to warn about.
            warnAboutHistoryNotInJournal(owned, committed, nextJournaled);
        }
        LOG.info("recovered from journal {}{}: {} records replayed in {} ms, {} of them had outputs not yet " +
            "committed and were emitted again; resuming {}", dir,
            snapshotIndex < 0 ? " (no snapshot)" : " from the snapshot at index " +
            JournalReader.formatIndex(snapshotIndex), records, (System.nanoTime() - startNs) / 1_000_000, emitted,
            resume.isEmpty() ? "at committed offsets" : resume);
        return resume;
    }

    private SourceProgress snapshotOffsets(final long snapshotIndex)
    {
        try
        {
            return snapshots.offsets(snapshotIndex);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read the snapshot at journal index " +
                JournalReader.formatIndex(snapshotIndex) + ": " + ex, ex);
        }
    }

    /** What recovery tracks of one partition while it replays. */
    private static final class PartitionReplay
    {
        final TopicPartition id;
        final boolean owned;
        final long committedOffset;
        long nextJournaled;

        PartitionReplay(final TopicPartition id, final boolean owned, final long committedOffset)
        {
            this.id = id;
            this.owned = owned;
            this.committedOffset = committedOffset;
        }
    }
}
