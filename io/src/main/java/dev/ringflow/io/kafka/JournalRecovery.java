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
     * Replays the journal into the ring: the snapshot to start from (if any), then every record after it, each
     * marked as emitting again or not (see {@link #emits}).
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
        if (!JournalReader.holdsJournal(dir))
        {
            warnAboutHistoryNotInJournal(assigned, committed, Map.of());
            return new HashMap<>();
        }
        final long startNs = System.nanoTime();
        final long committedIndex = committedIndex(committed);
        final long snapshotIndex = chooseSnapshot(committedIndex);
        if (snapshotIndex < 0 && JournalReader.isTruncated(dir))
        {
            throw new JournalException("journal " + dir + " no longer starts at its beginning (retention deleted " +
                "files that a snapshot covered) and no snapshot can be used (see the warnings above), so the " +
                "window state cannot be rebuilt. Restore the pipeline the snapshots were taken with, or start " +
                "over with a new journal directory (the state then starts empty).");
        }
        final Replay replay = new Replay(assigned, committed, committedIndex, snapshotIndex,
            exactlyOnce || committedIndex >= 0 ? committedIndex : snapshotIndex);
        if (snapshotIndex >= 0)
        {
            publisher.claim().snapshotRestore(snapshotIndex);
            publisher.publish();
            // Input the snapshot holds must not be consumed again, even where less was committed.
            final SourceProgress covered = snapshotOffsets(snapshotIndex);
            for (int i = 0; i < covered.size(); i++)
            {
                replay.partition(new TopicPartition(covered.topic(i), covered.partition(i))).nextJournaled =
                    covered.nextOffset(i);
            }
        }
        replayRecords(replay, publisher);
        final Map<TopicPartition, Long> nextJournaled = new HashMap<>();
        replay.partitions.forEach((id, partition) -> nextJournaled.put(id, partition.nextJournaled));
        final Map<TopicPartition, Long> resume = new HashMap<>();
        for (final TopicPartition tp : replay.owned)
        {
            final Long next = nextJournaled.get(tp);
            if (null != next && next > replay.committedOffsets.getOrDefault(tp, 0L))
            {
                resume.put(tp, next);
            }
        }
        if (snapshotIndex < 0)
        {
            // With a snapshot, partitions without records after it are in the snapshot: nothing to warn about.
            warnAboutHistoryNotInJournal(replay.owned, committed, nextJournaled);
        }
        LOG.info("recovered from journal {}{}: {} records replayed in {} ms, {} of them had outputs not yet " +
            "committed and were emitted again; resuming {}", dir,
            snapshotIndex < 0 ? " (no snapshot)" : " from the snapshot at index " +
            JournalReader.formatIndex(snapshotIndex), replay.records, (System.nanoTime() - startNs) / 1_000_000,
            replay.emitted, resume.isEmpty() ? "at committed offsets" : resume);
        return resume;
    }

    /** The journal index the committed offsets carry (the last group whose outputs committed), or -1. */
    private long committedIndex(final Map<TopicPartition, OffsetAndMetadata> committed)
    {
        long committedIndex = -1;
        for (final OffsetAndMetadata offset : committed.values())
        {
            committedIndex = Math.max(committedIndex, JournalCommit.journalIndex(offset, journalId));
        }
        return committedIndex;
    }

    /** Publishes every journal record after the snapshot (commit markers aside), as the live run saw them. */
    private void replayRecords(final Replay replay, final EventPublisher publisher)
    {
        final EventSlot record = new EventSlot();
        try (JournalReader reader = JournalReader.open(dir))
        {
            if (replay.snapshotIndex >= 0)
            {
                reader.moveTo(replay.snapshotIndex);
            }
            while (reader.next(record))
            {
                if (record.isCommitMarker() || reader.index() <= replay.snapshotIndex)
                {
                    continue;
                }
                final boolean emits = emits(replay, record, reader.index());
                final EventSlot slot = publisher.claim();
                JournalSource.copy(record, slot);
                slot.replayed(emits);
                replay.records++;
                if (emits)
                {
                    replay.emitted++;
                }
            }
        }
        publisher.publish();
    }

    /**
     * Whether the outputs of a replayed record go out again: those of an input of an owned partition that no
     * committed transaction covers, and those of a tick after the last point known to be delivered. A runtime
     * change produces nothing itself (the events after it are processed by its tasks, as they were).
     */
    private static boolean emits(final Replay replay, final EventSlot record, final long index)
    {
        if (record.isChange())
        {
            return false;
        }
        if (record.isTick())
        {
            // What a tick fired carries no offset.
            return replay.deliveredUpTo >= 0 && index > replay.deliveredUpTo;
        }
        final PartitionReplay partition = replay.partitionOf(record);
        final long offset = record.sourceOffset();
        partition.nextJournaled = Math.max(partition.nextJournaled, offset + 1);
        return partition.owned && index > replay.committedIndex && offset >= partition.committedOffset;
    }

    /** What one recovery knows and counts while it replays. */
    private static final class Replay
    {
        final Set<TopicPartition> owned;
        final Map<TopicPartition, Long> committedOffsets = new HashMap<>();
        final Map<TopicPartition, PartitionReplay> partitions = new HashMap<>();
        final long committedIndex;
        final long snapshotIndex;
        /** The last journal index whose outputs are known to be delivered, or -1. */
        final long deliveredUpTo;
        long records;
        long emitted;
        /** The partition of the last input looked up: records come in runs of one partition. */
        private PartitionReplay last;

        Replay(final Collection<TopicPartition> assigned, final Map<TopicPartition, OffsetAndMetadata> committed,
            final long committedIndex, final long snapshotIndex, final long deliveredUpTo)
        {
            this.owned = new HashSet<>(assigned);
            committed.forEach((tp, offset) -> committedOffsets.put(tp, null == offset ? 0L : offset.offset()));
            this.committedIndex = committedIndex;
            this.snapshotIndex = snapshotIndex;
            this.deliveredUpTo = deliveredUpTo;
        }

        PartitionReplay partition(final TopicPartition id)
        {
            return partitions.computeIfAbsent(id, k -> new PartitionReplay(k, owned.contains(k),
                committedOffsets.getOrDefault(k, 0L)));
        }

        PartitionReplay partitionOf(final EventSlot record)
        {
            final PartitionReplay cached = last;
            if (null != cached && cached.id.partition() == record.sourcePartition() &&
                cached.id.topic().equals(record.sourceTopic()))
            {
                return cached;
            }
            last = partition(new TopicPartition(record.sourceTopic(), record.sourcePartition()));
            return last;
        }
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
