package dev.ringflow.broker;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The server properties of an {@link EmbeddedKafkaBroker}'s node: one KRaft broker and controller with PLAINTEXT
 * and CONTROLLER listeners on one host, every replication factor 1, then the listener of SASL users if asked for,
 * then the context's own properties over all of them.
 */
final class NodeProperties
{
    private NodeProperties()
    {
    }

    static Properties of(final EmbeddedKafkaBroker.Context context, final Path logDir, final int port,
        final int controllerPort, final SaslScramListener sasl)
    {
        final String host = context.host();
        final Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("num.partitions", Integer.toString(context.defaultPartitions()));
        props.put("auto.create.topics.enable", Boolean.toString(context.autoCreateTopics()));
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        if (null != sasl)
        {
            sasl.addTo(props);
        }
        props.putAll(context.properties());
        return props;
    }
}
