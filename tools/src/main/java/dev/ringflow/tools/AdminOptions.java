package dev.ringflow.tools;

import picocli.CommandLine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The admin endpoint's options, shared by {@code run} (which serves it) and {@code pipeline apply} (its client).
 */
final class AdminOptions
{
    private AdminOptions()
    {
    }

    /**
     * Parses {@code HOST:PORT} ({@code [v6]:PORT} for an IPv6 address), or {@code off}.
     *
     * @return null for {@code off}.
     * @throws CommandLine.ParameterException when it is neither.
     */
    static InetSocketAddress bindAddress(final Object command, final String value, final String option)
    {
        if ("off".equalsIgnoreCase(value.strip()))
        {
            return null;
        }
        final int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1)
        {
            throw usage(command, option + " " + value + ": expected HOST:PORT (e.g. 127.0.0.1:9465, port 0 for any free " +
                "port) or off");
        }
        final String host = value.substring(0, colon).replace("[", "").replace("]", "");
        final int port;
        try
        {
            port = Integer.parseInt(value.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw usage(command, option + " " + value + ": the port is not a number");
        }
        if (port < 0 || port > 65_535)
        {
            throw usage(command, option + " " + value + ": the port must be from 0 to 65535");
        }
        try
        {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        }
        catch (final UnknownHostException ex)
        {
            throw usage(command, option + " " + value + ": unknown host " + host);
        }
    }

    /**
     * Reads a token file: its content without surrounding whitespace.
     *
     * @return null when {@code file} is null.
     */
    static String readToken(final Object command, final Path file)
    {
        if (null == file)
        {
            return null;
        }
        final String token;
        try
        {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        catch (final IOException ex)
        {
            throw usage(command, "cannot read the token file " + file + ": " + ex);
        }
        if (token.isEmpty())
        {
            throw usage(command, "the token file " + file + " is empty");
        }
        return token;
    }

    private static CommandLine.ParameterException usage(final Object command, final String message)
    {
        return new CommandLine.ParameterException(new CommandLine(command), message);
    }
}
