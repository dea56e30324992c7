package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every test of the real daemon on the embedded broker holds: a directory of its own, the broker and the daemon
 * process, both stopped after each test whatever happened (the daemon killed first, so that it does not spend its
 * last seconds retrying a broker that is gone).
 */
abstract class DaemonTest
{
    @TempDir
    Path dir;

    EmbeddedKafkaBroker broker;
    Process daemon;

    /** A daemon's log file as it is now: empty before it exists, the reason when it cannot be read. */
    static String readLog(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            return "cannot read the log: " + ex;
        }
    }

    @AfterEach
    void stopDaemonAndBroker()
    {
        if (null != daemon)
        {
            daemon.destroyForcibly();
        }
        if (null != broker)
        {
            broker.close();
        }
    }
}
