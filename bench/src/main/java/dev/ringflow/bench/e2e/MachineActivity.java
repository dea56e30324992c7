package dev.ringflow.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What else used the machine during a harness run: the CPU time every other process (not this JVM, not the
 * processes it launched) used between {@link #begin()} and its last {@link #sample()}, read through
 * {@link ProcessHandle}, plus the machine's facts (cores, memory, load average). A process that exits between two
 * samples is charged up to the earlier one, so sample between the harness's phases.
 * <p>
 * <b>Note:</b> Used by one thread.
 */
final class MachineActivity
{
    private static final int COMMAND_CHARS = 110;

    private final Map<Long, Duration> cpuAtBegin = new HashMap<>();
    private final Map<Long, Duration> cpuAtLastSample = new HashMap<>();
    private final Map<Long, String> commands = new HashMap<>();
    private final String loadAtBegin;

    private MachineActivity(final String loadAtBegin)
    {
        this.loadAtBegin = loadAtBegin;
    }

    static MachineActivity begin()
    {
        final MachineActivity activity = new MachineActivity(loadAverage());
        ProcessHandle.allProcesses().forEach(process ->
            activity.cpuAtBegin.put(process.pid(), process.info().totalCpuDuration().orElse(Duration.ZERO)));
        return activity;
    }

    /** Notes every live process's CPU time and command line. */
    void sample()
    {
        ProcessHandle.allProcesses().forEach(process ->
        {
            final ProcessHandle.Info info = process.info();
            cpuAtLastSample.put(process.pid(), info.totalCpuDuration().orElse(Duration.ZERO));
            commands.computeIfAbsent(process.pid(), pid -> describe(pid, info));
        });
    }

    String loadAtBegin()
    {
        return loadAtBegin;
    }

    /**
     * @param ownPids the processes the harness launched (they are measured, not "something else").
     * @return one line per other process that used more than {@code threshold} of CPU since {@link #begin()}:
     * CPU seconds, pid and command line (shortened), busiest first.
     */
    List<String> othersBusierThan(final Duration threshold, final Set<Long> ownPids)
    {
        sample();
        final long self = ProcessHandle.current().pid();
        final List<Map.Entry<Duration, String>> busy = new ArrayList<>();
        for (final Map.Entry<Long, Duration> last : cpuAtLastSample.entrySet())
        {
            final long pid = last.getKey();
            if (pid == self || ownPids.contains(pid))
            {
                continue;
            }
            final Duration used = last.getValue().minus(cpuAtBegin.getOrDefault(pid, Duration.ZERO));
            if (used.compareTo(threshold) > 0)
            {
                final String command = commands.getOrDefault(pid, "?");
                busy.add(Map.entry(used, String.format(Locale.ROOT, "%.0f CPU s, pid %d: `%s`",
                    used.toMillis() / 1e3, pid, command)));
            }
        }
        busy.sort(Map.Entry.<Duration, String>comparingByKey().reversed());
        final List<String> lines = new ArrayList<>();
        for (final Map.Entry<Duration, String> entry : busy)
        {
            lines.add(entry.getValue());
        }
        return lines;
    }

    /**
     * {@link #othersBusierThan} without directories (working or in arguments): reports are meant to be committed,
     * and those are this machine's.
     */
    List<String> othersForReport(final Duration threshold, final Set<Long> ownPids)
    {
        return othersBusierThan(threshold, ownPids).stream()
            .map(line -> line.replaceAll("` in `[^`]*`", "`").replaceAll("(?<=[\\s`])(/[^\\s`/]+)+/", "")).toList();
    }

    /**
     * @return what a process runs, recognisably: for a JVM the jar or main class and its first argument instead of
     * the JVM flags, then the working directory (which checkout it runs in).
     */
    private static String describe(final long pid, final ProcessHandle.Info info)
    {
        final String[] args = info.arguments().orElse(new String[0]);
        String what = info.commandLine().orElse(info.command().orElse("?"));
        if (info.command().orElse("").endsWith("java"))
        {
            for (int i = 0; i < args.length; i++)
            {
                final String arg = args[i];
                if (arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path"))
                {
                    i++;
                }
                else if (arg.equals("-jar") || !arg.startsWith("-"))
                {
                    final StringBuilder main = new StringBuilder("java");
                    for (int j = i; j < Math.min(args.length, i + 3); j++)
                    {
                        main.append(' ').append(args[j]);
                    }
                    what = main.toString();
                    break;
                }
            }
        }
        if (what.length() > COMMAND_CHARS)
        {
            what = what.substring(0, COMMAND_CHARS) + "...";
        }
        String cwd = "?";
        try
        {
            cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).toString();
        }
        catch (final IOException | RuntimeException ex)
        {
            // Not Linux, or the process is gone.
        }
        return what.replace('`', '\'') + "` in `" + cwd.replace('`', '\'');
    }

    /** @return the first three fields of {@code /proc/loadavg} (1, 5 and 15 minutes), or "?" elsewhere. */
    static String loadAverage()
    {
        final String text = readProc("/proc/loadavg");
        if (null == text)
        {
            return "?";
        }
        final String[] fields = text.trim().split("\\s+");
        return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : text.trim();
    }

    /** @return total memory in GiB from {@code /proc/meminfo}, or -1 elsewhere. */
    static double memoryGib()
    {
        final String text = readProc("/proc/meminfo");
        if (null != text)
        {
            for (final String line : text.split("\n"))
            {
                if (line.startsWith("MemTotal:"))
                {
                    final String kib = line.substring("MemTotal:".length()).replace("kB", "").trim();
                    return Long.parseLong(kib) / (1024.0 * 1024.0);
                }
            }
        }
        return -1;
    }

    private static String readProc(final String file)
    {
        try
        {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }
}
