package dev.ringflow.io.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The records of one published partition state on the state topic, written by {@link StateTopic} and read back
 * by it and by {@link StandbyReplica}: chunks of at most {@value #CHUNK_BYTES} bytes keyed
 * {@code <topic>/<partition>#<chunk>}, each with the state's id ({@value #HEADER_ID}) and its place
 * ({@value #HEADER_CHUNK}, {@code <index>/<count>}).
 * <p>
 * An instance gathers the chunks of one state as they are read.
 */
final class StateChunks
{
    static final int CHUNK_BYTES = 512 * 1024;
    static final String HEADER_ID = "ringflow.state.id";
    static final String HEADER_CHUNK = "ringflow.state.chunk";

    final String id;
    final int statePartition;
    private final byte[][] chunks;
    private int found;
    private long firstOffset = -1;
    private long lastOffset = -1;

    StateChunks(final String id, final int statePartition, final int count)
    {
        this.id = id;
        this.statePartition = statePartition;
        chunks = new byte[count][];
    }

    /** How many chunks a state of {@code bytes} bytes takes; an empty state takes one. */
    static int count(final int bytes)
    {
        return Math.max(1, (bytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
    }

    static byte[] key(final TopicPartition input, final int chunk)
    {
        return utf8(input.topic() + "/" + input.partition() + "#" + chunk);
    }

    /** The input partition of a chunk key {@code <topic>/<partition>#<chunk>}, or null. */
    static TopicPartition input(final byte[] key)
    {
        final String text = null == key ? "" : new String(key, StandardCharsets.UTF_8);
        final int hash = text.lastIndexOf('#');
        final int slash = hash < 0 ? -1 : text.lastIndexOf('/', hash);
        if (slash <= 0)
        {
            return null;
        }
        try
        {
            return new TopicPartition(text.substring(0, slash), Integer.parseInt(text.substring(slash + 1, hash)));
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    static RecordHeaders headers(final String id, final int index, final int count)
    {
        final RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_ID, utf8(id));
        headers.add(HEADER_CHUNK, utf8(index + "/" + count));
        return headers;
    }

    /** The state id of a chunk record, or "" for a record that is not a chunk (e.g. a deletion). */
    static String id(final ConsumerRecord<byte[], byte[]> record)
    {
        return text(record.headers().lastHeader(HEADER_ID));
    }

    /**
     * The index and count of a chunk record, or null when its header is missing or malformed: records without
     * the headers are not Ringflow's.
     */
    static int[] place(final ConsumerRecord<byte[], byte[]> record)
    {
        final String[] parts = text(record.headers().lastHeader(HEADER_CHUNK)).split("/");
        if (parts.length != 2)
        {
            return null;
        }
        try
        {
            final int index = Integer.parseInt(parts[0]);
            final int count = Integer.parseInt(parts[1]);
            return index >= 0 && index < count ? new int[] { index, count } : null;
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    /**
     * Adds chunk {@code index} read at {@code offset}.
     *
     * @return how many bytes the state held grew by.
     */
    long add(final int index, final byte[] value, final long offset)
    {
        final byte[] before = chunks[index];
        if (null == before)
        {
            found++;
        }
        chunks[index] = value;
        if (0 == index)
        {
            firstOffset = offset;
        }
        if (chunks.length - 1 == index)
        {
            lastOffset = offset;
        }
        return value.length - (null == before ? 0 : before.length);
    }

    int count()
    {
        return chunks.length;
    }

    int found()
    {
        return found;
    }

    boolean isComplete()
    {
        return found == chunks.length;
    }

    /** Exactly the state the pointer names, whole: same id, same records. */
    boolean matches(final StateTopic.Pointer pointer)
    {
        return isComplete() && id.equals(pointer.id()) && statePartition == pointer.statePartition() &&
            firstOffset == pointer.firstOffset() && lastOffset == pointer.lastOffset();
    }

    long bytes()
    {
        long total = 0;
        for (final byte[] chunk : chunks)
        {
            total += null == chunk ? 0 : chunk.length;
        }
        return total;
    }

    /** The state: its chunks joined; only once {@link #isComplete}. */
    byte[] join()
    {
        final ByteArrayOutputStream state = new ByteArrayOutputStream((int)Math.min(Integer.MAX_VALUE - 8, bytes()));
        for (final byte[] chunk : chunks)
        {
            state.writeBytes(chunk);
        }
        return state.toByteArray();
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final Header header)
    {
        return null == header || null == header.value() ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
