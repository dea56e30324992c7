package dev.ringflow.io.kafka;

import dev.ringflow.io.TestSeeds;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source's offset checkpoints stay bounded however long the daemon runs, and what a commit names is never
 * ahead of what the engine has processed.
 */
class PublishedOffsetsTest
{
    private static final TopicPartition P0 = new TopicPartition("in", 0);
    private static final TopicPartition P1 = new TopicPartition("in", 1);

    @Test
    void shouldKeepNoCheckpointsWhenATransactionalSinkCommitsTheOffsets()
    {
        final PublishedOffsets offsets = new PublishedOffsets(false);
        for (int poll = 0; poll < 100_000; poll++)
        {
            offsets.published(poll % 2 == 0 ? P0 : P1, poll + 1);
            offsets.checkpoint(poll);
        }

        assertThat(offsets.checkpointCount()).isZero();
        assertThat(offsets.of(java.util.List.of(P0, P1))).containsEntry(P0, new OffsetAndMetadata(99_999))
            .containsEntry(P1, new OffsetAndMetadata(100_000));
    }

    @Test
    void shouldBoundTheCheckpointsWhileNothingIsProcessed()
    {
        final PublishedOffsets offsets = new PublishedOffsets(true);
        for (int poll = 0; poll < 100_000; poll++)
        {
            offsets.published(P0, poll + 1);
            offsets.checkpoint(poll);
        }

        assertThat(offsets.checkpointCount()).isEqualTo(PublishedOffsets.MAX_CHECKPOINTS);
        assertThat(offsets.processedUpTo(99_999)).containsExactlyEntriesOf(Map.of(P0, new OffsetAndMetadata(100_000)));
        assertThat(offsets.checkpointCount()).isZero();
    }

    /**
     * Against a naive oracle that keeps every checkpoint: a commit names, per partition, offsets no later than the
     * oracle's for the same processed sequence, and catches up with it once the engine has processed everything.
     */
    @Test
    void shouldNeverCommitPastWhatIsProcessed()
    {
        final long seed = TestSeeds.seed("shouldNeverCommitPastWhatIsProcessed");
        final Random random = new Random(seed);
        final PublishedOffsets offsets = new PublishedOffsets(true);
        final Map<Long, Map<TopicPartition, Long>> oracle = new HashMap<>();
        final Map<TopicPartition, Long> next = new HashMap<>();
        long sequence = -1;
        long processed = -1;
        for (int poll = 0; poll < 20_000; poll++)
        {
            final TopicPartition tp = random.nextBoolean() ? P0 : P1;
            final int records = 1 + random.nextInt(5);
            next.merge(tp, (long)records, Long::sum);
            offsets.published(tp, next.get(tp));
            sequence += records;
            offsets.checkpoint(sequence);
            oracle.put(sequence, new HashMap<>(next));
            if (random.nextInt(3_000) == 0 || poll == 19_999)
            {
                processed = poll == 19_999 ? sequence : processed + random.nextInt((int)(sequence - processed) + 1);
                final Map<TopicPartition, OffsetAndMetadata> committed = offsets.processedUpTo(processed);
                final Map<TopicPartition, Long> truth = newestAtOrBefore(oracle, processed);
                if (null != committed)
                {
                    committed.forEach((partition, offset) ->
                        assertThat(offset.offset()).isLessThanOrEqualTo(truth.get(partition)));
                }
                if (poll == 19_999)
                {
                    assertThat(committed).isNotNull();
                    committed.forEach((partition, offset) ->
                        assertThat(offset.offset()).isEqualTo(truth.get(partition)));
                }
            }
            assertThat(offsets.checkpointCount()).isLessThanOrEqualTo(PublishedOffsets.MAX_CHECKPOINTS);
        }
    }

    private static Map<TopicPartition, Long> newestAtOrBefore(final Map<Long, Map<TopicPartition, Long>> oracle,
        final long processed)
    {
        long best = -1;
        for (final long sequence : oracle.keySet())
        {
            if (sequence <= processed && sequence > best)
            {
                best = sequence;
            }
        }
        return oracle.getOrDefault(best, Map.of());
    }
}
