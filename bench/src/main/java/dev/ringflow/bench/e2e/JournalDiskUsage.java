package dev.ringflow.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The size of a journal directory on disk: the files' lengths and the blocks they occupy ({@code du}), which
 * differ because Chronicle Queue grows its memory-mapped files in sparse chunks.
 */
final class JournalDiskUsage
{
    private JournalDiskUsage()
    {
    }

    /** @return e.g. "1,234.5 MiB in 3 files (1,100.2 MiB allocated on disk, du)", or why it is unknown. */
    static String describe(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return "no journal directory";
        }
        long files = 0;
        long bytes = 0;
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.filter(Files::isRegularFile).toList())
            {
                files++;
                bytes += Files.size(path);
            }
        }
        catch (final IOException ex)
        {
            return "unknown (" + ex.getMessage() + ")";
        }
        final long allocated = allocatedBytes(dir);
        return String.format(Locale.ROOT, "%,.1f MiB in %d files (%s allocated on disk, `du`)", bytes / 1048576.0,
            files, allocated < 0 ? "unknown" : String.format(Locale.ROOT, "%,.1f MiB", allocated / 1048576.0));
    }

    /** @return what {@code du -s -B1} says, or -1 when it cannot be run. */
    private static long allocatedBytes(final Path dir)
    {
        try
        {
            final Process du = new ProcessBuilder("du", "-s", "-B1", dir.toString()).redirectErrorStream(true).start();
            final String output = new String(du.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!du.waitFor(30, TimeUnit.SECONDS) || 0 != du.exitValue())
            {
                return -1;
            }
            return Long.parseLong(output.split("\\s+")[0]);
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
