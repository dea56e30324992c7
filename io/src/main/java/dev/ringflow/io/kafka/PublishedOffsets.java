package dev.ringflow.io.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What the source has published into the ring, per partition, and as of which ring sequence: the offsets an
 * at-least-once commit may name once the engine has processed up to a sequence.
 * <p>
 * <b>Note:</b> Source thread only.
 * <p>
 * <b>Note:</b> Bounded: a source whose offsets a transactional sink commits keeps no checkpoints at all, and one
 * that commits them itself keeps at most {@link #MAX_CHECKPOINTS}; past that the newest checkpoint is moved on
 * instead of a new one added, so a commit may name slightly older offsets (more input processed again after a
 * crash, never less).
 */
final class PublishedOffsets
{
    /** Enough for every poll of one commit interval at any realistic poll rate. */
    static final int MAX_CHECKPOINTS = 1_024;

    /** Offsets (next to read) per partition as of the publication of ring sequence {@code sequence}. */
    private record Checkpoint(long sequence, Map<TopicPartition, OffsetAndMetadata> offsets)
    {
    }

    private final Map<TopicPartition, OffsetAndMetadata> published = new HashMap<>();
    private final ArrayDeque<Checkpoint> checkpoints = new ArrayDeque<>();
    private final boolean checkpointing;

    /**
     * @param checkpointing false when the source never commits by ring sequence (a transactional sink commits the
     *                      offsets): then {@link #checkpoint(long)} keeps nothing.
     */
    PublishedOffsets(final boolean checkpointing)
    {
        this.checkpointing = checkpointing;
    }

    /** Records of {@code tp} up to {@code offset} (exclusive: the next to read) are in the ring. */
    void published(final TopicPartition tp, final long nextOffset)
    {
        published.put(tp, new OffsetAndMetadata(nextOffset));
    }

    /** Everything published so far is in the ring up to {@code sequence}. */
    void checkpoint(final long sequence)
    {
        if (!checkpointing)
        {
            return;
        }
        if (checkpoints.size() == MAX_CHECKPOINTS)
        {
            checkpoints.pollLast();
        }
        checkpoints.addLast(new Checkpoint(sequence, new HashMap<>(published)));
    }

    /** How many checkpoints are kept: for tests and diagnostics. */
    int checkpointCount()
    {
        return checkpoints.size();
    }

    /**
     * The offsets of the newest checkpoint at or before {@code processedSequence}, or null if none has been passed
     * since the last call; the checkpoints up to it are dropped.
     */
    Map<TopicPartition, OffsetAndMetadata> processedUpTo(final long processedSequence)
    {
        Map<TopicPartition, OffsetAndMetadata> offsets = null;
        while (!checkpoints.isEmpty() && checkpoints.peekFirst().sequence() <= processedSequence)
        {
            offsets = checkpoints.pollFirst().offsets();
        }
        return offsets;
    }

    /** The offsets published so far of those of {@code partitions} that have any. */
    Map<TopicPartition, OffsetAndMetadata> of(final Collection<TopicPartition> partitions)
    {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (final TopicPartition tp : partitions)
        {
            final OffsetAndMetadata offset = published.get(tp);
            if (null != offset)
            {
                offsets.put(tp, offset);
            }
        }
        return offsets;
    }

    /** Forgets partitions that are no longer this source's: nothing of theirs will be committed. */
    void forget(final Collection<TopicPartition> partitions)
    {
        published.keySet().removeAll(partitions);
        for (final Checkpoint checkpoint : checkpoints)
        {
            checkpoint.offsets().keySet().removeAll(partitions);
        }
    }
}
