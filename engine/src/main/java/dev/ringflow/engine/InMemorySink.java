package dev.ringflow.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink that keeps what it is given in memory: tests, replays and embedding.
 * <p>
 * <b>Note:</b> Allocates per record (it copies keys and values); readers may call the accessors from any thread.
 */
public final class InMemorySink implements Sink
{
    /** One emitted record; {@code reason} is set for dead letters and late elements. */
    public record Output(int kind, byte[] key, byte[] value, long timestampMs, String reason, String sourceTopic,
        int sourcePartition, long sourceOffset)
    {
        public String valueText()
        {
            return null == value ? null : new String(value, StandardCharsets.UTF_8);
        }

        public String keyText()
        {
            return null == key ? null : new String(key, StandardCharsets.UTF_8);
        }

        /** The dead letter's or late element's reason. */
        public String errorReason()
        {
            return reason;
        }
    }

    /** One input partition's state handed to the sink (see {@link Sink#onPartitionState}). */
    public record PublishedState(String topic, int partition, long coveredOffset, byte[] state)
    {
    }

    private final List<Output> records = new ArrayList<>();
    private final List<PublishedState> states = new ArrayList<>();
    private volatile boolean closed;

    @Override
    public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
        final String reason, final EventSlot source)
    {
        final Output output = new Output(kind, key.toByteArray(), value.toByteArray(), timestampMs, reason,
            source.sourceTopic(), source.sourcePartition(), source.sourceOffset());
        synchronized (records)
        {
            records.add(output);
        }
    }

    @Override
    public void onPartitionState(final String topic, final int partition, final long coveredOffset,
        final byte[] state)
    {
        synchronized (states)
        {
            states.add(new PublishedState(topic, partition, coveredOffset, state));
        }
    }

    /** Partition state handed to this sink, in order. */
    public List<PublishedState> partitionStates()
    {
        synchronized (states)
        {
            return new ArrayList<>(states);
        }
    }

    @Override
    public void onEndOfBatch()
    {
    }

    @Override
    public void flush()
    {
    }

    /** Everything emitted (results, routed records, dead letters, late elements), in emission order. */
    public List<Output> all()
    {
        synchronized (records)
        {
            return new ArrayList<>(records);
        }
    }

    /** Results, in emission order. */
    public List<Output> outputs()
    {
        return ofKind(OutputList.OUTPUT);
    }

    /** Bad input, in emission order. */
    public List<Output> deadLetters()
    {
        return ofKind(OutputList.DEAD_LETTER);
    }

    /** Late elements, in emission order. */
    public List<Output> late()
    {
        return ofKind(OutputList.LATE);
    }

    public boolean isClosed()
    {
        return closed;
    }

    @Override
    public void close()
    {
        closed = true;
    }

    private List<Output> ofKind(final int kind)
    {
        final List<Output> selected = new ArrayList<>();
        synchronized (records)
        {
            for (final Output output : records)
            {
                if (output.kind() == kind)
                {
                    selected.add(output);
                }
            }
        }
        return selected;
    }
}
