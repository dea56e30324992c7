package dev.ringflow.tools;

/**
 * A command could not do its job for a reason the user can act on; printed as one line, exit code 1.
 */
final class CommandFailedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    CommandFailedException(final String message)
    {
        super(message);
    }

    CommandFailedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
