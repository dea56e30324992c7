package dev.ringflow.broker;

import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The local resources an {@link EmbeddedKafkaBroker} node takes: its ports and its formatted log directory.
 */
final class NodeResources
{
    private NodeResources()
    {
    }

    /** Formats {@code logDir} as a KRaft node's log directory with {@code props}, unless it already is one. */
    static void formatIfNeeded(final Path logDir, final Properties props) throws IOException
    {
        if (Files.exists(logDir.resolve("meta.properties")))
        {
            return;
        }
        final Path config = Files.createTempFile("ringflow-kafka-", ".properties");
        try
        {
            try (var out = Files.newOutputStream(config))
            {
                props.store(out, "ringflow embedded broker");
            }
            final ByteArrayOutputStream output = new ByteArrayOutputStream();
            final int status;
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8))
            {
                status = StorageTool.execute(new String[] {
                    "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString() }, print);
            }
            if (status != 0)
            {
                throw new IOException("formatting " + logDir + " failed: " + output.toString(StandardCharsets.UTF_8));
            }
        }
        finally
        {
            Files.deleteIfExists(config);
        }
    }

    /** Creates {@code dir} if needed and checks that it is writable. */
    static Path prepareDir(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        if (!Files.isWritable(dir))
        {
            throw new IOException("directory " + dir + " is not writable");
        }
        return dir;
    }

    /** A port nothing listens on now. */
    static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** {@code port}, after checking that nothing on {@code host} accepts connections on it. */
    static int checkFree(final String host, final int port) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(host, port), 200);
            throw new IOException("port " + port + " on " + host + " is already in use");
        }
        catch (final java.net.ConnectException | java.net.SocketTimeoutException ex)
        {
            return port;
        }
    }

    /** Deletes {@code dir} and everything in it, as far as it can. */
    static void deleteRecursively(final Path dir)
    {
        try (var paths = Files.walk(dir))
        {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.deleteIfExists(path);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // Best effort: a leftover temp directory is not worth failing a close for.
        }
    }
}
