package dev.ringflow.io.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's HTTP endpoint: a live dashboard ({@code /}), Prometheus metrics ({@code /metrics}), health
 * ({@code /health/live}, {@code /health/ready}) and a JSON summary for {@code ringflow status} and the dashboard
 * ({@code /status.json}). More handlers can be added with {@link #handle(String, HttpHandler)}.
 * <pre>
 *  /, /dashboard   the dashboard: one HTML page that polls /status.json every second (no external requests)
 *  /metrics        Prometheus text (or OpenMetrics, by Accept header): pipelines' figures and the JVM's
 *  /health/live    200 {"status":"live"} while every pipeline's threads run; else 503 with a reason
 *  /health/ready   200 {"status":"ready"} once every pipeline is assigned, restored and connected; else 503
 *  /status.json    figures for a terminal summary: rates, lag, latency quantiles, ring, last commit
 * </pre>
 * <b>Note:</b> Binds loopback by default ({@link MetricsBind#DEFAULT}); every handler is read-only. One thread
 * answers requests ({@code ringflow-metrics-http}), another ({@code ringflow-metrics}) takes the workers' latency
 * intervals every second. Closing is idempotent.
 */
public final class MetricsServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    static final long SAMPLE_INTERVAL_MS = 1_000;

    private final HttpServer server;
    private final ExecutorService requests;
    private final ScheduledExecutorService sampler;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final List<PipelineMetrics> pipelines = new CopyOnWriteArrayList<>();
    private boolean closed;
    /** Why the daemon is not ready while no pipeline is registered. */
    private volatile String noPipelineReason = "starting: no pipeline is running yet";

    private MetricsServer(final HttpServer server)
    {
        this.server = server;
        registry.register(new PipelineCollector(() -> pipelines));
        server.createContext("/", new DashboardPage());
        JvmMetrics.builder().register(registry);
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/health/live", exchange -> health(exchange, "live", liveProblem()));
        server.createContext("/health/ready", exchange -> health(exchange, "ready", readyProblem()));
        server.createContext("/status.json", exchange ->
            reply(exchange, 200, StatusDocument.write(pipelines, readyProblem())));
        requests = Executors.newSingleThreadExecutor(task -> daemon(task, "ringflow-metrics-http"));
        server.setExecutor(requests);
        sampler = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "ringflow-metrics"));
        sampler.scheduleAtFixedRate(this::sample, SAMPLE_INTERVAL_MS, SAMPLE_INTERVAL_MS, TimeUnit.MILLISECONDS);
        server.start();
    }

    /**
     * Starts listening on {@code address} (port 0: any free port; see {@link #url()}).
     *
     * @throws UncheckedIOException when the address cannot be bound, saying what to do instead.
     */
    public static MetricsServer start(final InetSocketAddress address)
    {
        try
        {
            return new MetricsServer(HttpServer.create(address, 16));
        }
        catch (final BindException ex)
        {
            throw new UncheckedIOException("cannot serve metrics on " + address.getHostString() + ":" +
                address.getPort() + " (" + ex.getMessage() + "; is another daemon using the port?): choose " +
                "another with --metrics-bind HOST:PORT, HOST:0 for any free port, or --metrics-bind off", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot serve metrics on " + address + ": " + ex.getMessage(), ex);
        }
    }

    /** Where the endpoint answers, e.g. {@code http://127.0.0.1:9464}; the dashboard is at {@code url() + "/"}. */
    public URI url()
    {
        final InetSocketAddress address = server.getAddress();
        final String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" :
            address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
    }

    /** True when only this machine can connect: what a handler that changes anything must check first. */
    public boolean isLoopbackOnly()
    {
        return server.getAddress().getAddress().isLoopbackAddress();
    }

    /** The registry behind {@code /metrics}: other components (e.g. model versions) register collectors here. */
    public PrometheusRegistry registry()
    {
        return registry;
    }

    /** Serves {@code path} with {@code handler} on the request thread (keep it quick). */
    public void handle(final String path, final HttpHandler handler)
    {
        server.createContext(path, handler);
    }

    /** Adds a running pipeline: its figures appear in every view, and it must be ready for the daemon to be. */
    public void register(final PipelineMetrics pipeline)
    {
        pipelines.add(pipeline);
    }

    /**
     * Takes the pipeline named {@code name} out of every view, e.g. one that failed and is being started again;
     * until a pipeline is registered again the daemon is not ready, for {@code reason}.
     */
    public void remove(final String name, final String reason)
    {
        noPipelineReason = reason;
        pipelines.removeIf(pipeline -> pipeline.name().equals(name));
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        sampler.shutdownNow();
        server.stop(0);
        requests.shutdownNow();
    }

    private void sample()
    {
        for (final PipelineMetrics pipeline : pipelines)
        {
            try
            {
                pipeline.sample();
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("cannot sample the metrics of pipeline '{}'", pipeline.name(), ex);
            }
        }
    }

    private String liveProblem()
    {
        for (final PipelineMetrics pipeline : pipelines)
        {
            final String reason = pipeline.engine().notLiveReason();
            if (null != reason)
            {
                return prefixed(pipeline, reason);
            }
        }
        return null;
    }

    private String readyProblem()
    {
        if (pipelines.isEmpty())
        {
            return noPipelineReason;
        }
        for (final PipelineMetrics pipeline : pipelines)
        {
            final String reason = pipeline.notReadyReason();
            if (null != reason)
            {
                return prefixed(pipeline, reason);
            }
        }
        return null;
    }

    private String prefixed(final PipelineMetrics pipeline, final String reason)
    {
        return pipelines.size() == 1 ? reason : "pipeline '" + pipeline.name() + "': " + reason;
    }

    private static void health(final HttpExchange exchange, final String state, final String problem)
        throws IOException
    {
        final Json json = new Json().begin();
        if (null == problem)
        {
            json.field("status", state);
        }
        else
        {
            json.field("status", "not-" + state).field("reason", problem);
        }
        reply(exchange, null == problem ? 200 : 503, json.end().toString());
    }

    private static void reply(final HttpExchange exchange, final int status, final String json) throws IOException
    {
        try (exchange)
        {
            final byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }

    private static Thread daemon(final Runnable task, final String name)
    {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
