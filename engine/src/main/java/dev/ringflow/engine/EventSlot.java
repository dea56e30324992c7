package dev.ringflow.engine;

/**
 * One preallocated ring-buffer slot: an input event from a source and, once the worker has run, the records it
 * produced.
 * <p>
 * <b>Note:</b> Created once per ring position by the ring's event factory and reused forever. A source fills
 * the input fields, the worker fills {@link #outputs()}, the sink reads them. The Disruptor's sequence barriers
 * order these hand-offs, so the fields need no volatile access.
 */
public final class EventSlot
{
    private final ByteSlice key = new ByteSlice();
    private final ByteSlice input = new ByteSlice();
    private final OutputList outputs = new OutputList();

    private boolean isTick;
    private long idleMs;
    private String sourceTopic;
    private int sourcePartition;
    private long sourceOffset;
    private long timestampMs;

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
        this.outputs.clear();
        this.isTick = false;
        return this;
    }

    /**
     * Makes the slot a tick instead of an input: the engine publishes one when no input has arrived for a while,
     * so that event-time windows can advance their watermark on processing time.
     *
     * @param idleMs wall-clock time since the last input was published.
     */
    public EventSlot tick(final long idleMs)
    {
        this.isTick = true;
        this.idleMs = idleMs;
        this.sourceTopic = null;
        this.sourcePartition = -1;
        this.sourceOffset = -1;
        this.key.setNull();
        this.input.setNull();
        this.outputs.clear();
        return this;
    }

    public boolean isTick()
    {
        return isTick;
    }

    /** For a tick: wall-clock ms since the last input. */
    public long idleMs()
    {
        return idleMs;
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

    /** The record's timestamp as the source gave it (for Kafka, the record timestamp in ms). */
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

    /** What processing this event produced. */
    public OutputList outputs()
    {
        return outputs;
    }

    /**
     * Records the event as bad input: a dead letter with the input as received. {@code reason} should be a
     * constant: this runs on the hot path.
     */
    public void deadLetter(final String reason)
    {
        final int index = outputs.add(OutputList.DEAD_LETTER, timestampMs, reason);
        outputs.key(index).set(key);
        outputs.value(index).set(input);
    }

    /** The first dead letter's reason, or null: for logging. */
    public String errorReason()
    {
        for (int i = 0; i < outputs.size(); i++)
        {
            if (outputs.kind(i) == OutputList.DEAD_LETTER)
            {
                return outputs.reason(i);
            }
        }
        return null;
    }
}
