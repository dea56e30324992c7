package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

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
