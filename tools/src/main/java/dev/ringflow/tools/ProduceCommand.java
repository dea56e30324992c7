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
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        "Writes records to a Kafka topic: one per line of standard input, N generated numbered records, or " +
            "synthetic card transactions (--generator transactions) keyed by card.",
        "Creates the topic if it does not exist. With --out, writes the generated records to a file instead " +
            "(no Kafka needed)." },
    footer = {
        "",
        "Examples:",
        "  printf 'sensor-1:20\\nsensor-2:7\\n' | ringflow produce --topic my-topic --key-separator :",
        "  ringflow produce --topic my-topic --generate 100000 --keys 10 --partitions 3",
        "  ringflow produce --topic card-transactions --generator transactions --records 50000 --seed 7",
        "  ringflow produce --generator transactions --records 200000 --seed 1 --out transactions.jsonl",
        "",
        "The transactions generator: JSON lines {card, ts, amount, mcc, country, card_country, is_fraud, fx}",
        "(fx: the rate to euros of the country's currency), event time rising, about 3%% fraud by a known rule",
        "(bursts of large foreign purchases); see docs/models.md. examples/fraud-scoring.yaml and",
        "examples/card-features.yaml read them as they are." })
final class ProduceCommand implements Callable<Integer>
{
    static final String GENERATOR_TRANSACTIONS = "transactions";

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Topic to write to (required unless --out).")
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

        @Option(names = "--generator", paramLabel = "NAME",
            description = "Instead of reading standard input, write --records records of a generator: " +
                "'transactions' (synthetic card transactions with fraud labels).")
        String generator;
    }

    @Option(names = "--records", paramLabel = "N", defaultValue = "10000",
        description = "With --generator: how many records. Default: ${DEFAULT-VALUE}.")
    private long records;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
        description = "With --generator: the random seed; a seed always gives the same records. " +
            "Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--cards", paramLabel = "N", defaultValue = "" + TransactionGenerator.DEFAULT_CARDS,
        description = "With --generator transactions: how many cards. Default: ${DEFAULT-VALUE}.")
    private int cards;

    @Option(names = "--out", paramLabel = "FILE",
        description = "With --generator: write the records as lines to FILE ('-' for standard output) instead of " +
            "to a topic.")
    private Path out;

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
        if (keys < 1 || partitions < 1 || (null != input.generate && input.generate < 0) || records < 0 || cards < 1)
        {
            throw usage("--keys, --partitions and --cards must be >= 1, --generate and --records >= 0");
        }
        if (null != input.generator && !GENERATOR_TRANSACTIONS.equals(input.generator))
        {
            throw usage("unknown --generator '" + input.generator + "'; the one generator is '" +
                GENERATOR_TRANSACTIONS + "'");
        }
        if (null != out)
        {
            if (null == input.generator)
            {
                throw usage("--out needs --generator");
            }
            writeGenerated(out);
            return RingflowCommand.EXIT_OK;
        }
        if (null == topic)
        {
            throw usage("--topic is required (or --out FILE with --generator)");
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
            if (null != input.generator)
            {
                final TransactionGenerator generator = new TransactionGenerator(seed, cards);
                for (long i = 0; i < records && null == failure.get(); i++)
                {
                    final TransactionGenerator.Transaction transaction = generator.next();
                    send(producer, transaction.card(), transaction.toJson(), failure);
                    count++;
                }
            }
            else if (null != input.generate)
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

    private picocli.CommandLine.ParameterException usage(final String message)
    {
        return new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), message);
    }

    /** The generator's records as lines, to a file or standard output: training data for a model. */
    private void writeGenerated(final Path file) throws IOException
    {
        final TransactionGenerator generator = new TransactionGenerator(seed, cards);
        final boolean toStdout = "-".equals(file.toString());
        final BufferedWriter lines = new BufferedWriter(toStdout ?
            new OutputStreamWriter(System.out, StandardCharsets.UTF_8) : Files.newBufferedWriter(file));
        try
        {
            for (long i = 0; i < records; i++)
            {
                lines.write(generator.next().toJson());
                lines.write('\n');
            }
            lines.flush();
        }
        finally
        {
            if (!toStdout)
            {
                lines.close();  // Standard output stays open for whoever runs this in process.
            }
        }
        System.err.println("wrote " + records + " records to " + (toStdout ? "standard output" : file));
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
