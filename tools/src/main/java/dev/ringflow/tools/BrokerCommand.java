package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringflow broker}: a single-node Kafka broker in the foreground.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a real single-node Kafka broker (KRaft mode, from the Kafka libraries inside this jar) in the " +
            "foreground until SIGTERM or Ctrl-C.",
        "For trying Ringflow without a Kafka installation; not tuned or secured for production." },
    footer = {
        "",
        "Example:",
        "  ringflow broker --port 9092 --dir /var/tmp/kafka-data" })
final class BrokerCommand implements Callable<Integer>
{
    @Option(names = "--port", paramLabel = "N", defaultValue = "9092",
        description = "Port for Kafka clients on 127.0.0.1 (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Data directory, kept after exit so topics survive restarts. Default: a temporary " +
            "directory deleted on exit.")
    private Path dir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
        description = "Partitions of auto-created topics. Default: ${DEFAULT-VALUE}.")
    private int partitions;

    @Override
    public Integer call() throws InterruptedException
    {
        if (port < 0 || port > 65535 || partitions < 1)
        {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "--port must be 0..65535 and --partitions >= 1");
        }
        final ShutdownSignals signals = new ShutdownSignals();
        final EmbeddedKafkaBroker.Context context = new EmbeddedKafkaBroker.Context()
            .port(port)
            .logDir(dir)
            .defaultPartitions(partitions);
        try (EmbeddedKafkaBroker broker = startBroker(context))
        {
            System.out.println("Kafka broker ready on " + broker.bootstrapServers() + " (data in " +
                broker.logDir() + (null == dir ? ", deleted on exit" : "") + "). Ctrl-C to stop.");
            System.out.flush();
            while (!signals.await(1, TimeUnit.SECONDS))
            {
                // Serving until a signal arrives.
            }
            System.out.println("stopping the broker");
        }
        return RingflowCommand.EXIT_OK;
    }

    private static EmbeddedKafkaBroker startBroker(final EmbeddedKafkaBroker.Context context)
    {
        try
        {
            return EmbeddedKafkaBroker.start(context);
        }
        catch (final RuntimeException ex)
        {
            throw new CommandFailedException("cannot start the broker: " + ex.getMessage(), ex);
        }
    }
}
