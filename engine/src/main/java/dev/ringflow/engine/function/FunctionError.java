package dev.ringflow.engine.function;

/**
 * A user function threw an {@link Error}: the worker stops, the engine fails, and the daemon exits 1 with this
 * message, which names the function. Ordinary exceptions from a function dead-letter the record instead.
 */
public final class FunctionError extends Error
{
    private static final long serialVersionUID = 1L;

    public FunctionError(final String className, final Error cause)
    {
        super("function " + className + " threw " + cause, cause);
    }
}
