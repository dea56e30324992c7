package dev.ringflow.engine;

/**
 * Output could not be written; the engine stops without acknowledging the input behind it.
 */
public final class SinkException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public SinkException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
