package dev.ringflow.models.score;

/**
 * A model file that cannot be used: unreadable, of an unknown or unsupported format, malformed, over a limit, or not
 * fitting the pipeline's features. The message names the file and, where it applies, the tree and node at fault.
 * <p>
 * <b>Note:</b> thrown only while loading or binding a model, never by scoring.
 */
public final class ModelException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, starting with the file's name.
     */
    public ModelException(final String message)
    {
        super(message);
    }

    /**
     * @param message what is wrong, starting with the file's name.
     * @param cause   the parser's or the file system's exception.
     */
    public ModelException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
