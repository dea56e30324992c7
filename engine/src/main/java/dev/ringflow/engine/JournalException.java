package dev.ringflow.engine;

/**
 * The journal cannot be written or read: the engine stops before anything it does not hold is emitted or
 * acknowledged.
 */
public final class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    public JournalException(final String message)
    {
        super(message);
    }
}
