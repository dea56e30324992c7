package dev.ringflow.engine;

/**
 * One preallocated ring-buffer slot: an input event from a source and, once the worker has run, what to
 * emit for it.
 * <p>
 * <b>Note:</b> Created once per ring position by the ring's event factory and reused forever. A source fills
 * the input fields, the worker sets the {@link #outcome()} and the output value, the sink reads them.
 * The Disruptor's sequence barriers order these hand-offs, so the fields need no volatile access.
 */
public final class EventSlot
{
    /** The worker produced an output record: key = {@link #key()}, value = {@link #value()}. */
    public static final int OUTCOME_OUTPUT = 1;
    /** The event was consumed and produced nothing (filtered out, or a window that did not fire). */
    public static final int OUTCOME_NONE = 2;
    /** The event could not be processed; {@link #errorReason()} says why, {@link #input()} holds it. */
    public static final int OUTCOME_DEAD_LETTER = 3;

    private final ByteSlice key = new ByteSlice();
    private final ByteSlice input = new ByteSlice();
    private final ByteSlice value = new ByteSlice();

    private String sourceTopic;
    private int sourcePartition;
    private long sourceOffset;
    private long timestampMs;

    private int outcome;
    private String errorReason;

    /**
     * Fills the input fields, copying key and value. Called by a source on the source thread.
     */
    public EventSlot input(
        final String topic,
        final int partition,
        final long offset,
        final long timestampMs,
        final byte[] key,
        final byte[] value)
    {
        this.sourceTopic = topic;
        this.sourcePartition = partition;
        this.sourceOffset = offset;
        this.timestampMs = timestampMs;
        this.key.set(key);
        this.input.set(value);
        this.outcome = 0;
        this.errorReason = null;
        return this;
    }

    public String sourceTopic()
    {
        return sourceTopic;
    }

    public int sourcePartition()
    {
        return sourcePartition;
    }

    public long sourceOffset()
    {
        return sourceOffset;
    }

    public long timestampMs()
    {
        return timestampMs;
    }

    /** The record key as received (null key = a null slice). */
    public ByteSlice key()
    {
        return key;
    }

    /** The record value as received; never modified by stages. */
    public ByteSlice input()
    {
        return input;
    }

    /** The working and finally the output value; stages rewrite it. */
    public ByteSlice value()
    {
        return value;
    }

    public int outcome()
    {
        return outcome;
    }

    public String errorReason()
    {
        return errorReason;
    }

    public void outcomeOutput()
    {
        outcome = OUTCOME_OUTPUT;
        errorReason = null;
    }

    public void outcomeNone()
    {
        outcome = OUTCOME_NONE;
        errorReason = null;
    }

    /**
     * Marks the event as bad input. {@code reason} should be a constant: this runs on the hot path.
     */
    public void outcomeDeadLetter(final String reason)
    {
        outcome = OUTCOME_DEAD_LETTER;
        errorReason = reason;
    }
}
