package dev.ringflow.broker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class EmbeddedKafkaBrokerTest
{
    @Test
    void shouldServeAConsumerGroupAndCleanUpOnClose()
    {
        final long startNs = System.nanoTime();
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
        System.out.printf("broker ready in %d ms%n", (System.nanoTime() - startNs) / 1_000_000);
        final Path dir = broker.logDir();
        try
        {
            broker.createTopic("t", 3);
            broker.createTopic("t", 3);
            final Map<String, List<String>> sent = new HashMap<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(broker)))
            {
                for (int i = 0; i < 1_000; i++)
                {
                    final String key = "k" + (i % 10);
                    producer.send(new ProducerRecord<>("t", key, Integer.toString(i)));
                    sent.computeIfAbsent(key, k -> new ArrayList<>()).add(Integer.toString(i));
                }
            }
            final Map<String, List<String>> received = new HashMap<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(broker)))
            {
                consumer.subscribe(List.of("t"));
                final long deadlineMs = System.currentTimeMillis() + 60_000;
                int count = 0;
                while (count < 1_000)
                {
                    if (System.currentTimeMillis() > deadlineMs)
                    {
                        fail("received only " + count + " records within 60 s");
                    }
                    for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100)))
                    {
                        received.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                        count++;
                    }
                }
            }
            assertThat(received).isEqualTo(sent);
            assertThatThrownBy(() -> broker.createTopic("t", 2)).hasMessageContaining("exists with 3 partitions");
        }
        finally
        {
            broker.close();
            broker.close();
        }
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void shouldNameThePortThatIsAlreadyInUse()
    {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()))
        {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context().port(first.port())))
                .hasMessageContaining("port " + first.port() + " on 127.0.0.1 is already in use");
        }
    }

    @Test
    void shouldKeepTopicsInAGivenDirectoryAcrossRestarts(@org.junit.jupiter.api.io.TempDir final Path dir)
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context().logDir(dir)))
        {
            broker.createTopic("kept", 2);
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context().logDir(dir)))
        {
            broker.createTopic("kept", 2);
            assertThatThrownBy(() -> broker.createTopic("kept", 1)).hasMessageContaining("exists with 2 partitions");
        }
        assertThat(Files.exists(dir.resolve("meta.properties"))).isTrue();
    }

    @Test
    @Timeout(120)
    void shouldLetTheScramUserInOverSaslSslAndRefuseAWrongPasswordOrAnUntrustedCertificate()
    {
        final long startNs = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context()
            .saslScramUser("ringflow", "right-password")))
        {
            System.out.printf("broker with SASL ready in %d ms%n", (System.nanoTime() - startNs) / 1_000_000);
            broker.createTopic("secured", 1);
            final Properties right = producerProps(broker);
            right.putAll(saslProps(broker, "ringflow", "right-password"));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(right))
            {
                assertThat(producer.send(new ProducerRecord<>("secured", "k", "v")).get(30, TimeUnit.SECONDS)
                    .offset()).isZero();
            }
            assertThat(broker.saslBootstrapServers()).isNotEqualTo(broker.bootstrapServers())
                .isEqualTo(right.getProperty("bootstrap.servers"));

            try (Admin admin = Admin.create(saslProps(broker, "ringflow", "wrong-password")))
            {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
            }
            final Properties untrusted = saslProps(broker, "ringflow", "right-password");
            untrusted.keySet().removeIf(key -> key.toString().startsWith("ssl.truststore."));
            try (Admin admin = Admin.create(untrusted))
            {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .as("the JDK's own truststore does not trust the broker's self-signed certificate")
                    .hasCauseInstanceOf(SslAuthenticationException.class);
            }
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    @Timeout(10)
    void shouldRefuseASaslUserWithoutAPassword()
    {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context().saslScramUser("u", "")))
            .hasMessageContaining("needs a user name and a password");
    }

    private static Properties saslProps(final EmbeddedKafkaBroker broker, final String user, final String password)
    {
        final Properties props = new Properties();
        props.putAll(broker.saslClientProperties());
        props.put("sasl.jaas.config", EmbeddedKafkaBroker.scramJaasConfig(user, password));
        return props;
    }

    private static Properties producerProps(final EmbeddedKafkaBroker broker)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static Properties consumerProps(final EmbeddedKafkaBroker broker)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-group");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }
}
