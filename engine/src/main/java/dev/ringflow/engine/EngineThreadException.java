package dev.ringflow.engine;

/**
 * An engine thread died of something no handler expected (an {@link Error} such as {@link OutOfMemoryError}, or a
 * bug): the engine stops, and the daemon exits 1.
 */
public final class EngineThreadException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    EngineThreadException(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    static EngineThreadException died(final String threadName, final String when, final Throwable cause)
    {
        return new EngineThreadException("engine thread " + threadName + " died " + when + ": " + cause, cause);
    }
}
