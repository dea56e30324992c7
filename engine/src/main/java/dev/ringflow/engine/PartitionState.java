package dev.ringflow.engine;

import java.util.Objects;

/**
 * An input partition's state taken over from its previous owner, or given up, with partition-scoped state
 * ({@code state.scope: partition}): the worker that owns the partition makes the change at this point of the
 * stream, and the journal records it there (with the state's bytes), so that a replay rebuilds the same state.
 * <ul>
 * <li>{@link #takeOver}: from here on the partition's input is processed on top of {@link #state()} (null: empty
 * state), which covers its input up to {@link #coveredOffset()} (exclusive); the input from there is sent
 * again.</li>
 * <li>{@link #giveUp}: the partition's state, if it changed since it was last published, is handed to the sink
 * ({@link Sink#onPartitionState}) to be committed with the next commit marker, then dropped.</li>
 * </ul>
 * <p>
 * <b>Note:</b> Immutable; made on the source thread, applied on a worker.
 */
public final class PartitionState extends RuntimeChange
{
    private final boolean takeOver;
    private final String topic;
    private final int partition;
    private final long coveredOffset;
    private final byte[] state;
    private final long unjournaledBytes;

    private PartitionState(final boolean takeOver, final String topic, final int partition, final long coveredOffset,
        final byte[] state, final String origin, final long unjournaledBytes)
    {
        super(origin);
        this.takeOver = takeOver;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.coveredOffset = coveredOffset;
        this.state = state;
        this.unjournaledBytes = unjournaledBytes;
    }

    /**
     * @param state what {@link Sink#onPartitionState} was given by the previous owner; null to start empty.
     */
    public static PartitionState takeOver(final String topic, final int partition, final long coveredOffset,
        final byte[] state, final String origin)
    {
        return new PartitionState(true, topic, partition, coveredOffset, state, origin, 0);
    }

    /**
     * A take-over read back from a journal that could not hold its state ({@code bytes} bytes, more than a journal
     * record takes): it cannot be made again.
     */
    public static PartitionState unjournaledTakeOver(final String topic, final int partition,
        final long coveredOffset, final long bytes, final String origin)
    {
        return new PartitionState(true, topic, partition, coveredOffset, null, origin, bytes);
    }

    /** For a take-over read back from a journal: the size of the state it did not hold; 0 when it holds it. */
    public long unjournaledBytes()
    {
        return unjournaledBytes;
    }

    public static PartitionState giveUp(final String topic, final int partition, final String origin)
    {
        return new PartitionState(false, topic, partition, -1, null, origin, 0);
    }

    /** True for a take-over, false for a give-up. */
    public boolean isTakeOver()
    {
        return takeOver;
    }

    public String topic()
    {
        return topic;
    }

    public int partition()
    {
        return partition;
    }

    /** For a take-over: the first offset the state does not cover; -1 for a give-up. */
    public long coveredOffset()
    {
        return coveredOffset;
    }

    /** For a take-over: the state's bytes, or null for empty state. Not copied: do not modify. */
    public byte[] state()
    {
        return state;
    }

    @Override
    public String toString()
    {
        return (takeOver ? "take over " : "give up ") + topic + "-" + partition +
            (takeOver ? " at offset " + coveredOffset + " with " + (unjournaledBytes > 0 ? unjournaledBytes +
            " bytes of state (too large for the journal)" : null == state ? "empty state" :
            state.length + " bytes of state") : "");
    }
}
