package dev.ringflow.io.kafka;

import dev.ringflow.engine.SinkException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Reads one published partition state back from the state topic, read committed, exactly where a committed
 * offset's pointer says: the take-over's read when no {@link StandbyReplica} holds the state.
 * <p>
 * <b>Note:</b> Used by the source thread only. Its consumer is made at the first read and kept, assigned to
 * nothing between reads.
 */
final class StateReader implements AutoCloseable
{
    private static final Duration POLL = Duration.ofMillis(100);

    private final String topic;
    private final Properties properties;
    private final long timeoutMs;
    private KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param properties the state topic's consumer properties (no group, read committed, no offset reset).
     * @param timeoutMs  {@code state.restore-timeout-ms}, for the messages.
     */
    StateReader(final String topic, final Properties properties, final long timeoutMs)
    {
        this.topic = topic;
        this.properties = properties;
        this.timeoutMs = timeoutMs;
    }

    /**
     * @return the state {@code pointer} names for {@code input}, whole.
     * @throws SinkException when it cannot be read whole by {@code deadlineNs}: the partition must not go on with
     *                       part of its state.
     */
    byte[] read(final TopicPartition input, final StateTopic.Pointer pointer, final long deadlineNs)
    {
        if (null == consumer)
        {
            consumer = new KafkaConsumer<>(properties);
        }
        final TopicPartition source = new TopicPartition(topic, pointer.statePartition());
        consumer.assign(List.of(source));
        try
        {
            return readAssigned(input, pointer, source, deadlineNs);
        }
        finally
        {
            consumer.unsubscribe();
        }
    }

    private byte[] readAssigned(final TopicPartition input, final StateTopic.Pointer pointer,
        final TopicPartition source, final long deadlineNs)
    {
        final String where = source + " offsets " + pointer.firstOffset() + " to " + pointer.lastOffset();
        // Not endOffsets: read committed, that is where the first open transaction starts (a killed daemon's stays
        // open until it times out), and the state may lie beyond it. Records before the beginning are gone for good.
        final long begin = consumer.beginningOffsets(List.of(source)).get(source);
        if (pointer.firstOffset() < begin)
        {
            throw new SinkException("the committed offset of " + input + " points to its state at " + where +
                ", but that partition starts at offset " + begin + ": the state topic lost records to retention or " +
                "was deleted; give it cleanup.policy=compact, or reset the group's offsets to start over", null);
        }
        consumer.seek(source, pointer.firstOffset());
        StateChunks chunks = null;
        while (consumer.position(source) <= pointer.lastOffset())
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new SinkException("cannot read the state of " + input + " from " + where + " within " +
                    "state.restore-timeout-ms (" + timeoutMs + " ms for the partitions assigned with it; " +
                    (null == chunks ? 0 : chunks.found()) + " chunks read; read committed, it " +
                    "waits for any open transaction before them to end, and ends at offset " +
                    consumer.endOffsets(List.of(source)).get(source) + "): the state topic lost records, or was " +
                    "recreated", null);
            }
            final ConsumerRecords<byte[], byte[]> records;
            try
            {
                records = consumer.poll(POLL);
            }
            catch (final OffsetOutOfRangeException ex)
            {
                throw new SinkException("the committed offset of " + input + " points to its state at " + where +
                    ", beyond the end of that partition: the state topic was deleted and created again; reset the " +
                    "group's offsets to start over", ex);
            }
            for (final ConsumerRecord<byte[], byte[]> record : records)
            {
                final int[] place = StateChunks.place(record);
                if (record.offset() > pointer.lastOffset() || null == place || null == record.value() ||
                    !pointer.id().equals(StateChunks.id(record)))
                {
                    continue;
                }
                if (null == chunks)
                {
                    chunks = new StateChunks(pointer.id(), pointer.statePartition(), place[1]);
                }
                if (place[1] == chunks.count())
                {
                    chunks.add(place[0], record.value(), record.offset());
                }
            }
        }
        if (null == chunks || !chunks.isComplete())
        {
            throw new SinkException("the state of " + input + " in " + where + " is incomplete (" +
                (null == chunks ? "0 of ?" : chunks.found() + " of " + chunks.count()) + " chunks): the topic's " +
                "retention or compaction removed state that a committed offset still points to; give the state " +
                "topic cleanup.policy=compact and no time retention", null);
        }
        return chunks.join();
    }

    @Override
    public void close()
    {
        if (null != consumer)
        {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
