package dev.ringflow.io.kafka;

import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * Secrets stay out of pipeline files: Kafka's config providers pass through {@code kafka.*} to every client
     * Ringflow makes (consumer, producer, admin), which resolve {@code ${file:...}} themselves; the properties keep
     * only the reference.
     */
    @Test
    void shouldPassConfigProvidersThroughToEveryClient(@TempDir final Path dir) throws Exception
    {
        final Path secrets = Files.writeString(dir.resolve("kafka-secrets.properties"), "password=s3cret-value\n");
        final String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ringflow\" " +
            "password=\"${file:" + secrets + ":password}\";";
        final PipelineSpec spec = PipelineBuilder.named("p").source("in").format("{value}").sink("out")
            .kafkaProperty("security.protocol", "SASL_SSL")
            .kafkaProperty("sasl.mechanism", "SCRAM-SHA-512")
            .kafkaProperty("sasl.jaas.config", jaas)
            .kafkaProperty("config.providers", "file")
            .kafkaProperty("config.providers.file.class",
                "org.apache.kafka.common.config.provider.FileConfigProvider")
            .build();

        final Properties producer = KafkaClientProperties.producer(spec);
        final Properties consumer = KafkaClientProperties.consumer(spec);
        final Properties admin = KafkaClientProperties.admin(spec.kafka());

        assertThat(List.of(producer, consumer, admin)).allSatisfy(props ->
        {
            assertThat(props.getProperty("sasl.jaas.config")).doesNotContain("s3cret-value");
            assertThat(props.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        });
        assertThat(new ProducerConfig(producer).getPassword("sasl.jaas.config").value()).contains("s3cret-value");
        assertThat(new ConsumerConfig(consumer).getPassword("sasl.jaas.config").value()).contains("s3cret-value");
        assertThat(new AdminClientConfig(admin).getPassword("sasl.jaas.config").value()).contains("s3cret-value");
        assertThat(new ProducerConfig(producer).getPassword("sasl.jaas.config").toString()).isEqualTo("[hidden]");
    }
}
