package dev.ringflow.tools;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the tests read from a daemon's log. */
final class DaemonLogs
{
    private static final Pattern TOTAL_IN = Pattern.compile("total in ([0-9,.\u00a0\u202f]+)");

    private DaemonLogs()
    {
    }

    /** The input count of the last status line in {@code log} (0 before the first). */
    static long totalIn(final String log)
    {
        final Matcher m = TOTAL_IN.matcher(log);
        long total = 0;
        while (m.find())
        {
            total = Long.parseLong(m.group(1).replaceAll("[^0-9]", ""));
        }
        return total;
    }

    /** The lines of a daemon log that say what happened: no status lines, no stack traces. */
    static String events(final String log)
    {
        return log.lines().filter(line -> !line.startsWith("\t") && !line.startsWith("Caused by") &&
            !line.contains(" INFO status - ") && !line.matches("\\s*\\.\\.\\. \\d+ more"))
            .collect(Collectors.joining("\n"));
    }
}
