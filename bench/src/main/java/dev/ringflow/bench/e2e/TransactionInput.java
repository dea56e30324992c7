package dev.ringflow.bench.e2e;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JSON pipelines' input: the synthetic card transactions of {@code ringflow produce --generator transactions
 * --out -} (run from {@code ringflow.jar} as a child JVM, its lines read from its standard output), written keyed by
 * card, as {@code ringflow produce} writes them, into one or both of two topics of {@value EndToEndHarness#PARTITIONS}
 * partitions:
 * <ul>
 *   <li>{@link #TOPIC}: the lines without their last field, {@code fx} ({@code fraud-scoring.yaml}'s input, as
 *       measured before the generator wrote {@code fx}).</li>
 *   <li>{@link #FX_TOPIC}: the lines as generated, with {@code fx}, the rate to euros of their {@code country}
 *       ({@code card-features.yaml} computes {@code amount * fx}, and an event without {@code fx} is bad input).</li>
 * </ul>
 * While writing it counts what the output checks need: the records, those that pass card-features' filter
 * ({@code amount > 0 and country is not null}) and, of those, the ones it routes ({@code amount * fx > 1000}).
 */
final class TransactionInput
{
    static final String TOPIC = "e2e-transactions";
    static final String FX_TOPIC = "e2e-card-transactions";
    /** The generator's {@code --seed}: every run of the harness writes the same transactions. */
    static final long SEED = 1;
    private static final int LINGER_MS = 5;
    /** How many of the first records {@link Counts#samples} keeps per topic. */
    static final int SAMPLE_RECORDS = 20_000;

    private TransactionInput()
    {
    }

    /**
     * What was written.
     *
     * @param records   transactions.
     * @param filtered  those with {@code amount > 0 and country is not null} (card-features' filter).
     * @param big       of those, the ones with {@code amount * fx > 1000} (card-features' route).
     * @param ends      the end offsets of every topic written.
     * @param rateNote  the preload's rate, a sentence for the report.
     * @param samples   per topic written, its first {@value #SAMPLE_RECORDS} records' keys and values, in order.
     */
    record Counts(long records, long filtered, long big, Map<String, Map<TopicPartition, Long>> ends,
        String rateNote, Map<String, List<ProducerRecord<byte[], byte[]>>> samples)
    {
    }

    /**
     * Creates {@code topics} (of {@link #TOPIC} and {@link #FX_TOPIC}) and writes {@code records} transactions into
     * each.
     *
     * @param logFile where the generator's standard error goes.
     * @throws IllegalStateException when the generator fails or a topic does not hold {@code records} afterwards.
     */
    static Counts preload(final String servers, final Path ringflowJar, final long records, final List<String> topics,
        final Path logFile) throws IOException, InterruptedException
    {
        final Process generator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), ChildJvm.LAUNCHER_FLAG, "-jar", ringflowJar.toString(), "produce", "--generator",
            "transactions", "--records", Long.toString(records), "--seed", Long.toString(SEED), "--out", "-")
            .redirectError(logFile.toFile()).start();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Callback onCompletion = (metadata, exception) ->
        {
            if (null != exception)
            {
                failure.compareAndSet(null, exception);
            }
        };
        final boolean plain = topics.contains(TOPIC);
        final boolean withFx = topics.contains(FX_TOPIC);
        final Map<String, List<ProducerRecord<byte[], byte[]>>> samples = new HashMap<>();
        topics.forEach(topic -> samples.put(topic, new ArrayList<>()));
        long written = 0;
        long filtered = 0;
        long big = 0;
        final long startNs = System.nanoTime();
        try (GroupOffsets offsets = new GroupOffsets(servers);
            KafkaProducer<byte[], byte[]> producer = Clients.producer(servers, LINGER_MS, "e2e-transactions");
            BufferedReader lines = new BufferedReader(new InputStreamReader(generator.getInputStream(),
                StandardCharsets.UTF_8), 1 << 16))
        {
            offsets.createTopics(topics, EndToEndHarness.PARTITIONS);
            String line;
            while (null != (line = lines.readLine()) && null == failure.get())
            {
                if (!line.startsWith("{") || !line.endsWith("}"))
                {
                    continue;  // Not a transaction: a stray line of the generator's JVM.
                }
                written++;
                final byte[] key = text(line, "card").getBytes(StandardCharsets.UTF_8);
                final String country = text(line, "country");
                final double fx = number(line, "fx");
                final double amount = number(line, "amount");
                if (amount > 0 && null != country)
                {
                    filtered++;
                    big += amount * fx > 1000 ? 1 : 0;
                }
                if (plain)
                {
                    // fraud-scoring's input as it was measured before the generator wrote fx: the line without it.
                    final int fxAt = line.lastIndexOf(",\"fx\":");
                    send(producer, new ProducerRecord<>(TOPIC, key, (fxAt < 0 ? line : line.substring(0, fxAt) + "}")
                        .getBytes(StandardCharsets.UTF_8)), onCompletion, samples);
                }
                if (withFx)
                {
                    send(producer, new ProducerRecord<>(FX_TOPIC, key, line.getBytes(StandardCharsets.UTF_8)),
                        onCompletion, samples);
                }
            }
            producer.flush();
            if (!generator.waitFor(1, TimeUnit.MINUTES) || 0 != generator.exitValue())
            {
                throw new IllegalStateException("the transaction generator failed; see " + logFile);
            }
            if (null != failure.get())
            {
                throw new IllegalStateException("preloading the transactions failed: " + failure.get(),
                    failure.get());
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            final Map<String, Map<TopicPartition, Long>> ends = new HashMap<>();
            for (final String topic : topics)
            {
                ends.put(topic, offsets.endOffsets(topic));
                if (GroupOffsets.sum(ends.get(topic)) != records || written != records)
                {
                    throw new IllegalStateException(topic + " holds " + GroupOffsets.sum(ends.get(topic)) +
                        " records after the generator wrote " + written + " of " + records);
                }
            }
            return new Counts(written, filtered, big, ends, String.format(Locale.ROOT, "The transactions' " +
                "preload (generator in its own JVM, one producer in the harness's, linger %d ms, %d topic(s)) took " +
                "%.1f s, %,.0f transactions/s.", LINGER_MS, topics.size(), seconds, written / seconds), samples);
        }
        finally
        {
            generator.destroyForcibly();
        }
    }

    private static void send(final KafkaProducer<byte[], byte[]> producer,
        final ProducerRecord<byte[], byte[]> record, final Callback onCompletion,
        final Map<String, List<ProducerRecord<byte[], byte[]>>> samples)
    {
        final List<ProducerRecord<byte[], byte[]>> sample = samples.get(record.topic());
        if (sample.size() < SAMPLE_RECORDS)
        {
            sample.add(record);
        }
        producer.send(record, onCompletion);
    }

    /** @return the string value of top-level {@code "field"} in a generator line, null when absent or not a string. */
    static String text(final String line, final String field)
    {
        final String name = "\"" + field + "\":\"";
        final int from = line.indexOf(name);
        return from < 0 ? null : line.substring(from + name.length(), line.indexOf('"', from + name.length()));
    }

    /** @return the number value of {@code "field"} in a generator line, NaN when absent or not a number. */
    static double number(final String line, final String field)
    {
        final String name = "\"" + field + "\":";
        final int from = line.indexOf(name);
        if (from < 0)
        {
            return Double.NaN;
        }
        int to = from + name.length();
        while (to < line.length() && ',' != line.charAt(to) && '}' != line.charAt(to))
        {
            to++;
        }
        try
        {
            return Double.parseDouble(line.substring(from + name.length(), to));
        }
        catch (final NumberFormatException ex)
        {
            return Double.NaN;
        }
    }
}
