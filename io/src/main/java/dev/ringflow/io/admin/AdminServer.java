package dev.ringflow.io.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ringflow.engine.Engine;
import dev.ringflow.engine.PipelineChange;
import dev.ringflow.engine.PipelinePaths;
import dev.ringflow.engine.pipeline.PipelineValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The daemon's admin endpoint: {@code POST /pipeline} with a pipeline file as the body changes the running
 * pipeline's tasks (see {@link Engine#applyPipeline}); {@code ringflow pipeline apply} is its client.
 * <p>
 * Closed to the network by default: it binds a loopback address unless a token is configured, and with a token
 * every request must carry {@code Authorization: Bearer <token>}. Every change, accepted or not, is logged with the
 * address it came from and the file name the client gave.
 * <p>
 * Responses: 200 applied (the body says which tasks kept their state), 400 an invalid pipeline or a change of what
 * cannot change at runtime (the body lists every problem), 401 a missing or wrong token, 413 a body over
 * {@value #MAX_BODY_BYTES} bytes, 503 the pipeline is stopping, 504 accepted but not applied within the wait.
 * <p>
 * <b>Note:</b> One request at a time, on the server's own thread; nothing here touches the engine's threads.
 */
public final class AdminServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    /** A pipeline file is a few kilobytes; this bounds what a client can make the daemon hold. */
    static final int MAX_BODY_BYTES = 1 << 20;
    /** How long a request waits for the workers to reach the change. */
    private static final long APPLY_WAIT_MS = 30_000;
    /** The file, in the journal directory, that tells {@code ringflow pipeline apply} where the endpoint is. */
    public static final String URL_FILE = "admin.url";

    private final HttpServer server;
    private final Engine engine;
    private final byte[] token;
    private final Path urlFile;
    private final PipelinePaths paths;

    private AdminServer(final HttpServer server, final Engine engine, final byte[] token, final Path urlFile,
        final PipelinePaths paths)
    {
        this.paths = paths;
        this.server = server;
        this.engine = engine;
        this.token = token;
        this.urlFile = urlFile;
    }

    /**
     * Starts the endpoint.
     *
     * @param bind      where to listen; port 0 for any free port.
     * @param token     the token requests must carry, or null for none (then {@code bind} must be a loopback
     *                  address).
     * @param urlFileDir where to write {@value #URL_FILE} with the endpoint's URL (the journal directory), or null.
     * @param paths      what a posted file's relative paths are relative to: the running pipeline file's.
     * @throws IllegalArgumentException when {@code bind} is not loopback and there is no token.
     * @throws IOException              when the address cannot be bound.
     */
    public static AdminServer start(final InetSocketAddress bind, final String token, final Engine engine,
        final Path urlFileDir, final PipelinePaths paths) throws IOException
    {
        if (null == token && !bind.getAddress().isLoopbackAddress())
        {
            throw new IllegalArgumentException("the admin endpoint changes the running pipeline: it binds " +
                bind.getAddress().getHostAddress() + " (not a loopback address) only with a token " +
                "(--admin-token-file)");
        }
        if (null != token && token.isBlank())
        {
            throw new IllegalArgumentException("the admin token is empty");
        }
        final HttpServer server = HttpServer.create(bind, 8);
        server.setExecutor(Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "ringflow-admin");
            thread.setDaemon(true);
            return thread;
        }));
        final Path urlFile = null == urlFileDir ? null : urlFileDir.resolve(URL_FILE);
        final AdminServer admin = new AdminServer(server, engine,
            null == token ? null : token.strip().getBytes(StandardCharsets.UTF_8), urlFile, paths);
        server.createContext("/pipeline", admin::handlePipeline);
        server.start();
        if (null != urlFile)
        {
            Files.createDirectories(urlFileDir);
            final Path temporary = urlFileDir.resolve(URL_FILE + ".tmp");
            Files.writeString(temporary, admin.url() + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, urlFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        LOG.info("admin endpoint {} (ringflow pipeline apply){}", admin.url(),
            null == token ? ", loopback only" : ", token required");
        return admin;
    }

    /** The endpoint's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url()
    {
        final InetSocketAddress address = server.getAddress();
        final String host = address.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private void handlePipeline(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final String header = exchange.getRequestHeaders().getFirst("X-Ringflow-File");
            final String fileName = null == header || header.isBlank() ? "the posted pipeline" :
                header.replaceAll("[\\p{Cntrl}]", "?");
            final String origin = "admin endpoint, from " + exchange.getRemoteAddress().getAddress().getHostAddress() +
                " (" + fileName + ")";
            if (!"POST".equals(exchange.getRequestMethod()))
            {
                exchange.getResponseHeaders().add("Allow", "POST");
                respond(exchange, 405, "use POST with the pipeline file as the body\n");
                return;
            }
            if (!authorized(exchange))
            {
                LOG.warn("pipeline change refused: missing or wrong token, {}", origin);
                respond(exchange, 401, "missing or wrong token: send 'Authorization: Bearer <token>'\n");
                return;
            }
            final byte[] body = readBody(exchange.getRequestBody());
            if (null == body)
            {
                respond(exchange, 413, "the pipeline file is over " + MAX_BODY_BYTES + " bytes\n");
                return;
            }
            respondToChange(exchange, new PipelineChange(new String(body, StandardCharsets.UTF_8), fileName, origin,
                paths));
        }
    }

    private void respondToChange(final HttpExchange exchange, final PipelineChange change) throws IOException
    {
        try
        {
            final String report = engine.applyPipeline(change).get(APPLY_WAIT_MS, TimeUnit.MILLISECONDS);
            respond(exchange, 200, "applied: " + report + "\n");
        }
        catch (final PipelineValidationException ex)
        {
            LOG.warn("pipeline change from {} refused; the running pipeline goes on unchanged:\n{}", change.origin(),
                ex.getMessage());
            respond(exchange, 400, ex.getMessage() + "\n");
        }
        catch (final IllegalStateException ex)
        {
            respond(exchange, 503, ex.getMessage() + "\n");
        }
        catch (final ExecutionException ex)
        {
            respond(exchange, 503, "not applied: " + ex.getCause().getMessage() + "\n");
        }
        catch (final TimeoutException ex)
        {
            respond(exchange, 504, "accepted, but the workers did not reach it within " + APPLY_WAIT_MS +
                " ms; it applies when they do (see the daemon's log)\n");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            respond(exchange, 503, "interrupted\n");
        }
    }

    private boolean authorized(final HttpExchange exchange)
    {
        if (null == token)
        {
            return true;
        }
        final String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (null == header || !header.startsWith("Bearer "))
        {
            return false;
        }
        // Constant time, so that response times do not tell how much of a guess was right.
        return MessageDigest.isEqual(token, header.substring("Bearer ".length()).strip()
            .getBytes(StandardCharsets.UTF_8));
    }

    /** The body, or null when it is over the limit. */
    private static byte[] readBody(final InputStream in) throws IOException
    {
        final byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static void respond(final HttpExchange exchange, final int status, final String text) throws IOException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }

    /** Stops listening and removes the URL file. */
    @Override
    public void close()
    {
        server.stop(0);
        ((java.util.concurrent.ExecutorService)server.getExecutor()).shutdownNow();
        if (null != urlFile)
        {
            try
            {
                Files.deleteIfExists(urlFile);
            }
            catch (final IOException ex)
            {
                LOG.warn("cannot delete {}: {}", urlFile, ex.toString());
            }
        }
    }
}
