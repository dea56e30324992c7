package dev.ringflow.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time (user + system) a process has used so far, read from {@code /proc/<pid>/stat}: fields 14
 * ({@code utime}) and 15 ({@code stime}), in clock ticks of {@code getconf CLK_TCK} a second. They include the
 * threads that have already ended, not the process's children.
 * <p>
 * <b>Note:</b> Linux only; stateless and thread-safe.
 */
final class ProcessCpu
{
    /** What {@code CLK_TCK} is on every Linux that {@code getconf} cannot be asked on. */
    static final long DEFAULT_TICKS_PER_SECOND = 100;
    private static final int UTIME_FIELD = 14;
    private static final int STIME_FIELD = 15;
    /** The first field after the command name, which is in parentheses and may hold spaces and parentheses. */
    private static final int STATE_FIELD = 3;

    private final long ticksPerSecond;

    private ProcessCpu(final long ticksPerSecond)
    {
        this.ticksPerSecond = ticksPerSecond;
    }

    /** Asks {@code getconf CLK_TCK} once for the tick length. */
    static ProcessCpu create()
    {
        return new ProcessCpu(clockTicksPerSecond());
    }

    long ticksPerSecond()
    {
        return ticksPerSecond;
    }

    /**
     * @return CPU seconds (user + system) process {@code pid} has used since it started.
     * @throws IllegalStateException when the process is gone (or this is not Linux).
     */
    double seconds(final long pid)
    {
        final Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try
        {
            return (double)ticks(Files.readString(stat, StandardCharsets.US_ASCII)) / ticksPerSecond;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + stat + " (has process " + pid + " exited?): " + ex, ex);
        }
    }

    /**
     * @param statLine the contents of a {@code /proc/<pid>/stat} file.
     * @return {@code utime + stime} in clock ticks.
     * @throws IllegalArgumentException when the line is not a stat line.
     */
    static long ticks(final String statLine)
    {
        // The command name (field 2) may contain anything, ")" included: the fields resume after the last ")".
        final int commandEnd = statLine.lastIndexOf(')');
        if (commandEnd < 0)
        {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line (no command name): '" + statLine + "'");
        }
        final String[] fields = statLine.substring(commandEnd + 1).trim().split("\\s+");
        if (fields.length <= STIME_FIELD - STATE_FIELD)
        {
            throw new IllegalArgumentException("a /proc/<pid>/stat line with " + (fields.length + 2) +
                " fields, expected at least " + STIME_FIELD + ": '" + statLine + "'");
        }
        try
        {
            return Long.parseLong(fields[UTIME_FIELD - STATE_FIELD]) +
                Long.parseLong(fields[STIME_FIELD - STATE_FIELD]);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("utime or stime is not a number in '" + statLine + "'", ex);
        }
    }

    /** @return the output of {@code getconf CLK_TCK}, or {@link #DEFAULT_TICKS_PER_SECOND} if it cannot run. */
    static long clockTicksPerSecond()
    {
        try
        {
            final Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            final String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(10, TimeUnit.SECONDS) && 0 == getconf.exitValue())
            {
                return parseTicksPerSecond(out);
            }
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            // No getconf: the default below.
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_TICKS_PER_SECOND;
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not a positive integer.
     */
    static long parseTicksPerSecond(final String text)
    {
        final long ticks;
        try
        {
            ticks = Long.parseLong(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("getconf CLK_TCK printed '" + text + "', not a number", ex);
        }
        if (ticks < 1)
        {
            throw new IllegalArgumentException("getconf CLK_TCK printed " + ticks);
        }
        return ticks;
    }
}
