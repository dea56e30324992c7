package dev.ringflow.tools;

import dev.ringflow.io.kafka.KafkaClientProperties;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka connection options shared by the client commands.
 */
final class KafkaOptions
{
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,HOST:PORT...]",
        defaultValue = KafkaClientProperties.DEFAULT_BOOTSTRAP_SERVERS,
        description = "Kafka to connect to. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = { "-X", "--property" }, paramLabel = "KEY=VALUE",
        description = "Extra Kafka client property (security.protocol, sasl.*, ssl.*, ...); repeatable.")
    Map<String, String> properties = new LinkedHashMap<>();

    Map<String, String> clientProperties()
    {
        final Map<String, String> props = new LinkedHashMap<>(properties);
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }
}
