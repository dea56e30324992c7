package dev.ringflow.io.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixture of the partition-state tests on a real broker: {@link #KEYS} keys of integer text values to topic
 * {@code in}, a per-key sliding sum of {@link #RANGE} to topic {@code out}. Waits, offsets, producing and reading are
 * {@link GroupTestKit}'s.
 */
final class PartitionStateTestSupport
{
    static final int KEYS = 60;
    static final int RANGE = 5;

    private PartitionStateTestSupport()
    {
    }

    /** Sends {@code count} random values of random keys to {@code in}, remembering them in {@code input}. */
    static void produce(final KafkaProducer<String, String> producer, final Random random,
        final List<String[]> input, final int count)
    {
        GroupTestKit.produceKeyedIntegers(producer, random, KEYS, "%s", input, count);
    }

    /** Asserts that the committed outputs of every key are exactly the naive oracle's sums of {@code input}. */
    static void assertOutputsEqualTheOracle(final String servers, final List<String[]> input, final long seed)
    {
        final Map<String, List<String>> expected = GroupTestKit.slidingSums(input, RANGE);
        final Map<String, List<String>> actual = GroupTestKit.readCommitted(servers, "out", input.size());
        for (final Map.Entry<String, List<String>> key : expected.entrySet())
        {
            assertThat(actual.get(key.getKey())).as("sums of key %s (seed %d)", key.getKey(), seed)
                .isEqualTo(key.getValue());
        }
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
    }

    /** The metadata the group committed with each partition's offset. */
    static Map<TopicPartition, String> committedMetadata(final String servers, final String group)
    {
        final Map<TopicPartition, String> metadata = new LinkedHashMap<>();
        final Map<TopicPartition, OffsetAndMetadata> offsets = GroupTestKit.committedOffsets(servers, group);
        offsets.forEach((tp, offset) -> metadata.put(tp, offset.metadata()));
        return metadata;
    }
}
