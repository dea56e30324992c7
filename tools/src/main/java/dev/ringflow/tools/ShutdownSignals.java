package dev.ringflow.tools;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM and SIGINT into a graceful stop: the first signal releases {@link #await}, so the command can
 * drain and exit 0; a second one exits at once with 128 + the signal number.
 * <p>
 * <b>Note:</b> Replaces the JVM's default handlers, so a signal does not by itself run shutdown hooks.
 */
final class ShutdownSignals
{
    private final CountDownLatch signalled = new CountDownLatch(1);
    private volatile String received;

    ShutdownSignals()
    {
        handle("TERM", 15);
        handle("INT", 2);
    }

    /**
     * @return true when a signal arrived within the timeout.
     */
    boolean await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return signalled.await(timeout, unit);
    }

    boolean isSignalled()
    {
        return signalled.getCount() == 0;
    }

    /** The signal that arrived (TERM or INT), or null. */
    String received()
    {
        return received;
    }

    private void handle(final String name, final int number)
    {
        Signal.handle(new Signal(name), signal ->
        {
            if (null != received)
            {
                System.err.println("ringflow: second SIG" + name + ", exiting without draining");
                Runtime.getRuntime().halt(128 + number);
            }
            received = name;
            signalled.countDown();
        });
    }
}
