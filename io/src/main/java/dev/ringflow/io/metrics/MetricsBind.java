package dev.ringflow.io.metrics;

import java.net.InetSocketAddress;

/**
 * Reads the {@code --metrics-bind} value: {@code host:port}, {@code :port} (loopback), or {@code off}/{@code none}.
 */
public final class MetricsBind
{
    /** The documented default: loopback only, the port Prometheus exporters commonly use. */
    public static final String DEFAULT = "127.0.0.1:9464";

    private MetricsBind()
    {
    }

    /**
     * @return the address to listen on, or null for no endpoint.
     * @throws IllegalArgumentException with what was expected, for a value that is neither.
     */
    public static InetSocketAddress parse(final String value)
    {
        final String text = value.trim();
        if (text.equalsIgnoreCase("off") || text.equalsIgnoreCase("none"))
        {
            return null;
        }
        final int colon = text.lastIndexOf(':');
        if (colon < 0)
        {
            throw new IllegalArgumentException("expected HOST:PORT (e.g. " + DEFAULT + "; port 0 for any free " +
                "port) or 'off', was '" + value + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try
        {
            port = Integer.parseInt(text.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("the port of '" + value + "' is not a number");
        }
        if (port < 0 || port > 65_535)
        {
            throw new IllegalArgumentException("the port of '" + value + "' must be from 0 to 65535");
        }
        return new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port);
    }
}
