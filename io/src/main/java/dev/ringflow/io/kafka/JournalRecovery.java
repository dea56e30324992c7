package dev.ringflow.io.kafka;

import dev.ringflow.engine.EventPublisher;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.io.journal.JournalReader;
import dev.ringflow.io.journal.JournalSource;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    JournalRecovery(final Path dir, final String journalId)
    {
        this.dir = dir;
        this.journalId = journalId;
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
        final Map<TopicPartition, Long> nextJournaled = new HashMap<>();
        final long startNs = System.nanoTime();
        long records = 0;
        long emitted = 0;
        final EventSlot record = new EventSlot();
        try (JournalReader reader = JournalReader.open(dir))
        {
            TopicPartition last = null;
            while (reader.next(record))
            {
                if (record.isCommitMarker())
                {
                    continue;
                }
                final boolean emits;
                if (record.isTick())
                {
                    emits = committedIndex >= 0 && reader.index() > committedIndex;
                }
                else
                {
                    if (null == last || last.partition() != record.sourcePartition() ||
                        !last.topic().equals(record.sourceTopic()))
                    {
                        last = new TopicPartition(record.sourceTopic(), record.sourcePartition());
                    }
                    final long offset = record.sourceOffset();
                    nextJournaled.merge(last, offset + 1, Math::max);
                    emits = owned.contains(last) && reader.index() > committedIndex &&
                        offset >= committedOffsets.getOrDefault(last, 0L);
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
        for (final TopicPartition tp : owned)
        {
            final Long next = nextJournaled.get(tp);
            if (null != next && next > committedOffsets.getOrDefault(tp, 0L))
            {
                resume.put(tp, next);
            }
        }
        warnAboutHistoryNotInJournal(owned, committed, nextJournaled);
        LOG.info("recovered from journal {}: {} records replayed in {} ms, {} of them had outputs not yet " +
            "committed and were emitted again; resuming {}", dir, records,
            (System.nanoTime() - startNs) / 1_000_000, emitted, resume.isEmpty() ? "at committed offsets" : resume);
        return resume;
    }
}
