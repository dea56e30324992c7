package dev.ringflow.engine;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * A {@link DataOutput} for snapshots that encodes primitives straight into a 64 KiB buffer (big-endian, as
 * {@link DataOutputStream} does, so {@link java.io.DataInputStream} reads it back) and hands whole buffers to the
 * stream and the checksum: most of a snapshot is longs, and a stream call plus a checksum update per long cost
 * several times the encoding.
 * <p>
 * <b>Note:</b> Not thread-safe; call {@link #flush()} before using the stream directly.
 */
public final class SnapshotOutput implements DataOutput
{
    private final OutputStream out;
    private final CRC32 crc;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    private long written;

    public SnapshotOutput(final OutputStream out, final CRC32 crc)
    {
        this.out = out;
        this.crc = crc;
    }

    /** Bytes written so far. */
    public long size()
    {
        return written + buffer.position();
    }

    public void flush() throws IOException
    {
        if (buffer.position() > 0)
        {
            crc.update(buffer.array(), 0, buffer.position());
            out.write(buffer.array(), 0, buffer.position());
            written += buffer.position();
            buffer.clear();
        }
        out.flush();
    }

    private ByteBuffer room(final int bytes) throws IOException
    {
        if (buffer.remaining() < bytes)
        {
            flush();
        }
        return buffer;
    }

    @Override
    public void write(final int b) throws IOException
    {
        room(1).put((byte)b);
    }

    @Override
    public void write(final byte[] bytes) throws IOException
    {
        write(bytes, 0, bytes.length);
    }

    @Override
    public void write(final byte[] bytes, final int offset, final int length) throws IOException
    {
        int done = 0;
        while (done < length)
        {
            if (!buffer.hasRemaining())
            {
                flush();
            }
            final int chunk = Math.min(length - done, buffer.remaining());
            buffer.put(bytes, offset + done, chunk);
            done += chunk;
        }
    }

    @Override
    public void writeBoolean(final boolean value) throws IOException
    {
        write(value ? 1 : 0);
    }

    @Override
    public void writeByte(final int value) throws IOException
    {
        write(value);
    }

    @Override
    public void writeShort(final int value) throws IOException
    {
        room(Short.BYTES).putShort((short)value);
    }

    @Override
    public void writeChar(final int value) throws IOException
    {
        room(Character.BYTES).putChar((char)value);
    }

    @Override
    public void writeInt(final int value) throws IOException
    {
        room(Integer.BYTES).putInt(value);
    }

    @Override
    public void writeLong(final long value) throws IOException
    {
        room(Long.BYTES).putLong(value);
    }

    @Override
    public void writeFloat(final float value) throws IOException
    {
        writeInt(Float.floatToIntBits(value));
    }

    @Override
    public void writeDouble(final double value) throws IOException
    {
        writeLong(Double.doubleToLongBits(value));
    }

    @Override
    public void writeBytes(final String text) throws IOException
    {
        for (int i = 0; i < text.length(); i++)
        {
            write(text.charAt(i));
        }
    }

    @Override
    public void writeChars(final String text) throws IOException
    {
        for (int i = 0; i < text.length(); i++)
        {
            writeChar(text.charAt(i));
        }
    }

    /** Modified UTF-8 with a length prefix, exactly as {@link DataOutputStream#writeUTF} (rare: names). */
    @Override
    public void writeUTF(final String text) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() + 2);
        new DataOutputStream(bytes).writeUTF(text);
        write(bytes.toByteArray());
    }
}
