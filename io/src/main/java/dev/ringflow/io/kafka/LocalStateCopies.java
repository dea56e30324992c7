package dev.ringflow.io.kafka;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The journal's copy of each input partition's last published state, in the {@code partition-state} folder of the
 * daemon's journal: the fast path of a restart of the same daemon with {@code state.scope: partition}, as a Kafka
 * Streams instance restarts from its local state store rather than its changelog.
 * <p>
 * When a worker publishes a partition's state into the open transaction it also writes the same bytes here, under
 * the id the state's records carry, keeping the copy before it as well (the last publish's transaction may not
 * have committed). A take-over whose committed pointer names exactly one of those ids (this daemon published it,
 * and no daemon published the partition's state since) loads that file instead of reading the state topic;
 * anything else (another id, a damaged or missing file) reads the topic as before. The id names one publish
 * of one daemon, so equal ids mean equal bytes, and the checksum rejects a file cut short by a machine crash.
 * <p>
 * File layout: magic, format version, topic, partition, id, covered offset, length, the state bytes, then a CRC-32
 * of everything before it. Written under a temporary name and renamed, so a reader sees a whole file or the one
 * before it; not forced to disk (a process crash keeps the page cache; a machine crash may cost the fast path, never
 * a wrong state).
 * <p>
 * <b>Note:</b> {@link #keep} runs on the worker that owns the partition and hands the write to a thread of its own,
 * {@value #THREAD_NAME}, made at the first publish (it sleeps between publishes); a state waiting to be written
 * stays in memory until it is. {@link #take} runs on the source thread during a take-over, after the partition's
 * previous publish on this daemon committed (a revoke drains and commits first), and after waiting for the copies
 * asked for so far. A write that fails is logged and the copy deleted: the copy is an optimisation, never a reason
 * to stop.
 */
final class LocalStateCopies
{
    static final String FOLDER = "partition-state";
    private static final Logger LOG = LoggerFactory.getLogger(LocalStateCopies.class);
    private static final int MAGIC = 0x52465043;
    private static final int VERSION = 1;
    /** Bytes per read or write call: large enough to cost nothing, small enough that the JDK's copy stays small. */
    private static final int IO_BYTES = 1 << 20;

    static final String THREAD_NAME = "ringflow-state-copy";

    private final Path dir;
    /** Made at the first copy: a daemon that never publishes has no such thread. */
    private volatile ExecutorService writer;
    /** The newest state not yet written, per partition: an older one still waiting is skipped (see {@link #keep}). */
    private final Map<TopicPartition, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong writeNs = new AtomicLong();

    /** @param journalDir the daemon's journal folder. */
    LocalStateCopies(final Path journalDir)
    {
        this.dir = journalDir.resolve(FOLDER);
    }

    Path dir()
    {
        return dir;
    }

    /** Bytes of state written to copies since start. */
    long bytesWritten()
    {
        return written.get();
    }

    /** Time the copy thread spent writing copies since start. */
    long writeNs()
    {
        return writeNs.get();
    }

    /**
     * Keeps {@code state}, published as {@code id}, as {@code input}'s copy, written by the copy thread in the order
     * of the calls: the worker does not wait for the disk. The copy before it is kept too: this publish's
     * transaction may not commit (the daemon is killed before), and the commit then points to that one.
     * <p>
     * When the disk falls behind, a state still waiting when a newer one of the same partition arrives is skipped:
     * at most one state per partition waits in memory. Skipping is safe, as the commit points to the newest state or,
     * if its transaction did not commit, to one the folder may no longer hold, which the take-over then reads from
     * the state topic.
     *
     * @param state not changed after the call (the copy thread writes it later).
     */
    void keep(final TopicPartition input, final String id, final long coveredOffset, final byte[] state)
    {
        try
        {
            pending.put(input, new Pending(id, coveredOffset, state));
            writer().execute(() ->
            {
                final Pending next = pending.remove(input);
                if (null != next)
                {
                    write(input, next.id, next.coveredOffset, next.state);
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            LOG.warn("{}: no local copy of this state (the daemon is stopping): a restart reads it from the state " +
                "topic", input);
        }
    }

    /** Waits until every copy asked for so far is written (or failed), for at most {@code timeoutMs}. */
    void awaitWrites(final long timeoutMs)
    {
        final ExecutorService running = writer;
        if (null == running)
        {
            return;
        }
        try
        {
            running.submit(() -> { }).get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException |
            RejectedExecutionException ex)
        {
            LOG.warn("the local state copies are still being written after {} ms ({}): a take-over may read the " +
                "state topic instead", timeoutMs, ex.toString());
        }
    }

    /** Writes the copies asked for, for at most {@code timeoutMs}, and stops the copy thread. */
    void close(final long timeoutMs)
    {
        final ExecutorService running = writer;
        if (null == running)
        {
            return;
        }
        running.shutdown();
        try
        {
            if (!running.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS))
            {
                LOG.warn("stopped before the local copies of partition state were all written: a restart reads " +
                    "those from the state topic");
                running.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            running.shutdownNow();
        }
    }

    private synchronized ExecutorService writer()
    {
        if (null == writer)
        {
            writer = Executors.newSingleThreadExecutor(task ->
            {
                final Thread thread = new Thread(task, THREAD_NAME);
                thread.setDaemon(true);
                return thread;
            });
        }
        return writer;
    }

    private void write(final TopicPartition input, final String id, final long coveredOffset, final byte[] state)
    {
        final long startNs = System.nanoTime();
        final Path file = file(input);
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try
        {
            Files.createDirectories(dir);
            if (Files.exists(file))
            {
                Files.move(file, previous(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            final CRC32 crc = new CRC32();
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16))
            {
                final DataOutputStream header = new DataOutputStream(new CheckedOutputStream(raw, crc));
                header.writeInt(MAGIC);
                header.writeInt(VERSION);
                header.writeUTF(input.topic());
                header.writeInt(input.partition());
                header.writeUTF(id);
                header.writeLong(coveredOffset);
                header.writeInt(state.length);
                header.flush();
                for (int at = 0; at < state.length; at += IO_BYTES)
                {
                    raw.write(state, at, Math.min(IO_BYTES, state.length - at));
                }
                crc.update(state, 0, state.length);
                new DataOutputStream(raw).writeLong(crc.getValue());
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written.addAndGet(state.length);
            writeNs.addAndGet(System.nanoTime() - startNs);
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.warn("cannot keep the local copy of {}'s state in {} ({}): a restart of this daemon reads it from " +
                "the state topic", input, dir, ex.toString());
            deleteQuietly(temporary);
            deleteQuietly(file);
        }
    }

    /**
     * @return the state {@code pointer} names for {@code input} when this folder holds exactly it, whole; else null
     * (the take-over reads the state topic).
     */
    byte[] take(final TopicPartition input, final StateTopic.Pointer pointer)
    {
        final Path file = file(input);
        final byte[] last = take(input, pointer, file);
        return null != last ? last : take(input, pointer, previous(file));
    }

    private static byte[] take(final TopicPartition input, final StateTopic.Pointer pointer, final Path file)
    {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16))
        {
            final CRC32 crc = new CRC32();
            final DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            if (in.readInt() != MAGIC || in.readInt() != VERSION)
            {
                return rejected(input, file, "it is not a state copy of this Ringflow version");
            }
            final String topic = in.readUTF();
            final int partition = in.readInt();
            final String id = in.readUTF();
            final long coveredOffset = in.readLong();
            if (!topic.equals(input.topic()) || partition != input.partition() || !id.equals(pointer.id()) ||
                coveredOffset != pointer.coveredOffset())
            {
                LOG.debug("{}: {} holds state {} covering offsets before {}, the commit points to {} covering " +
                    "offsets before {}", input, file, id, coveredOffset, pointer.id(), pointer.coveredOffset());
                return null;
            }
            final int length = in.readInt();
            final byte[] state = new byte[length];
            for (int at = 0; at < length; at += IO_BYTES)
            {
                // In pieces: the JDK reads a whole request through a temporary direct buffer of its size.
                in.readFully(state, at, Math.min(IO_BYTES, length - at));
            }
            final long expected = new DataInputStream(raw).readLong();
            if (expected != crc.getValue())
            {
                return rejected(input, file, "its checksum does not match");
            }
            return state;
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final EOFException ex)
        {
            return rejected(input, file, "it is cut short");
        }
        catch (final IOException | RuntimeException | OutOfMemoryError ex)
        {
            return rejected(input, file, ex.toString());
        }
    }

    private static byte[] rejected(final TopicPartition input, final Path file, final String why)
    {
        LOG.warn("{}: not using the local copy of its state {}: {}; reading the state topic instead", input, file, why);
        return null;
    }

    private Path file(final TopicPartition input)
    {
        return dir.resolve(input.topic() + "-" + input.partition() + ".state");
    }

    private static Path previous(final Path file)
    {
        return file.resolveSibling(file.getFileName() + ".previous");
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignored)
        {
            // Nothing more to do: a copy that cannot be deleted is still checked by id and checksum when read.
        }
    }

    private record Pending(String id, long coveredOffset, byte[] state)
    {
    }
}
