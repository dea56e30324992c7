package dev.ringflow.io.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves the live dashboard, one self-contained HTML page ({@code dashboard.html} beside this class) that polls
 * {@code status.json} every second, at {@code /} and {@code /dashboard}; any other path that no handler claims gets
 * a 404 listing what the endpoint serves.
 * <p>
 * <b>Note:</b> The page is read once, at construction. Its Content-Security-Policy allows only inline code and
 * requests to this endpoint, so the browser itself enforces that the dashboard fetches nothing from elsewhere.
 */
final class DashboardPage implements HttpHandler
{
    static final String RESOURCE = "dashboard.html";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; " +
        "style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";
    private static final byte[] NOT_FOUND = ("Not found. This endpoint serves / (the dashboard), /metrics, " +
        "/health/live, /health/ready and /status.json.\n").getBytes(StandardCharsets.UTF_8);

    private final byte[] page;

    DashboardPage()
    {
        try (InputStream in = DashboardPage.class.getResourceAsStream(RESOURCE))
        {
            if (null == in)
            {
                throw new IllegalStateException("the dashboard page " + RESOURCE + " is missing from the " +
                    "classpath beside " + DashboardPage.class.getName() + ": the ringflow-io jar is incomplete");
            }
            page = in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the dashboard page " + RESOURCE, ex);
        }
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final String path = exchange.getRequestURI().getPath();
            final boolean dashboard = "/".equals(path) || "/dashboard".equals(path);
            final boolean head = "HEAD".equals(exchange.getRequestMethod());
            if (!head && !"GET".equals(exchange.getRequestMethod()))
            {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final byte[] body = dashboard ? page : NOT_FOUND;
            exchange.getResponseHeaders().set("Content-Type",
                dashboard ? "text/html; charset=utf-8" : "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (dashboard)
            {
                exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            }
            exchange.sendResponseHeaders(dashboard ? 200 : 404, head ? -1 : body.length);
            if (!head)
            {
                try (OutputStream out = exchange.getResponseBody())
                {
                    out.write(body);
                }
            }
        }
    }
}
