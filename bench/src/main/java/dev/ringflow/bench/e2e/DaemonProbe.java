package dev.ringflow.bench.e2e;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the soak reads from the running daemon: its heap through its own {@link MemoryMXBean} (a local JMX
 * connection opened with the attach API, as {@code jcmd} and JConsole attach), its resident set from
 * {@code /proc/<pid>/status}, and its figures from its metrics endpoint.
 * <p>
 * Live heap is the heap in use right after {@link MemoryMXBean#gc()}: a full, stop-the-world collection (what
 * {@code jcmd <pid> GC.run} does), after which only reachable objects remain. The endpoint's
 * {@code jvm_memory_used_bytes{area="heap"}} would include whatever garbage the last young collections left in the
 * old generation. Attaching once keeps the harness from starting a {@code jcmd} JVM on these two cores every
 * sample.
 * <p>
 * <b>Note:</b> Used by one thread.
 */
final class DaemonProbe implements AutoCloseable
{
    private static final double MB = 1024.0 * 1024.0;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
    private static final String LAG_METRIC = "ringflow_consumer_lag_records";
    private static final String EVENTS_IN_METRIC = "ringflow_events_in_total";

    private final long pid;
    private final String endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
    private JMXConnector jmx;
    private MemoryMXBean memory;
    private MBeanServerConnection connection;

    /** The heap around one forced collection, in MB, and how long the collection took. */
    record Heap(double usedBeforeMb, double liveMb, double gcMs)
    {
    }

    /**
     * @param endpoint the daemon's metrics endpoint, {@code http://host:port}.
     */
    DaemonProbe(final long pid, final String endpoint)
    {
        this.pid = pid;
        this.endpoint = endpoint;
    }

    /** Forces a full collection in the daemon and reads its heap before and after. */
    Heap heap() throws IOException
    {
        connect();
        final double before = memory.getHeapMemoryUsage().getUsed() / MB;
        final long startNs = System.nanoTime();
        memory.gc();
        final double gcMs = (System.nanoTime() - startNs) / 1e6;
        return new Heap(before, memory.getHeapMemoryUsage().getUsed() / MB, gcMs);
    }

    /**
     * The daemon's class histogram ({@code jcmd <pid> GC.class_histogram}: live objects per class, after a full
     * collection).
     */
    String classHistogram() throws IOException
    {
        connect();
        try
        {
            return (String)connection.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[] { new String[0] }, new String[] { String[].class.getName() });
        }
        catch (final JMException ex)
        {
            throw new IOException("cannot take the class histogram of " + pid + ": " + ex, ex);
        }
    }

    /** A field of {@code /proc/<pid>/status} in MB ({@code VmRSS}, {@code RssAnon}), or NaN where unavailable. */
    double statusMb(final String field) throws IOException
    {
        final Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.isReadable(status))
        {
            return Double.NaN;
        }
        for (final String line : Files.readAllLines(status))
        {
            if (line.startsWith(field + ":"))
            {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /**
     * The journal's mapped chunks: Chronicle maps a queue file in chunks (64 MB plus an overlap), and keeps the
     * file's first chunk mapped besides the one being written (and the next while it moves on), so their written
     * pages stay resident while mapped. From {@code /proc/<pid>/smaps}: the
     * resident size and the number of mappings of {@code .cq4} files, or NaN and -1 where it cannot be read.
     */
    JournalMaps journalMaps() throws IOException
    {
        final Path smaps = Path.of("/proc", Long.toString(pid), "smaps");
        if (!Files.isReadable(smaps))
        {
            return new JournalMaps(Double.NaN, -1);
        }
        long residentKb = 0;
        int mappings = 0;
        boolean journal = false;
        for (final String line : Files.readAllLines(smaps))
        {
            if (!line.isEmpty() && Character.digit(line.charAt(0), 16) >= 0 && line.indexOf('-') > 0 &&
                line.indexOf(' ') > line.indexOf('-'))
            {
                journal = line.endsWith(".cq4");
                mappings += journal ? 1 : 0;
            }
            else if (journal && line.startsWith("Rss:"))
            {
                residentKb += Long.parseLong(line.substring(4).replace("kB", "").trim());
            }
        }
        return new JournalMaps(residentKb / 1024.0, mappings);
    }

    /** The journal's mapped chunks: their resident MB and how many there are. */
    record JournalMaps(double residentMb, int mappings)
    {
    }

    /** True when {@code /health/ready} answers 200. */
    boolean ready()
    {
        try
        {
            return get("/health/ready").statusCode() == 200;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** The sum of the daemon's {@code ringflow_consumer_lag_records}, or -1 when it reports none yet. */
    long consumerLag() throws IOException
    {
        final double lag = sumOf(LAG_METRIC);
        return Double.isNaN(lag) ? -1 : (long)lag;
    }

    /** The daemon's {@code ringflow_events_in_total}, or NaN before it reports it. */
    double eventsIn() throws IOException
    {
        return sumOf(EVENTS_IN_METRIC);
    }

    /** Closes the JMX connection; idempotent, and quiet when the daemon is already gone. */
    @Override
    public void close()
    {
        if (null != jmx)
        {
            try
            {
                jmx.close();
            }
            catch (final IOException ex)
            {
                // The daemon has exited: nothing is left to close on its side.
            }
            jmx = null;
            memory = null;
        }
    }

    private void connect() throws IOException
    {
        if (null != memory)
        {
            return;
        }
        final String address;
        try
        {
            final VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try
            {
                address = vm.startLocalManagementAgent();
            }
            finally
            {
                vm.detach();
            }
        }
        catch (final AttachNotSupportedException ex)
        {
            throw new IOException("cannot attach to the daemon " + pid + " (same user? -XX:+DisableAttachMechanism?): " +
                ex.getMessage(), ex);
        }
        jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
        connection = jmx.getMBeanServerConnection();
        memory = ManagementFactory.newPlatformMXBeanProxy(connection, ManagementFactory.MEMORY_MXBEAN_NAME,
            MemoryMXBean.class);
    }

    /** Sums every sample of a metric in the endpoint's text format, or NaN when it has none. */
    /** The sum of the samples of metric {@code name}, with or without labels; NaN when the daemon reports none. */
    double sumOf(final String name) throws IOException
    {
        final HttpResponse<String> response = get("/metrics");
        if (response.statusCode() != 200)
        {
            throw new IOException(endpoint + "/metrics answered " + response.statusCode());
        }
        double sum = Double.NaN;
        for (final String line : response.body().split("\n"))
        {
            if (line.startsWith(name) && line.length() > name.length() &&
                (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' '))
            {
                final double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sum = Double.isNaN(sum) ? value : sum + value;
            }
        }
        return sum;
    }

    private HttpResponse<String> get(final String path) throws IOException
    {
        try
        {
            return http.send(HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(HTTP_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + endpoint + path, ex);
        }
    }
}
