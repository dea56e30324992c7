package dev.ringflow.engine.expr;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The outcome of one evaluation of an {@link Expression}: whether it failed and why, and the value of a string
 * expression.
 * <p>
 * <b>Note:</b> Not thread-safe; one per worker, reused for every evaluation. Each {@code Expression.evalX} call
 * resets it first.
 * <p>
 * <b>Note:</b> Allocation free in steady state: failure reasons are strings built when the expression was
 * compiled, and the string buffer only grows, to the longest string result seen.
 */
public final class EvalContext
{
    private static final int INITIAL_CAPACITY = 64;

    private String failure;
    private byte[] stringBytes = new byte[INITIAL_CAPACITY];
    private int stringLength;

    /**
     * Forgets the last evaluation's outcome.
     */
    public void reset()
    {
        failure = null;
        stringLength = 0;
    }

    /**
     * @return true if the last evaluation failed on its event's data: its value is then meaningless.
     */
    public boolean failed()
    {
        return null != failure;
    }

    /**
     * @return why the last evaluation failed, e.g. {@code field 'amount' is missing}, or null if it did not.
     */
    public String failure()
    {
        return failure;
    }

    /**
     * @return the UTF-8 bytes of the last string result, from index 0; valid until the next evaluation.
     */
    public byte[] stringBytes()
    {
        return stringBytes;
    }

    public int stringLength()
    {
        return stringLength;
    }

    /**
     * @return the last string result decoded; allocates, so for tests and tools rather than the hot path.
     */
    public String stringValue()
    {
        return new String(stringBytes, 0, stringLength, StandardCharsets.UTF_8);
    }

    /**
     * Records a failure unless one is recorded already: the first failure in evaluation order is the reason.
     */
    void fail(final String reason)
    {
        if (null == failure)
        {
            failure = reason;
        }
    }

    void setString(final byte[] bytes, final int offset, final int length)
    {
        if (length > stringBytes.length)
        {
            stringBytes = Arrays.copyOf(stringBytes, Math.max(length, 2 * stringBytes.length));
        }
        System.arraycopy(bytes, offset, stringBytes, 0, length);
        stringLength = length;
    }
}
