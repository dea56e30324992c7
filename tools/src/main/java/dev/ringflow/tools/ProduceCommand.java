package dev.ringflow.tools;

import dev.ringflow.io.kafka.KafkaPreflight;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ringflow produce}: writes records to a topic from standard input or a generator.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
        "Writes records to a Kafka topic: one per line of standard input, or N generated numbered records.",
        "Creates the topic if it does not exist." },
    footer = {
        "",
        "Examples:",
        "  printf 'sensor-1:20\\nsensor-2:7\\n' | ringflow produce --topic my-topic --key-separator :",
        "  ringflow produce --topic my-topic --generate 100000 --keys 10 --partitions 3" })
final class ProduceCommand implements Callable<Integer>
{
    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to write to.")
    private String topic;

    @ArgGroup(exclusive = true)
    private Input input = new Input();

    static final class Input
    {
        @Option(names = "--key-separator", paramLabel = "SEP",
            description = "Split each input line at the first SEP into key and value (lines without SEP get a " +
                "null key). Default: no split, every record has a null key.")
        String keySeparator;

        @Option(names = "--generate", paramLabel = "N",
            description = "Instead of reading standard input, write N records with values 1..N.")
        Long generate;
    }

    @Option(names = "--keys", paramLabel = "K", defaultValue = "1",
        description = "With --generate: spread records over keys key-0..key-(K-1), round robin. " +
            "Default: ${DEFAULT-VALUE}.")
    private int keys;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
        description = "Partitions for the topic if it has to be created. Default: ${DEFAULT-VALUE}.")
    private int partitions;

    @Override
    public Integer call() throws Exception
    {
        if (keys < 1 || partitions < 1 || (null != input.generate && input.generate < 0))
        {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "--keys and --partitions must be >= 1 and --generate >= 0");
        }
        if (KafkaPreflight.ensureTopic(kafka.clientProperties(), topic, partitions, 15_000))
        {
            System.err.println("created topic '" + topic + "' with " + partitions + " partition(s)");
        }

        final Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        final AtomicReference<Exception> failure = new AtomicReference<>();
        long count = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props))
        {
            if (null != input.generate)
            {
                for (long i = 1; i <= input.generate && null == failure.get(); i++)
                {
                    send(producer, "key-" + ((i - 1) % keys), Long.toString(i), failure);
                    count++;
                }
            }
            else
            {
                final BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while (null != (line = reader.readLine()) && null == failure.get())
                {
                    String key = null;
                    String value = line;
                    if (null != input.keySeparator)
                    {
                        final int at = line.indexOf(input.keySeparator);
                        if (at >= 0)
                        {
                            key = line.substring(0, at);
                            value = line.substring(at + input.keySeparator.length());
                        }
                    }
                    send(producer, key, value, failure);
                    count++;
                }
            }
            producer.flush();
        }
        if (null != failure.get())
        {
            throw new CommandFailedException("writing to '" + topic + "' failed: " + failure.get().getMessage(),
                failure.get());
        }
        System.err.println("produced " + count + " records to '" + topic + "'");
        return RingflowCommand.EXIT_OK;
    }

    private void send(final KafkaProducer<byte[], byte[]> producer, final String key, final String value,
        final AtomicReference<Exception> failure)
    {
        producer.send(new ProducerRecord<>(topic, null == key ? null : key.getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8)), (metadata, exception) ->
        {
            if (null != exception)
            {
                failure.compareAndSet(null, exception);
            }
        });
    }
}
