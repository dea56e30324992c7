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
 * <p>
 * With one worker the lines go straight to the stream. With several, each worker's lines are spooled apart and
 * merged into the order of the inputs that caused them when the sink closes ({@link SequencedSpool}), so that the
 * same journal gives the same bytes however the workers' threads interleaved.
 * <p>
 * <b>Note:</b> {@link #onRecord} is called on the worker threads, {@link #flush()} on the source thread.
 */
final class JsonLinesSink implements Sink
{
    private final OutputStream out;
    private final boolean closeStream;
    private final String topic;
    private final String deadLetterTopic;
    private final String lateTopic;
    /** Null with one worker, whose thread then owns {@link #line}. */
    private final SequencedSpool spool;
    private final ThreadLocal<SpoolLane> lanes;
    private final StringBuilder line = new StringBuilder(256);
    /** Read after the engine has stopped, which orders it after the workers' writes. */
    private long written;

    /**
     * @param workers how many worker threads call {@link #onRecord}.
     */
    JsonLinesSink(final OutputStream out, final boolean closeStream, final String topic, final String deadLetterTopic,
        final String lateTopic, final int workers) throws IOException
    {
        this.out = out;
        this.closeStream = closeStream;
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.lateTopic = lateTopic;
        spool = workers > 1 ? new SequencedSpool() : null;
        lanes = workers > 1 ? ThreadLocal.withInitial(this::newLane) : null;
    }

    @Override
    public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
        final String reason, final EventSlot source)
    {
        if (null != spool)
        {
            final SpoolLane lane = lanes.get();
            format(lane.line, kind, key, value, timestampMs, reason);
            try
            {
                lane.writer.write(source.sequence(), lane.line.toString().getBytes(StandardCharsets.UTF_8));
            }
            catch (final IOException ex)
            {
                throw new SinkException("cannot spool replay output: " + ex.getMessage(), ex);
            }
            return;
        }
        format(line, kind, key, value, timestampMs, reason);
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

    private void format(final StringBuilder line, final int kind, final ByteSlice key, final ByteSlice value,
        final long timestampMs, final String reason)
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
    }

    private SpoolLane newLane()
    {
        try
        {
            return new SpoolLane(spool.newWriter());
        }
        catch (final IOException ex)
        {
            throw new SinkException("cannot spool replay output: " + ex.getMessage(), ex);
        }
    }

    long written()
    {
        return written;
    }

    @Override
    public void onEndOfBatch()
    {
    }

    /** With several workers the lines wait in the spool until {@link #close()}: only one worker's stream flushes. */
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
        if (null != spool)
        {
            // The engine closes its sink once every worker has stopped: the spools are complete.
            try (SequencedSpool merged = spool)
            {
                written = merged.mergeTo(out);
            }
            catch (final IOException ex)
            {
                throw new SinkException("cannot merge the spooled replay output: " + ex.getMessage(), ex);
            }
        }
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

    /** One worker's line buffer and spool file. */
    private record SpoolLane(StringBuilder line, SequencedSpool.Writer writer)
    {
        SpoolLane(final SequencedSpool.Writer writer)
        {
            this(new StringBuilder(256), writer);
        }
    }
}
