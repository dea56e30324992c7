package dev.ringflow.tools;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Output lines of several writers, each tagged with the ring sequence of the input that caused it, spooled to one
 * file per writer and merged back into input order at the end.
 * <p>
 * The merged order depends only on what was written, never on how the writers' threads interleaved: lines come in
 * order of sequence; one writer's lines of one sequence stay in the order it wrote them; when several writers wrote
 * lines for the same sequence (only slots every worker processes, such as idle ticks), their groups are ordered by
 * their bytes.
 * <p>
 * <b>Note:</b> Each {@link Writer} belongs to one thread; {@link #mergeTo} runs once every writer is done.
 */
final class SequencedSpool implements AutoCloseable
{
    private final Path dir;
    private final List<Writer> writers = new ArrayList<>();

    SequencedSpool() throws IOException
    {
        dir = Files.createTempDirectory("ringflow-replay-");
    }

    /** A new writer with a file of its own. */
    synchronized Writer newWriter() throws IOException
    {
        final Writer writer = new Writer(dir.resolve("writer-" + writers.size() + ".spool"));
        writers.add(writer);
        return writer;
    }

    /**
     * Writes every writer's lines to {@code out} in the order described above.
     *
     * @return the number of lines written.
     */
    synchronized long mergeTo(final OutputStream out) throws IOException
    {
        final List<Reader> readers = new ArrayList<>();
        try
        {
            for (final Writer writer : writers)
            {
                writer.close();
                readers.add(new Reader(writer.file));
            }
            long lines = 0;
            final List<byte[]> groups = new ArrayList<>();
            while (true)
            {
                long next = Long.MAX_VALUE;
                for (final Reader reader : readers)
                {
                    next = Math.min(next, reader.sequence);
                }
                if (next == Long.MAX_VALUE)
                {
                    return lines;
                }
                groups.clear();
                for (final Reader reader : readers)
                {
                    if (reader.sequence == next)
                    {
                        lines += reader.readGroup();
                        groups.add(reader.group.toByteArray());
                    }
                }
                groups.sort(Arrays::compare);
                for (final byte[] group : groups)
                {
                    out.write(group);
                }
            }
        }
        finally
        {
            for (final Reader reader : readers)
            {
                reader.in.close();
            }
        }
    }

    /** Deletes the spool files. */
    @Override
    public synchronized void close() throws IOException
    {
        for (final Writer writer : writers)
        {
            writer.close();
            Files.deleteIfExists(writer.file);
        }
        Files.deleteIfExists(dir);
    }

    /** One thread's spool file: records of (sequence, length, line bytes). */
    static final class Writer
    {
        private final Path file;
        private final DataOutputStream out;
        private boolean closed;

        private Writer(final Path file) throws IOException
        {
            this.file = file;
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        }

        /** Spools {@code line}; sequences must not decrease from one call to the next. */
        void write(final long sequence, final byte[] line) throws IOException
        {
            out.writeLong(sequence);
            out.writeInt(line.length);
            out.write(line);
        }

        private void close() throws IOException
        {
            if (!closed)
            {
                closed = true;
                out.close();
            }
        }
    }

    /** Reads one spool file back, a group of lines of equal sequence at a time. */
    private static final class Reader
    {
        private final DataInputStream in;
        private final java.io.ByteArrayOutputStream group = new java.io.ByteArrayOutputStream();
        /** The sequence of the next record; {@link Long#MAX_VALUE} at the end. */
        private long sequence;

        Reader(final Path file) throws IOException
        {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            sequence = readSequence();
        }

        /** Reads every record of the current sequence into {@link #group}; returns how many. */
        int readGroup() throws IOException
        {
            group.reset();
            final long current = sequence;
            int count = 0;
            while (sequence == current)
            {
                final byte[] line = new byte[in.readInt()];
                in.readFully(line);
                group.write(line);
                count++;
                sequence = readSequence();
            }
            return count;
        }

        private long readSequence() throws IOException
        {
            try
            {
                return in.readLong();
            }
            catch (final EOFException ex)
            {
                return Long.MAX_VALUE;
            }
        }
    }
}
