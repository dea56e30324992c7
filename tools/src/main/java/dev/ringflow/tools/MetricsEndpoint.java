package dev.ringflow.tools;

import dev.ringflow.io.kafka.KafkaPipeline;
import dev.ringflow.io.metrics.MetricsBind;
import dev.ringflow.io.metrics.MetricsServer;
import dev.ringflow.io.metrics.PipelineMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * Starts the metrics and health endpoint for the {@code --metrics-bind} option of {@code run} and {@code demo}.
 */
final class MetricsEndpoint
{
    private static final Logger LOG = LoggerFactory.getLogger("ringflow.metrics");

    private MetricsEndpoint()
    {
    }

    /**
     * @return the running endpoint, or null when {@code bind} is {@code off}/{@code none}.
     * @throws IllegalArgumentException for a value that is not an address.
     * @throws CommandFailedException when the address cannot be bound (port taken), saying what to do.
     */
    static MetricsServer start(final String bind)
    {
        final InetSocketAddress address = MetricsBind.parse(bind);
        if (null == address)
        {
            return null;
        }
        final MetricsServer server;
        try
        {
            server = MetricsServer.start(address);
        }
        catch (final UncheckedIOException ex)
        {
            throw new CommandFailedException(ex.getMessage(), ex);
        }
        LOG.info("dashboard on {}/, metrics on {}/metrics, health on {}/health/ready (ringflow status --url {})",
            server.url(), server.url(), server.url(), server.url());
        if (!server.isLoopbackOnly())
        {
            LOG.warn("the metrics endpoint listens on {}, beyond this machine: it is read-only, but shows topic " +
                "names and figures to anyone who can connect", address);
        }
        return server;
    }

    /** Registers each pipeline started with the endpoint; null for no endpoint. */
    static KafkaPipeline.StartListener listener(final MetricsServer server)
    {
        if (null == server)
        {
            return null;
        }
        return (engine, source, sink, journalDir) -> server.register(
            new PipelineMetrics(engine, source, sink, journalDir));
    }
}
