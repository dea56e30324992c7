package dev.ringflow.io.kafka;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.Sink;
import dev.ringflow.engine.SinkException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

/**
 * Writes outputs to a Kafka topic with an idempotent producer (the producer batches; {@link #flush()} waits for
 * every acknowledgement). Records keep their input's key and timestamp; keyed records are partitioned by key, and
 * records with a null key all go to partition 0 so that their order is kept too. Dead letters and late elements
 * go to their own topics with the reason and the input's coordinates in headers.
 * <p>
 * <b>Note:</b> {@link #onRecord} runs on the sink thread; {@link #flush()} may run on
 * another. The producer's own record objects are the only per-record garbage.
 */
public final class KafkaSink implements Sink
{
    public static final String HEADER_ERROR = "ringflow.error";
    public static final String HEADER_SOURCE_TOPIC = "ringflow.source.topic";
    public static final String HEADER_SOURCE_PARTITION = "ringflow.source.partition";
    public static final String HEADER_SOURCE_OFFSET = "ringflow.source.offset";
    private static final Integer NULL_KEY_PARTITION = 0;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String deadLetterTopic;
    private final String lateTopic;
    private final Callback onSendCompleted = this::onSendCompleted;
    private volatile Exception sendFailure;

    /**
     * @param deadLetterTopic null when the pipeline has none.
     * @param lateTopic       null when the pipeline has none.
     */
    public KafkaSink(
        final Properties producerProperties, final String topic, final String deadLetterTopic, final String lateTopic)
    {
        this.producer = new KafkaProducer<>(producerProperties);
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.lateTopic = lateTopic;
    }

    @Override
    public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
        final String reason, final EventSlot source)
    {
        checkNoSendFailed();
        final byte[] keyBytes = key.toByteArray();
        if (kind == OutputList.OUTPUT)
        {
            producer.send(new ProducerRecord<>(topic, null == keyBytes ? NULL_KEY_PARTITION : null, timestampMs,
                keyBytes, value.toByteArray()), onSendCompleted);
            return;
        }
        final String target = kind == OutputList.DEAD_LETTER ? deadLetterTopic : lateTopic;
        if (null == target)
        {
            return;
        }
        final RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_ERROR, utf8(reason));
        headers.add(HEADER_SOURCE_TOPIC, utf8(source.sourceTopic()));
        headers.add(HEADER_SOURCE_PARTITION, utf8(Integer.toString(source.sourcePartition())));
        headers.add(HEADER_SOURCE_OFFSET, utf8(Long.toString(source.sourceOffset())));
        producer.send(new ProducerRecord<>(target, null, timestampMs, keyBytes, value.toByteArray(), headers),
            onSendCompleted);
    }

    @Override
    public void onEndOfBatch()
    {
        // The producer sends on its own thread once a batch fills or linger.ms passes.
    }

    @Override
    public void flush()
    {
        producer.flush();
        checkNoSendFailed();
    }

    private void checkNoSendFailed()
    {
        final Exception failure = sendFailure;
        if (null != failure)
        {
            throw new SinkException("cannot write to Kafka topic '" + topic + "': " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close()
    {
        try
        {
            producer.close(Duration.ofSeconds(30));
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("error closing the Kafka producer", ex);
        }
    }

    private void onSendCompleted(final RecordMetadata metadata, final Exception exception)
    {
        if (null != exception && null == sendFailure)
        {
            sendFailure = exception;
            LOG.error("a send to Kafka failed; the pipeline will stop without committing the input: {}",
                exception.toString());
        }
    }

    private static byte[] utf8(final String text)
    {
        return null == text ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }
}
