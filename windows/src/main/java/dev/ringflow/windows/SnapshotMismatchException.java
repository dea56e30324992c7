package dev.ringflow.windows;

import java.io.IOException;

/**
 * A snapshot does not fit the window it is loaded into: the pipeline changed since it was taken.
 */
public final class SnapshotMismatchException extends IOException
{
    private static final long serialVersionUID = 1L;

    public SnapshotMismatchException(final String message)
    {
        super(message);
    }
}
