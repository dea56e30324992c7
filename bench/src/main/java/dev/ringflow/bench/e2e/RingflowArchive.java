package dev.ringflow.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The class-data archive (AppCDS) the {@code ringflow} script starts the daemon with: the harnesses start
 * {@code ringflow.jar run} on the same terms as a user who runs the script. Written next to the jar from
 * {@code tools/src/main/cds/ringflow.classlist} when missing or older than the jar or the list, with the command the
 * script uses.
 */
final class RingflowArchive
{
    private static final Path CLASS_LIST = Path.of("src", "main", "cds", "ringflow.classlist");
    private static final long DUMP_TIMEOUT_S = 120;

    private RingflowArchive()
    {
    }

    /**
     * The JVM options that start {@code jar} with its archive (writing it first when needed), or none when the jar's
     * module has no class list or the archive cannot be written (said on standard error).
     *
     * @param jar the jar as the JVM will be given it: the archive holds that path.
     */
    static synchronized List<String> jvmOptions(final Path jar)
    {
        final Path tools = jar.toAbsolutePath().getParent().getParent();
        final Path classList = tools.resolve(CLASS_LIST);
        final Path archive = jar.resolveSibling("ringflow.jsa");
        try
        {
            if (!Files.isRegularFile(classList))
            {
                return List.of();
            }
            if (!Files.isRegularFile(archive) || isOlder(archive, jar) || isOlder(archive, classList))
            {
                write(jar, classList, archive);
            }
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        }
        catch (final IOException | RuntimeException ex)
        {
            System.err.println("cannot write the class-data archive " + archive + " (" + ex.getMessage() +
                "); the daemon starts without it");
            return List.of();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static boolean isOlder(final Path file, final Path than) throws IOException
    {
        return Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) < 0;
    }

    private static void write(final Path jar, final Path classList, final Path archive)
        throws IOException, InterruptedException
    {
        final Path aside = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid());
        final Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + aside,
            "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-Xlog:gc+verify=off", "-cp", jar.toString())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!dump.waitFor(DUMP_TIMEOUT_S, TimeUnit.SECONDS))
        {
            dump.destroyForcibly();
            throw new IllegalStateException("the dump took over " + DUMP_TIMEOUT_S + " s");
        }
        if (dump.exitValue() != 0)
        {
            Files.deleteIfExists(aside);
            throw new IllegalStateException("java -Xshare:dump exited with " + dump.exitValue());
        }
        Files.move(aside, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
