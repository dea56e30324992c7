package dev.ringflow.engine;

/**
 * One preallocated ring-buffer slot: an input event from a source (or a tick, commit marker, snapshot load or
 * pipeline change).
 * <p>
 * <b>Note:</b> Created once per ring position by the ring's event factory and reused forever. A source fills
 * it; workers and the journal only read it (what a worker produces goes to its own {@link OutputList}). The
 * Disruptor's sequence barriers order these hand-offs, so the fields need no volatile access.
 */
public final class EventSlot
{
    private final ByteSlice key = new ByteSlice();
    private final ByteSlice input = new ByteSlice();

    private boolean isTick;
    private boolean isCommitMarker;
    private boolean isReplayed;
    private boolean isSnapshotRestore;
    private boolean snapshotRequested;
    private boolean statePublishRequested;
    private boolean emits = true;
    private RuntimeChange change;
    private long idleMs;
    private long journalIndex = -1;
    private String sourceTopic;
    private int sourcePartition;
    private long sourceOffset;
    private long timestampMs;
    private long polledNs;
    private long sequence = -1;

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
        input(topic, partition, offset, timestampMs);
        this.key.set(key);
        this.input.set(value);
        return this;
    }

    /**
     * Fills the input coordinates and leaves key and value for the caller to set in place through {@link #key()}
     * and {@link #input()}: for readers that decode straight into the slot (the journal).
     */
    public EventSlot input(final String topic, final int partition, final long offset, final long timestampMs)
    {
        this.sourceTopic = topic;
        this.sourcePartition = partition;
        this.sourceOffset = offset;
        this.timestampMs = timestampMs;
        clearKind();
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
        clearKind();
        this.isTick = true;
        this.idleMs = idleMs;
        this.sourceTopic = null;
        this.sourcePartition = -1;
        this.sourceOffset = -1;
        this.key.setNull();
        this.input.setNull();
        return this;
    }

    /**
     * Makes the slot a live input that emits, not yet journaled: clears every flag of the other kinds of slot and of
     * replay, and the change, so that nothing of the slot's last use carries over. Both {@link #input} and
     * {@link #tick} start here.
     */
    private void clearKind()
    {
        this.isTick = false;
        this.isCommitMarker = false;
        this.isReplayed = false;
        this.isSnapshotRestore = false;
        this.snapshotRequested = false;
        this.statePublishRequested = false;
        this.emits = true;
        this.journalIndex = -1;
        this.change = null;
    }

    /**
     * Makes the slot a commit marker: no input, just the point at which a sink that commits the source's progress
     * with its output (see {@link Sink#commitsProgress()}) commits everything before it.
     */
    public EventSlot commitMarker()
    {
        tick(0);
        this.isTick = false;
        this.isCommitMarker = true;
        return this;
    }

    /**
     * Makes the slot a commit marker after which every worker also snapshots its state (once the commit is done).
     */
    public EventSlot commitMarkerWithSnapshot()
    {
        commitMarker();
        this.snapshotRequested = true;
        return this;
    }

    /**
     * Makes the slot an instruction to the workers: load the snapshot taken at {@code journalIndex} before the
     * replayed events that follow. Published by recovery; never journaled.
     */
    public EventSlot snapshotRestore(final long journalIndex)
    {
        tick(0);
        this.isTick = false;
        this.isSnapshotRestore = true;
        this.isReplayed = true;
        this.emits = false;
        this.journalIndex = journalIndex;
        return this;
    }

    /**
     * Makes the slot a runtime change (a new pipeline, a new model): every worker makes it here, between the events
     * before and after it. Journaled like an input, so that a replay makes it at the same event.
     */
    public EventSlot change(final RuntimeChange change)
    {
        tick(0);
        this.isTick = false;
        this.change = change;
        return this;
    }

    /**
     * Asks the workers, at this commit marker, to hand each input partition's state that changed since they last
     * did to the sink ({@link Sink#onPartitionState}) before the commit, for partition-scoped state.
     */
    public EventSlot requestStatePublish()
    {
        this.statePublishRequested = true;
        return this;
    }

    /** True for a commit marker at which partition state is published (see {@link #requestStatePublish()}). */
    public boolean isStatePublishRequested()
    {
        return statePublishRequested;
    }

    /**
     * Marks a live input as processed for its state only: another daemon emitted its outputs before this one took
     * its partition over (see {@link PartitionState}). Unlike {@link #replayed}, the input is journaled, as silent.
     */
    public EventSlot silent()
    {
        this.emits = false;
        return this;
    }

    /** True for a {@link #change} slot. */
    public boolean isChange()
    {
        return null != change;
    }

    /** The change a {@link #change} slot carries, else null. */
    public RuntimeChange change()
    {
        return change;
    }

    /** True for a commit marker after which the workers snapshot their state. */
    public boolean isSnapshotRequested()
    {
        return snapshotRequested;
    }

    /** True for a {@link #snapshotRestore} instruction. */
    public boolean isSnapshotRestore()
    {
        return isSnapshotRestore;
    }

    /**
     * Marks the slot as read back from the journal rather than received: it is not journaled again, and when
     * {@code emits} is false its outputs were already delivered before a crash, so the event only rebuilds state.
     */
    public EventSlot replayed(final boolean emits)
    {
        this.isReplayed = true;
        this.emits = emits;
        return this;
    }

    public boolean isTick()
    {
        return isTick;
    }

    public boolean isCommitMarker()
    {
        return isCommitMarker;
    }

    /** Where the journal put this event (or commit marker); -1 when it is not journaled. Set by the journal. */
    public long journalIndex()
    {
        return journalIndex;
    }

    public void journalIndex(final long journalIndex)
    {
        this.journalIndex = journalIndex;
    }

    /** True when the event came from the journal (recovery or replay), not from the source's live input. */
    public boolean isReplayed()
    {
        return isReplayed;
    }

    /** False when the event's outputs must not reach the sink (recovery of input whose output is committed). */
    public boolean emits()
    {
        return emits;
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

    /**
     * {@link System#nanoTime()} when the source fetched this input (for Kafka, when the poll that returned it
     * came back): where end-to-end latency starts. Stamped by {@link EventPublisher#tryClaim()}.
     */
    public long polledNs()
    {
        return polledNs;
    }

    void polledNs(final long polledNs)
    {
        this.polledNs = polledNs;
    }

    /**
     * The slot's position in the ring's order of everything published: larger is later. Stamped by
     * {@link EventPublisher#tryClaim()}; a sink fed by several workers can merge their outputs back into input order
     * with it.
     */
    public long sequence()
    {
        return sequence;
    }

    void sequence(final long sequence)
    {
        this.sequence = sequence;
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
}
