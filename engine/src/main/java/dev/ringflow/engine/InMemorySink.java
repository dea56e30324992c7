package dev.ringflow.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A sink that keeps what it is given in memory: tests, replays and embedding.
 * <p>
 * <b>Note:</b> Allocates per output (it copies keys and values); readers may call {@link #outputs()} from any
 * thread.
 */
public final class InMemorySink implements Sink
{
    /** One emitted record; {@code errorReason} is set for dead letters. */
    public record Output(byte[] key, byte[] value, String errorReason, String sourceTopic, int sourcePartition,
        long sourceOffset)
    {
        public String valueText()
        {
            return null == value ? null : new String(value, java.nio.charset.StandardCharsets.UTF_8);
        }

        public String keyText()
        {
            return null == key ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final List<Output> outputs = new ArrayList<>();
    private final List<Output> deadLetters = new ArrayList<>();
    private volatile boolean closed;

    @Override
    public void onOutput(final EventSlot slot)
    {
        final Output output = new Output(slot.key().toByteArray(), slot.value().toByteArray(), null,
            slot.sourceTopic(), slot.sourcePartition(), slot.sourceOffset());
        synchronized (outputs)
        {
            outputs.add(output);
        }
    }

    @Override
    public void onDeadLetter(final EventSlot slot)
    {
        final Output output = new Output(slot.key().toByteArray(), slot.input().toByteArray(), slot.errorReason(),
            slot.sourceTopic(), slot.sourcePartition(), slot.sourceOffset());
        synchronized (deadLetters)
        {
            deadLetters.add(output);
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

    public List<Output> outputs()
    {
        synchronized (outputs)
        {
            return new ArrayList<>(outputs);
        }
    }

    public List<Output> deadLetters()
    {
        synchronized (deadLetters)
        {
            return new ArrayList<>(deadLetters);
        }
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
}
