package dev.ringflow.tools;

import dev.ringflow.io.kafka.KafkaPreflight;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code ringflow consume}: prints a topic's records.
 */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = {
        "Prints the records of a Kafka topic, one per line, from the beginning of every partition.",
        "Stops at the end of the topic as it was when the command started, unless --follow is given. " +
            "Reads without a consumer group: it commits nothing." },
    footer = {
        "",
        "Examples:",
        "  ringflow consume --topic aggregated-topic --print-key",
        "  ringflow consume --topic processed-topic --follow" })
final class ConsumeCommand implements Callable<Integer>
{
    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to read.")
    private String topic;

    @Option(names = "--print-key", description = "Print KEY<SEP>VALUE instead of VALUE (a null key prints as null).")
    private boolean printKey;

    @Option(names = "--key-separator", paramLabel = "SEP", defaultValue = ":",
        description = "Separator for --print-key. Default: ${DEFAULT-VALUE}.")
    private String keySeparator;

    @Option(names = "--print-partition", description = "Prefix each line with PARTITION<TAB>OFFSET<TAB>.")
    private boolean printPartition;

    @Option(names = "--follow", description = "Keep printing new records until Ctrl-C.")
    private boolean follow;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    private Long max;

    @Override
    public Integer call()
    {
        KafkaPreflight.checkReachable(kafka.clientProperties(), 15_000);
        final Properties props = new Properties();
        // Outputs of exactly-once pipelines are visible once committed; -X isolation.level=read_uncommitted
        // shows them at once, aborted ones included.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putAll(kafka.clientProperties());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        final PrintStream out = System.out;
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props))
        {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
            if (null == infos || infos.isEmpty())
            {
                throw new CommandFailedException("topic '" + topic + "' does not exist");
            }
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final PartitionInfo info : infos)
            {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            final ShutdownSignals signals = follow ? new ShutdownSignals() : null;
            while (null == max || printed < max)
            {
                if (!follow && caughtUp(consumer, end))
                {
                    break;
                }
                if (null != signals && signals.isSignalled())
                {
                    break;
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)))
                {
                    out.println(format(record));
                    if (null != max && ++printed >= max)
                    {
                        break;
                    }
                }
                out.flush();
            }
        }
        out.flush();
        return RingflowCommand.EXIT_OK;
    }

    private static boolean caughtUp(final KafkaConsumer<byte[], byte[]> consumer, final Map<TopicPartition, Long> end)
    {
        for (final Map.Entry<TopicPartition, Long> entry : end.entrySet())
        {
            if (consumer.position(entry.getKey()) < entry.getValue())
            {
                return false;
            }
        }
        return true;
    }

    private String format(final ConsumerRecord<byte[], byte[]> record)
    {
        final StringBuilder line = new StringBuilder();
        if (printPartition)
        {
            line.append(record.partition()).append('\t').append(record.offset()).append('\t');
        }
        if (printKey)
        {
            line.append(null == record.key() ? "null" : new String(record.key(), StandardCharsets.UTF_8))
                .append(keySeparator);
        }
        line.append(null == record.value() ? "null" : new String(record.value(), StandardCharsets.UTF_8));
        return line.toString();
    }
}
