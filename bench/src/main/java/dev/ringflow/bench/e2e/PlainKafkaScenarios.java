package dev.ringflow.bench.e2e;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The plain-client parts of the harness: writing the input, and the two ceilings a pipeline is measured against,
 * a consumer that only drains the topic and a consume-produce loop that forwards every record unchanged.
 */
final class PlainKafkaScenarios
{
    private static final Duration POLL = Duration.ofMillis(100);
    /** The preload's producer batches longer than Ringflow's sink: it only writes, so latency does not matter. */
    private static final int PRELOAD_LINGER_MS = 5;

    private PlainKafkaScenarios()
    {
    }

    /**
     * Writes the whole input sequence to {@code topic}, partitioned by key, and waits for every acknowledgement:
     * (p), what one producer writes to this broker, the ceiling of any job's output rate here.
     */
    static ScenarioResult preload(final String servers, final String topic, final InputSequence input)
    {
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Callback onCompletion = (metadata, exception) ->
        {
            if (null != exception)
            {
                failure.compareAndSet(null, exception);
            }
        };
        final long startNs = System.nanoTime();
        final long firstNs;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(servers, PRELOAD_LINGER_MS, "e2e-preload"))
        {
            firstNs = System.nanoTime();
            input.forEach((index, key, value) ->
            {
                if (null == failure.get())
                {
                    producer.send(new ProducerRecord<>(topic, input.keyBytes(key), input.valueBytes(value)),
                        onCompletion);
                }
            });
            producer.flush();
        }
        final long doneNs = System.nanoTime();
        if (null != failure.get())
        {
            throw new IllegalStateException("preloading " + topic + " failed: " + failure.get(), failure.get());
        }
        return new ScenarioResult("(p) plain KafkaProducer, write only (the preload, linger " + PRELOAD_LINGER_MS +
            " ms)", input.records(), new ProgressWatch.Timing(startNs, firstNs, doneNs));
    }

    /**
     * (a) A consumer of its own group draining {@code topic} until it has read {@code records} records.
     */
    static ScenarioResult drain(final String servers, final String topic, final long records)
    {
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + ProgressWatch.deadlineFor(records).toNanos();
        long firstNs = 0;
        long consumed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(servers, "e2e-drain", false, "e2e-drain"))
        {
            consumer.subscribe(List.of(topic));
            while (consumed < records)
            {
                checkDeadline("draining " + topic, deadlineNs, consumed);
                final int count = consumer.poll(POLL).count();
                if (count > 0 && 0 == firstNs)
                {
                    firstNs = System.nanoTime();
                }
                consumed += count;
            }
            final long doneNs = System.nanoTime();
            return new ScenarioResult("(a) plain KafkaConsumer, drain only", records,
                new ProgressWatch.Timing(startNs, firstNs, doneNs))
                .withCheck(String.format(Locale.ROOT, "%,d records read", consumed), true);
        }
    }

    /**
     * (b) A consume-produce loop forwarding every record unchanged (key, value, timestamp) from {@code input} to
     * {@code output} with an idempotent producer; after each poll's records it flushes the producer and commits
     * the consumer's offsets synchronously, so a batch's input is acknowledged only once its output is durable.
     */
    static ScenarioResult forward(final String servers, final String input, final String output, final long records)
    {
        final String group = "e2e-forward";
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + ProgressWatch.deadlineFor(records).toNanos();
        long firstNs = 0;
        long forwarded = 0;
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Callback onCompletion = (metadata, exception) ->
        {
            if (null != exception)
            {
                failure.compareAndSet(null, exception);
            }
        };
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(servers, group, false, group);
            KafkaProducer<byte[], byte[]> producer = Clients.producer(servers, Clients.SINK_LINGER_MS, group))
        {
            consumer.subscribe(List.of(input));
            while (forwarded < records)
            {
                checkDeadline("forwarding " + input, deadlineNs, forwarded);
                final ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                if (batch.isEmpty())
                {
                    continue;
                }
                if (0 == firstNs)
                {
                    firstNs = System.nanoTime();
                }
                forwardBatch(batch, consumer, producer, output, onCompletion, failure);
                forwarded += batch.count();
            }
            final long doneNs = System.nanoTime();
            return new ScenarioResult("(b) plain consume -> produce loop, flush + commitSync per poll", records,
                new ProgressWatch.Timing(startNs, firstNs, doneNs));
        }
    }

    /**
     * One step of the loop (b): sends every record of {@code batch} unchanged (key, value, timestamp) to
     * {@code output}, flushes the producer, and commits the consumer's position synchronously.
     *
     * @throws IllegalStateException when a send failed.
     */
    static void forwardBatch(final ConsumerRecords<byte[], byte[]> batch, final KafkaConsumer<byte[], byte[]> consumer,
        final KafkaProducer<byte[], byte[]> producer, final String output, final Callback onCompletion,
        final AtomicReference<Exception> failure)
    {
        for (final ConsumerRecord<byte[], byte[]> record : batch)
        {
            producer.send(new ProducerRecord<>(output, null, record.timestamp(), record.key(), record.value()),
                onCompletion);
        }
        producer.flush();
        if (null != failure.get())
        {
            throw new IllegalStateException("forwarding to " + output + " failed: " + failure.get(), failure.get());
        }
        consumer.commitSync();
    }

    /** Checks a forwarding run's output by its size: a producer without transactions writes no markers. */
    static ScenarioResult checkForwarded(final ScenarioResult result, final String servers, final String output)
    {
        final Map<TopicPartition, Long> ends;
        try (GroupOffsets offsets = new GroupOffsets(servers))
        {
            ends = offsets.endOffsets(output);
        }
        final long written = GroupOffsets.sum(ends);
        return result.withCheck(String.format(Locale.ROOT, "%,d records written (count only)", written),
            written == result.records());
    }

    private static void checkDeadline(final String what, final long deadlineNs, final long done)
    {
        if (System.nanoTime() - deadlineNs > 0)
        {
            throw new IllegalStateException(what + " did not finish in time (" + done + " records done)");
        }
    }
}
