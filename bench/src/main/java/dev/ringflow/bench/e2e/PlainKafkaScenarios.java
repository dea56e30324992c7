package dev.ringflow.bench.e2e;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The plain-client parts of the harnesses: writing the input, and one step of the plain consume-produce loop that
 * forwards every record unchanged.
 */
final class PlainKafkaScenarios
{
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
     * One step of the loop (b): sends every record of {@code batch} unchanged (key, value, timestamp) to
     * {@code output}, flushes the producer, and commits the consumer's position synchronously.
     *
     * @throws IllegalStateException when a send failed.
     */
    static void forwardBatch(final ConsumerRecords<byte[], byte[]> batch, final KafkaConsumer<byte[], byte[]> consumer,
        final KafkaProducer<byte[], byte[]> producer, final String output, final Callback onCompletion,
        final AtomicReference<Exception> failure)
    {
        forwardBatch(batch, consumer, producer, output, onCompletion, failure, UnaryOperator.identity());
    }

    /** {@link #forwardBatch}, sending {@code valueOf} of each record's value. */
    static void forwardBatch(final ConsumerRecords<byte[], byte[]> batch, final KafkaConsumer<byte[], byte[]> consumer,
        final KafkaProducer<byte[], byte[]> producer, final String output, final Callback onCompletion,
        final AtomicReference<Exception> failure, final UnaryOperator<byte[]> valueOf)
    {
        for (final ConsumerRecord<byte[], byte[]> record : batch)
        {
            producer.send(new ProducerRecord<>(output, null, record.timestamp(), record.key(),
                valueOf.apply(record.value())), onCompletion);
        }
        producer.flush();
        if (null != failure.get())
        {
            throw new IllegalStateException("forwarding to " + output + " failed: " + failure.get(), failure.get());
        }
        consumer.commitSync();
    }
}
