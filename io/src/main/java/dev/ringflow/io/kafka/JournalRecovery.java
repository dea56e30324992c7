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
import java.util.Map;

/**
 * Rebuilds the engine's state from the journal when a daemon starts, and produces again the outputs a crash
 * kept from being committed.
 * <p>
 * Journal records are fed through the engine in journal order (from the newest usable snapshot), so windows hold
 * what they held before the crash. A record's outputs are emitted again only when its transaction never committed:
 * its journal index is after the commit marker recorded with the committed offsets ({@link JournalCommit}) and its
 * offset is not below the partition's committed offset (another member may have processed it since). Kafka then
 * resumes each assigned partition right after its last journaled offset.
 * <p>
 * It runs in two steps so that no rebalance deadline ({@code max.poll.interval.ms}) bounds the long one: the
 * records up to the last commit, which only rebuild state, are replayed before the consumer joins its group;
 * only the records after it (about a commit interval's worth), whose outputs may have to go out again, are
 * replayed when the first partitions are assigned, and only those of the partitions assigned.
 * <p>
 * <b>Note:</b> Runs once, on the source thread.
 */
final class JournalRecovery
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);

    private final Path dir;
    private final String journalId;
    private final SnapshotStore snapshots;
    private final boolean exactlyOnce;
    /** Set by {@link #replayCommitted}. */
    private Replay replay;

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

    /** True once {@link #replayCommitted} has run: what is left is the input after the last commit. */
    boolean committedReplayed()
    {
        return null != replay;
    }

    /**
     * Step one, before the consumer joins its group (so no rebalance deadline runs): the snapshot to start from
     * (if any), then every journal record up to the last commit made with this journal. Their outputs were
     * committed, so none is emitted; they rebuild the window state of whatever partitions this daemon owned.
     *
     * @param committed the committed offsets of every partition of the input topics (null values for none): the
     *                  last commit's journal index is the largest their metadata names.
     */
    void replayCommitted(final Map<TopicPartition, OffsetAndMetadata> committed, final EventPublisher publisher)
    {
        final long startNs = System.nanoTime();
        if (!JournalReader.holdsJournal(dir))
        {
            replay = new Replay(-1, -1, -1);
            return;
        }
        final long committedIndex = committedIndex(committed);
        final long snapshotIndex = chooseSnapshot(committedIndex);
        if (snapshotIndex < 0 && JournalReader.isTruncated(dir))
        {
            throw new JournalException("journal " + dir + " no longer starts at its beginning (retention deleted " +
                "files that a snapshot covered) and no snapshot can be used (see the warnings above), so the " +
                "window state cannot be rebuilt. Restore the pipeline the snapshots were taken with, or start " +
                "over with a new journal directory (the state then starts empty).");
        }
        replay = new Replay(committedIndex, snapshotIndex,
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
        replay.replayedUpTo = snapshotIndex;
        if (replay.deliveredUpTo > snapshotIndex)
        {
            replayRecords(publisher, replay.deliveredUpTo, false);
            replay.replayedUpTo = replay.deliveredUpTo;
        }
        replay.committedNs = System.nanoTime() - startNs;
        LOG.info("replayed {} journal records up to the last commit before joining the group, in {} ms{}",
            replay.records, replay.committedNs / 1_000_000, snapshotIndex < 0 ? "" : " (from the snapshot at index " +
            JournalReader.formatIndex(snapshotIndex) + ")");
    }

    /**
     * Step two, when the first partitions are assigned: the journal records after the last commit, which is at
     * most a commit interval of input unless the daemon stopped committing. Those of a partition this daemon owns
     * now are replayed, and their outputs emitted again when no committed transaction covers them (see
     * {@link #emits}); those of other partitions are skipped: their next owner processes them from the committed
     * offset, and this daemon's windows must not hold them. Runtime changes and ticks are replayed as they were.
     *
     * @param assigned  the partitions this daemon now owns.
     * @param committed the committed offsets of {@code assigned} (null values for none).
     * @return where each assigned partition must resume, for those the journal has gone past the committed
     * offset.
     */
    Map<TopicPartition, Long> replayUncommitted(
        final Collection<TopicPartition> assigned,
        final Map<TopicPartition, OffsetAndMetadata> committed,
        final EventPublisher publisher)
    {
        if (null == replay)
        {
            throw new IllegalStateException("the committed part of the journal was not replayed first");
        }
        if (!JournalReader.holdsJournal(dir))
        {
            warnAboutHistoryNotInJournal(assigned, committed, Map.of());
            return new HashMap<>();
        }
        final long startNs = System.nanoTime();
        final long committedRecords = replay.records;
        replay.own(assigned, committed);
        replayRecords(publisher, Long.MAX_VALUE, true);
        // Only partitions the journal (or the snapshot) holds input of: own() made an entry for every one assigned.
        final Map<TopicPartition, Long> nextJournaled = new HashMap<>();
        replay.partitions.forEach((id, partition) ->
        {
            if (partition.nextJournaled > 0)
            {
                nextJournaled.put(id, partition.nextJournaled);
            }
        });
        final Map<TopicPartition, Long> resume = new HashMap<>();
        for (final TopicPartition tp : assigned)
        {
            final Long next = nextJournaled.get(tp);
            if (null != next && next > replay.partition(tp).committedOffset)
            {
                resume.put(tp, next);
            }
        }
        if (replay.snapshotIndex < 0)
        {
            // With a snapshot, partitions without records after it are in the snapshot: nothing to warn about.
            warnAboutHistoryNotInJournal(assigned, committed, nextJournaled);
        }
        LOG.info("recovered from journal {}{}: {} records replayed in {} ms, {} of them had outputs not yet " +
            "committed and were emitted again; resuming {}", dir,
            replay.snapshotIndex < 0 ? " (no snapshot)" : " from the snapshot at index " +
            JournalReader.formatIndex(replay.snapshotIndex), replay.records,
            (replay.committedNs + System.nanoTime() - startNs) / 1_000_000, replay.emitted,
            resume.isEmpty() ? "at committed offsets" : resume);
        LOG.info("of those, {} records after the last commit were replayed on assignment in {} ms; {} of other " +
            "partitions were skipped", replay.records - committedRecords, (System.nanoTime() - startNs) / 1_000_000,
            replay.skipped);
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

    /**
     * Publishes the journal records after {@link Replay#replayedUpTo} (commit markers aside) up to the group at
     * {@code upTo}, as the live run saw them.
     *
     * @param afterCommit step two: inputs of partitions not owned are skipped, the others may emit again; in step
     *                    one nothing is emitted.
     */
    private void replayRecords(final EventPublisher publisher, final long upTo, final boolean afterCommit)
    {
        final EventSlot record = new EventSlot();
        try (JournalReader reader = JournalReader.open(dir))
        {
            if (replay.replayedUpTo >= 0)
            {
                reader.moveTo(replay.replayedUpTo);
            }
            while (reader.next(record))
            {
                final long index = reader.index();
                if (index > upTo)
                {
                    break;
                }
                if (record.isCommitMarker() || index <= replay.replayedUpTo)
                {
                    continue;
                }
                final boolean emits;
                if (afterCommit)
                {
                    if (!replay.ownsSourceOf(record))
                    {
                        replay.skipped++;
                        continue;
                    }
                    emits = emits(replay, record, index);
                }
                else
                {
                    emits = false;
                    replay.journaled(record);
                }
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
     * Whether the outputs of a replayed record after the last commit go out again: those of an input of an owned
     * partition that is not below its committed offset (another member may have processed it since), and those
     * of a tick after the last point known to be delivered. A runtime change produces nothing itself (the events
     * after it are processed by its tasks, as they were).
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
        final PartitionReplay partition = replay.journaled(record);
        return index > replay.committedIndex && record.sourceOffset() >= partition.committedOffset;
    }

    /** What one recovery knows and counts while it replays, from step one to step two. */
    private static final class Replay
    {
        final Map<TopicPartition, PartitionReplay> partitions = new HashMap<>();
        final long committedIndex;
        final long snapshotIndex;
        /** The last journal index whose outputs are known to be delivered, or -1. */
        final long deliveredUpTo;
        /** The last journal group replayed (or restored from the snapshot), or -1. */
        long replayedUpTo = -1;
        long records;
        long emitted;
        long skipped;
        long committedNs;
        /** The partition of the last input looked up: records come in runs of one partition. */
        private PartitionReplay last;

        Replay(final long committedIndex, final long snapshotIndex, final long deliveredUpTo)
        {
            this.committedIndex = committedIndex;
            this.snapshotIndex = snapshotIndex;
            this.deliveredUpTo = deliveredUpTo;
        }

        /** Step two: the partitions this daemon owns now, and their committed offsets. */
        void own(final Collection<TopicPartition> assigned, final Map<TopicPartition, OffsetAndMetadata> committed)
        {
            for (final TopicPartition tp : assigned)
            {
                final PartitionReplay partition = partition(tp);
                partition.owned = true;
                final OffsetAndMetadata offset = committed.get(tp);
                partition.committedOffset = null == offset ? 0L : offset.offset();
            }
        }

        /** Whether a record belongs to this daemon's replay: changes and ticks do, inputs of owned partitions too. */
        boolean ownsSourceOf(final EventSlot record)
        {
            return record.isChange() || record.isTick() || partitionOf(record).owned;
        }

        /** Notes that an input was journaled: its partition's input resumes after it. */
        PartitionReplay journaled(final EventSlot record)
        {
            if (record.isChange() || record.isTick())
            {
                return null;
            }
            final PartitionReplay partition = partitionOf(record);
            partition.nextJournaled = Math.max(partition.nextJournaled, record.sourceOffset() + 1);
            return partition;
        }

        PartitionReplay partition(final TopicPartition id)
        {
            return partitions.computeIfAbsent(id, PartitionReplay::new);
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
        boolean owned;
        long committedOffset;
        long nextJournaled;

        PartitionReplay(final TopicPartition id)
        {
            this.id = id;
        }
    }
}
