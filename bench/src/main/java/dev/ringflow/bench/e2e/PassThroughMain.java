package dev.ringflow.bench.e2e;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.io.journal.ChronicleJournal;
import dev.ringflow.io.kafka.KafkaClientProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pass-through baselines of the end-to-end harness as a process of their own: a consume -> produce loop that
 * forwards every record of a pipeline file's source topic, unchanged, to its sink topic, with exactly the Kafka
 * client settings Ringflow would use for that file ({@link KafkaClientProperties}), until SIGTERM.
 * <ul>
 *   <li>Plain (the default): after each poll's records, flush the producer and {@code commitSync} the consumer
 *       (the loop of {@link PlainKafkaScenarios#forwardBatch}).</li>
 *   <li>{@code --exactly-once}: a transactional producer; a transaction opens with the first record and commits,
 *       with the consumer's offsets ({@code sendOffsetsToTransaction}), once the pipeline's
 *       {@code engine.commit-interval-ms} has passed: the fair ceiling for Ringflow's exactly-once delivery. On
 *       SIGTERM it prints how long {@code commitTransaction} took (median, 99th percentile, max): the floor of any
 *       exactly-once output's latency to a {@code read_committed} consumer.</li>
 * </ul>
 * {@code --journal DIR} (with {@code --exactly-once}) appends every polled record to a journal in DIR with Ringflow's
 * own Chronicle code ({@link ChronicleJournal}, one document per poll, as Ringflow groups a ring batch) before it
 * forwards the poll's records, all in the loop's one thread: the exactly-once ceiling of a pipeline that journals its
 * input, as Ringflow's default does, with nothing else of Ringflow's (no ring, no worker, no journal thread).
 * <p>
 * {@code --append-bytes N} forwards each value with N spaces appended (still the same JSON), so that the loop writes
 * as many bytes as a pipeline whose outputs are that much larger than its inputs.
 * <pre>
 * java -cp benchmarks.jar dev.ringflow.bench.e2e.PassThroughMain --pipeline FILE --bootstrap-servers HOST:PORT
 *     [--exactly-once [--journal DIR]] [--append-bytes N]
 * </pre>
 * <b>Note:</b> One consumer, expected to own every partition for the whole run: no rebalance handling.
 */
public final class PassThroughMain
{
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String input;
    private final String output;
    private final long commitIntervalNs;
    private final int appendBytes;
    /** With {@code --journal}: every input is appended here before it is forwarded; null otherwise. */
    private final ChronicleJournal journal;
    private final EventSlot journalSlot = new EventSlot();
    /** Microseconds per {@code commitTransaction}. */
    private final Histogram commitMicros = new Histogram(3);
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final Callback onCompletion = (metadata, exception) ->
    {
        if (null != exception)
        {
            sendFailure.compareAndSet(null, exception);
        }
    };
    private volatile boolean stopped;

    private PassThroughMain(final PipelineSpec spec, final boolean exactlyOnce, final int appendBytes,
        final Path journalDir)
    {
        this.appendBytes = appendBytes;
        journal = null == journalDir ? null : ChronicleJournal.open(new JournalSpec(true, journalDir.toString(),
            spec.journal().rollCycle()));
        final Properties producerProps = KafkaClientProperties.producer(spec);
        if (exactlyOnce)
        {
            // As Ringflow's exactly-once sink sets them (KafkaPipeline).
            producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, spec.source().groupId() + "-pass-through");
            producerProps.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Integer.toString(KafkaClientProperties.DEFAULT_TRANSACTION_TIMEOUT_MS));
        }
        consumer = new KafkaConsumer<>(KafkaClientProperties.consumer(spec));
        producer = new KafkaProducer<>(producerProps);
        input = spec.source().topics().get(0);
        output = spec.sink().topic();
        commitIntervalNs = TimeUnit.MILLISECONDS.toNanos(spec.engine().commitIntervalMs());
    }

    public static void main(final String[] args) throws InterruptedException
    {
        Path pipeline = null;
        String servers = null;
        boolean exactlyOnce = false;
        int appendBytes = 0;
        Path journalDir = null;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--pipeline" -> pipeline = Path.of(HarnessOptions.value(args, ++i, "--pipeline"));
                case "--bootstrap-servers" -> servers = HarnessOptions.value(args, ++i, "--bootstrap-servers");
                case "--exactly-once" -> exactlyOnce = true;
                case "--journal" -> journalDir = Path.of(HarnessOptions.value(args, ++i, "--journal"));
                case "--append-bytes" -> appendBytes = (int)Math.min(1 << 20, HarnessOptions.parsePositive(args[i],
                    HarnessOptions.value(args, ++i, "--append-bytes")));
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        if (null == pipeline || null == servers)
        {
            throw new IllegalArgumentException("--pipeline FILE and --bootstrap-servers HOST:PORT are required");
        }
        if (null != journalDir && !exactlyOnce)
        {
            throw new IllegalArgumentException("--journal DIR goes with --exactly-once");
        }
        final PassThroughMain loop = new PassThroughMain(PipelineFile.load(pipeline).withBootstrapServers(servers),
            exactlyOnce, appendBytes, journalDir);
        final Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            loop.stopped = true;
            loop.consumer.wakeup();
            try
            {
                main.join(TimeUnit.MINUTES.toMillis(1));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "pass-through-stop"));
        System.out.println("forwarding " + loop.input + " to " + loop.output + (exactlyOnce ? " in transactions of " +
            TimeUnit.NANOSECONDS.toMillis(loop.commitIntervalNs) + " ms" : ", flush + commitSync per poll") +
            (0 == appendBytes ? "" : ", " + appendBytes + " bytes appended to each value") +
            (null == journalDir ? "" : ", every input journaled in " + journalDir + " first"));
        try
        {
            if (exactlyOnce)
            {
                loop.forwardInTransactions();
            }
            else
            {
                loop.forwardPlain();
            }
        }
        catch (final WakeupException ex)
        {
            if (!loop.stopped)
            {
                throw ex;
            }
        }
        finally
        {
            loop.consumer.close();
            loop.producer.close();
            if (null != loop.journal)
            {
                loop.journal.close();
            }
        }
        if (exactlyOnce && loop.commitMicros.getTotalCount() > 0)
        {
            System.out.println(loop.commitSummary());
        }
        System.out.println("stopped");
    }

    /** The commits' count and durations, one line. */
    private String commitSummary()
    {
        return String.format(Locale.ROOT, "%,d transactions committed: commitTransaction took %.1f ms median, " +
            "%.1f ms at the 99th percentile, %.1f ms at most", commitMicros.getTotalCount(),
            commitMicros.getValueAtPercentile(50) / 1e3, commitMicros.getValueAtPercentile(99) / 1e3,
            commitMicros.getMaxValue() / 1e3);
    }

    /** The value to send: the record's own, or a copy with {@link #appendBytes} spaces after it. */
    private byte[] outputValue(final byte[] value)
    {
        return padded(value, appendBytes);
    }

    /** {@code value}, or with {@code spaces} > 0 a copy with that many spaces appended; null stays null. */
    static byte[] padded(final byte[] value, final int spaces)
    {
        if (0 == spaces || null == value)
        {
            return value;
        }
        final byte[] padded = Arrays.copyOf(value, value.length + spaces);
        Arrays.fill(padded, value.length, padded.length, (byte)' ');
        return padded;
    }

    private void forwardPlain()
    {
        consumer.subscribe(List.of(input));
        while (!stopped)
        {
            final ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
            if (!batch.isEmpty())
            {
                PlainKafkaScenarios.forwardBatch(batch, consumer, producer, output, onCompletion, sendFailure,
                    this::outputValue);
            }
        }
    }

    private void forwardInTransactions()
    {
        producer.initTransactions();
        consumer.subscribe(List.of(input));
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        boolean open = false;
        long openedNs = 0;
        while (!stopped)
        {
            // An open transaction commits on time even when no more input comes.
            final long waitNs = open ? Math.max(0, openedNs + commitIntervalNs - System.nanoTime()) : POLL.toNanos();
            final ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofNanos(Math.min(waitNs,
                POLL.toNanos())));
            if (null != journal && !batch.isEmpty())
            {
                journal(batch);
            }
            for (final ConsumerRecord<byte[], byte[]> record : batch)
            {
                if (!open)
                {
                    producer.beginTransaction();
                    open = true;
                    openedNs = System.nanoTime();
                }
                producer.send(new ProducerRecord<>(output, null, record.timestamp(), record.key(),
                    outputValue(record.value())), onCompletion);
                offsets.put(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1));
            }
            if (open && System.nanoTime() - openedNs >= commitIntervalNs)
            {
                commit(offsets);
                open = false;
            }
        }
        if (open)
        {
            // SIGTERM: what was forwarded is committed, as Ringflow drains on the way out.
            commit(offsets);
        }
    }

    /** Appends a poll's records to the journal as one document, as Ringflow's journal thread groups a ring batch. */
    private void journal(final ConsumerRecords<byte[], byte[]> batch)
    {
        final EventSlot slot = journalSlot;
        for (final ConsumerRecord<byte[], byte[]> record : batch)
        {
            // Copied into a slot as Ringflow's source copies each record into the ring.
            slot.input(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
                record.value());
            journal.append(slot);
        }
        journal.flush();
    }

    private void commit(final Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        final long startNs = System.nanoTime();
        producer.commitTransaction();
        commitMicros.recordValue(Math.max(0, (System.nanoTime() - startNs) / 1_000));
        offsets.clear();
        if (null != sendFailure.get())
        {
            throw new IllegalStateException("forwarding to " + output + " failed: " + sendFailure.get(),
                sendFailure.get());
        }
    }
}
