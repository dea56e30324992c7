package dev.ringflow.io.kafka;

import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client settings Ringflow's delivery guarantees rest on cannot be overridden by a pipeline's {@code kafka}
 * properties; everything else passes through.
 */
class KafkaClientPropertiesTest
{
    private static final PipelineSpec OVERRIDING = PipelineBuilder.named("p").source("in").format("{value}")
        .sink("out")
        .kafkaProperty("acks", "1")
        .kafkaProperty("enable.idempotence", "false")
        .kafkaProperty("enable.auto.commit", "true")
        .kafkaProperty("isolation.level", "read_uncommitted")
        .kafkaProperty("linger.ms", "7")
        .kafkaProperty("max.poll.records", "123")
        .build();

    @Test
    void shouldKeepTheProducersGuaranteesWhateverThePipelineSays()
    {
        final Properties producer = KafkaClientProperties.producer(OVERRIDING);

        assertThat(producer.getProperty("acks")).isEqualTo("all");
        assertThat(producer.getProperty("enable.idempotence")).isEqualTo("true");
        assertThat(producer.getProperty("linger.ms")).isEqualTo("7");
    }

    @Test
    void shouldKeepTheConsumersGuaranteesWhateverThePipelineSays()
    {
        final Properties consumer = KafkaClientProperties.consumer(OVERRIDING);

        assertThat(consumer.getProperty("enable.auto.commit")).isEqualTo("false");
        assertThat(consumer.getProperty("isolation.level")).isEqualTo("read_committed");
        assertThat(consumer.getProperty("max.poll.records")).isEqualTo("123");
    }
}
