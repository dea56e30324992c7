package dev.ringflow.io.kafka;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.pipeline.PipelineSpec;

/**
 * Starts a pipeline between Kafka topics: checks the cluster, creates missing output topics, then runs the
 * engine with a {@link KafkaSource} and a {@link KafkaSink}.
 */
public final class KafkaPipeline
{
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

    private KafkaPipeline()
    {
    }

    /**
     * @throws KafkaUnavailableException when the cluster cannot be reached within {@code connectTimeoutMs}.
     */
    public static Engine start(final PipelineSpec spec, final long connectTimeoutMs)
    {
        KafkaPreflight.check(spec, connectTimeoutMs);
        final KafkaSink sink = new KafkaSink(
            KafkaClientProperties.producer(spec), spec.sink().topic(), spec.sink().deadLetterTopic(),
            spec.sink().lateTopic());
        final KafkaSource source;
        try
        {
            source = new KafkaSource(KafkaClientProperties.consumer(spec), spec.source().topics());
        }
        catch (final RuntimeException ex)
        {
            sink.close();
            throw ex;
        }
        return Engine.start(spec, source, sink);
    }
}
