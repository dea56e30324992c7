package dev.ringflow.bench.e2e;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads an output topic from the beginning to its end as a {@code read_committed} consumer and groups the
 * values, integers as text, by key, in partition and offset order (a key's records are all in one partition).
 */
final class OutputTopicReader
{
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private OutputTopicReader()
    {
    }

    /**
     * What one output topic holds.
     *
     * @param sequences   the values of every key, in order.
     * @param records     records read.
     * @param unparseable records whose key is not {@code key-k} or whose value is not an integer.
     */
    record Contents(KeyedSequences sequences, long records, long unparseable)
    {
    }

    /** Reads everything {@code topic} holds now. The producers writing it must have stopped. */
    static Contents read(final String servers, final String topic, final int keys, final long expectedRecords)
    {
        final KeyedSequences sequences = new KeyedSequences(keys, KeyedSequences.perKeyCapacity(expectedRecords, keys));
        final long[] unparseable = new long[1];
        final long records = forEach(servers, topic, record ->
        {
            final int key = InputSequence.keyIndex(record.key(), keys);
            final long value = parseInt(record.value());
            if (key < 0 || value == Long.MIN_VALUE)
            {
                unparseable[0]++;
            }
            else
            {
                sequences.add(key, (int)value);
            }
        });
        return new Contents(sequences, records, unparseable[0]);
    }

    /**
     * Passes every record {@code topic} holds now, as a {@code read_committed} consumer sees it, to {@code visitor}
     * in partition and offset order. The producers writing it must have stopped.
     *
     * @return how many records were read.
     */
    static long forEach(final String servers, final String topic,
        final Consumer<ConsumerRecord<byte[], byte[]>> visitor)
    {
        long records = 0;
        try (GroupOffsets offsets = new GroupOffsets(servers);
            KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(servers, null, true, "e2e-verify-" + topic))
        {
            final Map<TopicPartition, Long> ends = offsets.endOffsets(topic);
            final List<TopicPartition> partitions = new ArrayList<>(ends.keySet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadlineNs = System.nanoTime() + TIMEOUT.toNanos();
            while (!reachedEnd(consumer, ends))
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("reading " + topic + " took over " + TIMEOUT.toMinutes() +
                        " minutes (" + records + " records read)");
                }
                final ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                for (final ConsumerRecord<byte[], byte[]> record : batch)
                {
                    records++;
                    visitor.accept(record);
                }
            }
        }
        return records;
    }

    private static boolean reachedEnd(
        final KafkaConsumer<byte[], byte[]> consumer, final Map<TopicPartition, Long> ends)
    {
        for (final Map.Entry<TopicPartition, Long> end : ends.entrySet())
        {
            if (consumer.position(end.getKey()) < end.getValue())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the value of an optionally signed decimal integer within the int range, or {@link Long#MIN_VALUE}.
     */
    static long parseInt(final byte[] text)
    {
        if (null == text || text.length == 0 || text.length > 11)
        {
            return Long.MIN_VALUE;
        }
        final boolean negative = text[0] == '-';
        final int from = negative ? 1 : 0;
        if (from == text.length)
        {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (int i = from; i < text.length; i++)
        {
            final int digit = text[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return Long.MIN_VALUE;
            }
            value = value * 10 + digit;
        }
        value = negative ? -value : value;
        return value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? Long.MIN_VALUE : value;
    }
}
