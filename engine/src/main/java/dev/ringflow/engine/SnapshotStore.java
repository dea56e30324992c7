package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.windows.SnapshotMismatchException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

/**
 * The snapshots of a pipeline's state, kept in the {@code snapshots} folder of its journal: one file per worker per
 * snapshot, named after the journal index of the commit marker it was taken at. A snapshot at index {@code i}
 * holds the state after every journal group up to and including {@code i}, so recovery loads it and replays only
 * the groups after {@code i}.
 * <p>
 * File layout: a header (magic, format version, journal index, worker, workers, pipeline fingerprint), the next
 * offset of every input partition the worker has processed, the worker's stage states
 * ({@link PipelineProcessor#writeState}), then a CRC-32 of everything before it. A file is
 * written under a temporary name, forced to disk and renamed, so a crash leaves either a whole file or none.
 * <p>
 * <b>Note:</b> Writing and reading run on the worker that owns the state; listing and checking on any thread.
 */
public final class SnapshotStore
{
    /** How many complete snapshots are kept: the newest, and one to fall back on if it cannot be read. */
    public static final int KEPT = 2;
    private static final long MAGIC = 0x52494e47534e4150L;
    // 3: event-time windows keep a watermark per source partition and rings that grow with a key's lead.
    private static final int VERSION = 3;
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})-w(\\d+)of(\\d+)\\.bin(\\.tmp)?");

    private final Path dir;
    private final String fingerprint;
    private final int workers;

    public SnapshotStore(final Path journalDir, final PipelineSpec spec)
    {
        this.dir = dirOf(journalDir);
        this.fingerprint = fingerprint(spec);
        this.workers = spec.engine().workers();
    }

    /** Where the snapshots of the journal in {@code journalDir} live. */
    public static Path dirOf(final Path journalDir)
    {
        return journalDir.resolve("snapshots");
    }

    /** What a snapshot depends on: the tasks, how input is read, key expiry and the sharding of keys. */
    static String fingerprint(final PipelineSpec spec)
    {
        return stateFingerprint(spec) + "|workers=" + spec.engine().workers() +
            (spec.state().perPartition() ? "|state=partition" : "");
    }

    /**
     * What one processor's state depends on: the tasks, how input is read and key expiry. Not the worker count: a
     * partition's state is all on one worker, whatever the count of the daemon that takes it over.
     */
    static String stateFingerprint(final PipelineSpec spec)
    {
        return spec.tasks() + "|format=" + spec.source().format() + "|key-field=" + spec.source().keyField() +
            "|timestamp-field=" + spec.source().timestampField() + "|idle-key-timeout-ms=" +
            spec.engine().idleKeyTimeoutMs();
    }

    public Path dir()
    {
        return dir;
    }

    /**
     * Writes {@code worker}'s state as of journal group {@code journalIndex}.
     *
     * @return the file's size in bytes.
     */
    long write(final long journalIndex, final int worker, final WorkerState state,
        final SourceProgress progress) throws IOException
    {
        Files.createDirectories(dir);
        final Path file = file(journalIndex, worker);
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        final CRC32 crc = new CRC32();
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            final OutputStream raw = java.nio.channels.Channels.newOutputStream(channel);
            final SnapshotOutput out = new SnapshotOutput(raw, crc);
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(journalIndex);
            out.writeInt(worker);
            out.writeInt(workers);
            // The tasks running now: after a runtime change they are not the ones the daemon started with, and a
            // restart with the old file must then not load this state into the old tasks (it falls back to an
            // older snapshot and meets the journaled change again on the way).
            out.writeUTF(fingerprint(state.template().spec()));
            progress.writeTo(out);
            state.writeState(out);
            out.flush();
            final DataOutputStream trailer = new DataOutputStream(raw);
            trailer.writeLong(crc.getValue());
            trailer.flush();
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return Files.size(file);
    }

    /**
     * Loads {@code worker}'s part of the snapshot at {@code journalIndex} into {@code processor}.
     *
     * @throws SnapshotMismatchException when it was taken with another pipeline or worker count.
     */
    void read(final long journalIndex, final int worker, final WorkerState state,
        final SourceProgress progress) throws IOException
    {
        final Path file = file(journalIndex, worker);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16)))
        {
            readHeader(in, file, journalIndex);
            progress.clear();
            progress.mergeFrom(in);
            state.readState(in);
        }
    }

    /**
     * Loads {@code worker}'s part of the snapshot at {@code journalIndex} into processors of its own, offline: to
     * read what a stopped (or running) daemon had learnt without running the pipeline.
     *
     * @return the processors: one with key-scoped state; with partition-scoped state, the pipeline's (its models)
     * and then one per input partition the worker held.
     * @throws SnapshotMismatchException when the snapshot is damaged or was taken with another pipeline.
     */
    public List<PipelineProcessor> load(final long journalIndex, final int worker, final PipelineSpec spec)
        throws IOException
    {
        final String problem = problemWith(journalIndex);
        if (null != problem)
        {
            throw new SnapshotMismatchException("the snapshot at journal index " + journalIndex + " cannot be " +
                "read: " + problem);
        }
        final WorkerState state = new WorkerState(PipelineProcessor::new, spec);
        read(journalIndex, worker, state, new SourceProgress());
        return state.processors();
    }

    /**
     * The next offset of every partition whose input the snapshot at {@code journalIndex} holds, over all workers:
     * recovery resumes a partition there at the earliest, even if less was committed (at least once, offsets are
     * committed after the fact), so that no input is counted twice.
     */
    public SourceProgress offsets(final long journalIndex) throws IOException
    {
        final SourceProgress offsets = new SourceProgress();
        for (int worker = 0; worker < workers; worker++)
        {
            final Path file = file(journalIndex, worker);
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file))))
            {
                readHeader(in, file, journalIndex);
                offsets.mergeFrom(in);
            }
        }
        return offsets;
    }

    /**
     * The indexes of snapshots that have every worker's file, newest first (files are not checked: see
     * {@link #problemWith}).
     */
    public List<Long> completeIndexes()
    {
        final TreeMap<Long, Integer> parts = new TreeMap<>();
        for (final Path file : files())
        {
            final Matcher name = NAME.matcher(file.getFileName().toString());
            if (name.matches() && null == name.group(4) && Integer.parseInt(name.group(3)) == workers)
            {
                parts.merge(Long.parseLong(name.group(1)), 1, Integer::sum);
            }
        }
        final List<Long> complete = new ArrayList<>();
        parts.descendingMap().forEach((index, count) ->
        {
            if (count == workers)
            {
                complete.add(index);
            }
        });
        return complete;
    }

    /** True when the folder holds any snapshot file, whatever its worker count. */
    public boolean holdsAny()
    {
        for (final Path file : files())
        {
            final Matcher name = NAME.matcher(file.getFileName().toString());
            if (name.matches() && null == name.group(4))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks every file of the snapshot at {@code journalIndex}: whole (checksum), this pipeline, this worker count.
     *
     * @return null when it can be loaded, else why not.
     */
    public String problemWith(final long journalIndex)
    {
        for (int worker = 0; worker < workers; worker++)
        {
            final Path file = file(journalIndex, worker);
            try
            {
                final long size = Files.size(file);
                if (size < Long.BYTES)
                {
                    return file.getFileName() + " is empty";
                }
                final CRC32 crc = new CRC32();
                try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                    DataInputStream in = new DataInputStream(new CheckedInputStream(
                        new BoundedInputStream(raw, size - Long.BYTES), crc)))
                {
                    readHeader(in, file, journalIndex);
                    in.transferTo(OutputStream.nullOutputStream());
                    final long expected = new DataInputStream(raw).readLong();
                    if (expected != crc.getValue())
                    {
                        return file.getFileName() + " is damaged (checksum mismatch)";
                    }
                }
            }
            catch (final NoSuchFileException ex)
            {
                return file.getFileName() + " is missing";
            }
            catch (final SnapshotMismatchException ex)
            {
                return ex.getMessage();
            }
            catch (final EOFException ex)
            {
                return file.getFileName() + " is cut short";
            }
            catch (final IOException ex)
            {
                return "cannot read " + file.getFileName() + ": " + ex;
            }
        }
        return null;
    }

    /**
     * Deletes every snapshot older than the {@link #KEPT} newest complete ones, and leftovers of interrupted writes.
     *
     * @return the index of the oldest snapshot kept, from which the journal must be kept; -1 when there is none.
     */
    long prune() throws IOException
    {
        final List<Long> complete = completeIndexes();
        if (complete.isEmpty())
        {
            return -1;
        }
        final long oldestKept = complete.get(Math.min(KEPT, complete.size()) - 1);
        for (final Path file : files())
        {
            // Older files, finished or not: a write of the current snapshot may still be going on.
            final Matcher matcher = NAME.matcher(file.getFileName().toString());
            if (matcher.matches() && Long.parseLong(matcher.group(1)) < oldestKept)
            {
                Files.deleteIfExists(file);
            }
        }
        return oldestKept;
    }

    private void readHeader(final DataInputStream in, final Path file, final long journalIndex) throws IOException
    {
        if (in.readLong() != MAGIC)
        {
            throw new SnapshotMismatchException(file.getFileName() + " is not a Ringflow snapshot");
        }
        final int version = in.readInt();
        if (version != VERSION)
        {
            throw new SnapshotMismatchException(file.getFileName() + " has format version " + version +
                ", this Ringflow reads version " + VERSION);
        }
        final long index = in.readLong();
        in.readInt();
        final int fileWorkers = in.readInt();
        final String fileFingerprint = in.readUTF();
        if (index != journalIndex)
        {
            throw new SnapshotMismatchException(file.getFileName() + " holds index " + index);
        }
        if (fileWorkers != workers)
        {
            throw new SnapshotMismatchException("the snapshot was taken with " + fileWorkers +
                " workers, the pipeline now runs " + workers);
        }
        if (!fileFingerprint.equals(fingerprint))
        {
            throw new SnapshotMismatchException("the snapshot was taken with another pipeline (tasks, input " +
                "format or key settings changed): " + fileFingerprint);
        }
    }

    private Path file(final long journalIndex, final int worker)
    {
        return dir.resolve(String.format(Locale.ROOT, "snapshot-%020d-w%dof%d.bin", journalIndex, worker, workers));
    }

    private List<Path> files()
    {
        final List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "snapshot-*"))
        {
            stream.forEach(files::add);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException("cannot list snapshots in " + dir, ex);
        }
        return files;
    }

    /** Reads at most {@code limit} bytes of a stream, leaving the rest for the caller. */
    private static final class BoundedInputStream extends InputStream
    {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(final InputStream in, final long limit)
        {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException
        {
            if (remaining <= 0)
            {
                return -1;
            }
            final int b = in.read();
            remaining -= b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length) throws IOException
        {
            if (remaining <= 0)
            {
                return -1;
            }
            final int read = in.read(buffer, offset, (int)Math.min(length, remaining));
            remaining -= Math.max(read, 0);
            return read;
        }

        @Override
        public void close()
        {
        }
    }
}
