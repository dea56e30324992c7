package dev.ringflow.engine.expr;

/**
 * A node that evaluates to UTF-8 bytes, left in its {@link #bytes}, {@link #offset} and {@link #length} fields
 * for its parent to read.
 * <p>
 * <b>Note:</b> Allocation free in steady state: nodes that build strings own a buffer that only grows. Returns
 * an empty string as its placeholder when it fails.
 */
abstract class StringNode extends Node
{
    static final byte[] EMPTY = new byte[0];

    byte[] bytes = EMPTY;
    int offset;
    int length;

    /**
     * Evaluates into {@link #bytes}, {@link #offset} and {@link #length}, which stay valid until this node is
     * evaluated again, whatever else is evaluated meanwhile.
     */
    abstract void evalString(FieldValues event, EvalContext context);

    /**
     * Evaluates like {@link #evalString} into a result that may point into the event's own bytes, so is valid
     * only until the event is next asked about another field: for a parent that reads the result at once.
     */
    void evalTransient(final FieldValues event, final EvalContext context)
    {
        evalString(event, context);
    }

    /**
     * Sets the result, storing the array reference only when it changes: a reference store into a node (an old
     * object) costs a GC write barrier, with a memory fence under G1, and the array is usually the same each time.
     */
    final void result(final byte[] bytes, final int offset, final int length)
    {
        if (this.bytes != bytes)
        {
            this.bytes = bytes;
        }
        this.offset = offset;
        this.length = length;
    }

    @Override
    final FieldType type()
    {
        return FieldType.STRING;
    }
}
