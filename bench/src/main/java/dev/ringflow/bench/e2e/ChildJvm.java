package dev.ringflow.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM the end-to-end harness launches (the broker, a scenario), with its output written to a log file of its
 * own, so that its CPU time can be read from {@code /proc} apart from the harness's and everyone else's.
 * <p>
 * <b>Note:</b> Launched, read and stopped by the harness's thread.
 */
final class ChildJvm implements AutoCloseable
{
    /** What the {@code ringflow} launcher script passes to every JVM it starts. */
    static final String LAUNCHER_FLAG = "-XX:+ExitOnOutOfMemoryError";
    /**
     * The JIT thresholds the {@code ringflow} script starts Ringflow with (its {@code jit} array): the harnesses start
     * the daemon with them, the baselines (pass-through loops, Kafka Streams, the broker) with the JVM's defaults.
     */
    static final List<String> LAUNCHER_JIT_FLAGS = List.of("-XX:Tier4InvocationThreshold=20000",
        "-XX:Tier4CompileThreshold=25000", "-XX:Tier4MinInvocationThreshold=6000");
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
    private static final long LOG_CHECK_INTERVAL_MS = 20;

    private final String name;
    private final Process process;
    private final long launchNs;
    private final Path logFile;

    private ChildJvm(final String name, final Process process, final long launchNs, final Path logFile)
    {
        this.name = name;
        this.process = process;
        this.launchNs = launchNs;
        this.logFile = logFile;
    }

    /**
     * Launches {@code java <jvmOptions> <args...>}, with this JVM's {@code java}, standard output and error written
     * to {@code logFile} (replaced).
     *
     * @param name what the child is, for messages.
     */
    static ChildJvm launch(final String name, final List<String> jvmOptions, final List<String> args,
        final Path logFile) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(args);
        Files.deleteIfExists(logFile);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(logFile.toFile());
        // The clock starts as the process is asked for, so the scenario's time includes the JVM's start.
        final long launchNs = System.nanoTime();
        return new ChildJvm(name, builder.start(), launchNs, logFile);
    }

    String name()
    {
        return name;
    }

    long launchNs()
    {
        return launchNs;
    }

    long pid()
    {
        return process.pid();
    }

    Path logFile()
    {
        return logFile;
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /** @throws IllegalStateException when the process has exited, naming its exit code and log. */
    void checkAlive(final String waitingFor)
    {
        if (!process.isAlive())
        {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + " while waiting for " +
                waitingFor + "; see " + logFile);
        }
    }

    /**
     * Waits for the first line of the log that {@code pattern} finds.
     *
     * @return the pattern's group 1 in that line.
     * @throws IllegalStateException when the process exits or {@code timeout} passes first.
     */
    String awaitLogLine(final Pattern pattern, final Duration timeout) throws IOException
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final Matcher matcher = pattern.matcher(Files.readString(logFile, StandardCharsets.UTF_8));
            if (matcher.find())
            {
                return matcher.group(1);
            }
            checkAlive("a log line matching '" + pattern + "'");
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException(name + " did not log a line matching '" + pattern + "' within " +
                    timeout.toSeconds() + " s; see " + logFile);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(LOG_CHECK_INTERVAL_MS));
        }
    }

    /**
     * SIGTERM, then waits for the exit (SIGKILL after {@link #STOP_TIMEOUT}).
     *
     * @return the exit code.
     */
    int stop() throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(name + " did not exit within " + STOP_TIMEOUT.toSeconds() +
                " s of SIGTERM; killed. See " + logFile);
        }
        return process.exitValue();
    }

    /** SIGKILL if still running: for the way out after a failure. */
    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
    }
}
