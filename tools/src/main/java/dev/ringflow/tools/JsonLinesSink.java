package dev.ringflow.tools;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.Sink;
import dev.ringflow.engine.SinkException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes each record as one JSON line, in the order the engine emits them:
 * <pre>{"topic":"aggregated-topic","key":"k-1","value":"15","timestamp":1700000000123}</pre>
 * {@code topic} is the topic the live daemon writes the record to (output, dead-letter or late topic), so a
 * replay can be compared with what the daemon produced, topic by topic and key by key.
 */
final class JsonLinesSink implements Sink
{
    private final OutputStream out;
    private final boolean closeStream;
    private final String topic;
    private final String deadLetterTopic;
    private final String lateTopic;
    private final StringBuilder line = new StringBuilder(256);
    private long written;

    JsonLinesSink(final OutputStream out, final boolean closeStream, final String topic, final String deadLetterTopic,
        final String lateTopic)
    {
        this.out = out;
        this.closeStream = closeStream;
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.lateTopic = lateTopic;
    }

    @Override
    public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
        final String reason, final EventSlot source)
    {
        line.setLength(0);
        line.append("{\"topic\":");
        JsonLines.appendString(line,
            kind == OutputList.OUTPUT ? topic : kind == OutputList.ROUTED ? reason :
                kind == OutputList.DEAD_LETTER ? deadLetterTopic : lateTopic);
        line.append(",\"key\":");
        JsonLines.appendString(line, key);
        line.append(",\"value\":");
        JsonLines.appendString(line, value);
        line.append(",\"timestamp\":").append(timestampMs);
        if (null != reason && kind != OutputList.ROUTED)
        {
            line.append(",\"reason\":");
            JsonLines.appendString(line, reason);
        }
        line.append("}\n");
        try
        {
            out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new SinkException("cannot write replay output: " + ex.getMessage(), ex);
        }
        written++;
    }

    long written()
    {
        return written;
    }

    @Override
    public void onEndOfBatch()
    {
    }

    @Override
    public void flush()
    {
        try
        {
            out.flush();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close()
    {
        flush();
        if (closeStream)
        {
            try
            {
                out.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
