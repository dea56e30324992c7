package dev.ringflow.bench.e2e;

import dev.ringflow.bench.journal.ChronicleFlags;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code ringflow run} daemon as a child JVM ({@code java -jar ringflow.jar}, as a user runs it), its output
 * appended to a log file that a tail thread follows to note when milestone lines first appear, in
 * {@link System#nanoTime()} terms (to within {@value #TAIL_INTERVAL_MS} ms): pipeline start, journal opened,
 * partitions assigned and the end of journal recovery.
 * <p>
 * <b>Note:</b> Launched and stopped by one harness thread; the milestones are written by the tail thread and
 * read through volatile fields.
 */
final class DaemonProcess implements AutoCloseable
{
    static final long TAIL_INTERVAL_MS = 1;
    static final String STARTING_LINE = "starting pipeline";
    static final String JOURNAL_OPEN_LINE = "ChronicleJournal - journal ";
    static final String ASSIGNED_LINE = "partitions assigned";
    static final String RECOVERED_LINE = "recovered from journal";

    private final Process process;
    private final long launchNs;
    private final Thread tail;
    private volatile long journalOpenNs;
    private volatile long startingNs;
    private volatile long assignedNs;
    private volatile long recoveredNs;
    private volatile String recoveredLine;

    private DaemonProcess(final Process process, final long launchNs, final Path logFile, final long logOffset)
    {
        this.process = process;
        this.launchNs = launchNs;
        tail = new Thread(() -> tailLog(logFile, logOffset), "daemon-log-tail");
        tail.setDaemon(true);
        tail.start();
    }

    /**
     * Launches {@code java <Chronicle flags> -jar jar run args...}; the daemon's standard output and error are
     * appended to {@code logFile}.
     */
    static DaemonProcess launch(final Path jar, final List<String> runArgs, final Path logFile) throws IOException
    {
        return launch(jar, List.of(), runArgs, logFile);
    }

    /**
     * Launches {@code java <Chronicle flags> <jvmOptions> -jar jar run args...}, as
     * {@code RINGFLOW_JAVA_OPTS="<jvmOptions>" ./ringflow run args...} would.
     */
    static DaemonProcess launch(final Path jar, final List<String> jvmOptions, final List<String> runArgs,
        final Path logFile) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ChronicleFlags.JVM_OPTIONS);
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("run");
        command.addAll(runArgs);
        if (!runArgs.contains("--metrics-bind"))
        {
            // Harnesses start several daemons, one after another or at once: each on a free metrics port.
            command.addAll(List.of("--metrics-bind", "127.0.0.1:0"));
        }
        final long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        final long launchNs = System.nanoTime();
        return new DaemonProcess(builder.start(), launchNs, logFile, logOffset);
    }

    long launchNs()
    {
        return launchNs;
    }

    /** @return when a line containing {@link #STARTING_LINE} appeared, or 0 if none has. */
    long startingNs()
    {
        return startingNs;
    }

    /** @return when the line containing {@link #JOURNAL_OPEN_LINE} appeared, or 0 if none has. */
    long journalOpenNs()
    {
        return journalOpenNs;
    }

    /** @return when the first line containing {@link #ASSIGNED_LINE} appeared, or 0 if none has. */
    long assignedNs()
    {
        return assignedNs;
    }

    /** @return when the line containing {@link #RECOVERED_LINE} appeared, or 0 if none has. */
    long recoveredNs()
    {
        return recoveredNs;
    }

    /** @return the recovery line, or null before it appeared. */
    String recoveredLine()
    {
        return recoveredLine;
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    long pid()
    {
        return process.pid();
    }

    /** SIGKILL: a crash, nothing flushed or committed on the way out. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        awaitExit();
    }

    /**
     * SIGTERM: the daemon drains, commits and exits.
     *
     * @return its exit code.
     */
    int stop() throws InterruptedException
    {
        process.destroy();
        return awaitExit();
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
    }

    private int awaitExit() throws InterruptedException
    {
        if (!process.waitFor(2, TimeUnit.MINUTES))
        {
            process.destroyForcibly();
            throw new IllegalStateException("daemon " + process.pid() + " did not exit within 2 minutes");
        }
        // The milestones must be complete before anyone reads them.
        tail.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    /**
     * Follows the log file from where this daemon's output starts, every {@value #TAIL_INTERVAL_MS} ms, until the
     * process has exited and its last bytes are read. (Reading the process's pipe instead loses the last lines: the
     * JDK swaps the pipe's stream when the process exits, racing a blocked reader into "Stream closed".)
     */
    private void tailLog(final Path logFile, final long fromOffset)
    {
        final StringBuilder line = new StringBuilder();
        final byte[] buffer = new byte[8192];
        long offset = fromOffset;
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r"))
        {
            boolean exited = false;
            while (true)
            {
                // Check for exit before reading, so the read after the exit is complete.
                exited = exited || !process.isAlive();
                int read;
                file.seek(offset);
                while ((read = file.read(buffer)) > 0)
                {
                    offset += read;
                    final long nowNs = System.nanoTime();
                    for (int i = 0; i < read; i++)
                    {
                        final char c = (char)(buffer[i] & 0xFF);
                        if ('\n' == c)
                        {
                            onLine(line.toString(), nowNs);
                            line.setLength(0);
                        }
                        else
                        {
                            line.append(c);
                        }
                    }
                }
                if (exited)
                {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TAIL_INTERVAL_MS));
            }
        }
        catch (final IOException ex)
        {
            System.err.println("DaemonProcess: cannot follow " + logFile + ": " + ex);
        }
    }

    private void onLine(final String line, final long nowNs)
    {
        if (0 == startingNs && line.contains(STARTING_LINE))
        {
            startingNs = nowNs;
        }
        else if (0 == journalOpenNs && line.contains(JOURNAL_OPEN_LINE))
        {
            journalOpenNs = nowNs;
        }
        else if (0 == assignedNs && line.contains(ASSIGNED_LINE))
        {
            assignedNs = nowNs;
        }
        else if (0 == recoveredNs && line.contains(RECOVERED_LINE))
        {
            recoveredLine = line;
            recoveredNs = nowNs;
        }
    }
}
