package dev.ringflow.tools;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.ModelSwap;
import dev.ringflow.engine.PartitionState;
import dev.ringflow.engine.PipelineChange;
import dev.ringflow.engine.JournalException;
import dev.ringflow.engine.SnapshotStore;
import dev.ringflow.io.journal.CutRecord;
import dev.ringflow.io.journal.JournalReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ringflow journal}: look into a journal without running anything.
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = "Inspects a journal: dump its records, summarise it, follow it, or check it.",
    subcommands = {
        JournalCommand.Dump.class,
        JournalCommand.Stats.class,
        JournalCommand.Tail.class,
        JournalCommand.Verify.class },
    footer = {
        "",
        "Examples:",
        "  ringflow journal stats --journal journal/seed-sliding-sum",
        "  ringflow journal dump --journal journal/seed-sliding-sum --from 2026-11-25T10:00:00Z --limit 20",
        "",
        "Exit codes: 0 ok, 1 failure (no journal, or verify found damage), 2 bad usage." })
final class JournalCommand implements Runnable
{
    private static final int PREVIEW = 60;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "missing subcommand: dump, stats, tail or verify (ringflow journal --help)");
    }

    /** Options every subcommand takes. */
    static class JournalOption
    {
        @Option(names = { "--journal", "--journal-dir" }, required = true, paramLabel = "DIR",
            description = "The journal directory.")
        Path journal;
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
        description = {
            "Prints records: index, time, topic-partition@offset, key and a value preview; ticks and commit " +
                "markers as such.",
            "With --json, one JSON object per record with the whole key and value." })
    static final class Dump implements Callable<Integer>
    {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        private JournalOption options = new JournalOption();

        @Option(names = "--from", paramLabel = "INDEX|TIME", description = "First record (index or ISO-8601 time).")
        private String from;

        @Option(names = "--to", paramLabel = "INDEX|TIME", description = "Last record, inclusive.")
        private String to;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "-1",
            description = "Print at most N records (default: all).")
        private long limit;

        @Option(names = "--json", description = "JSON lines instead of columns.")
        private boolean json;

        @Override
        public Integer call()
        {
            final JournalRange range = JournalRange.resolve(spec.commandLine(), options.journal, from, to);
            final PrintStream out = System.out;
            long printed = 0;
            try (JournalReader reader = JournalReader.open(options.journal))
            {
                reader.moveTo(range.fromIndex);
                final EventSlot record = new EventSlot();
                while ((limit < 0 || printed < limit) && reader.next(record) && reader.index() <= range.toIndex)
                {
                    out.println(json ? jsonLine(reader.index(), record) : textLine(reader.index(), record));
                    printed++;
                }
            }
            out.flush();
            return RingflowCommand.EXIT_OK;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Summarises a journal: records by kind, index and time span, size on disk, and per " +
            "partition the count and first and last offsets.")
    static final class Stats implements Callable<Integer>
    {
        /** The snapshot files beside the journal: how many, and the newest (names carry the journal index). */
        private static String snapshots(final Path journal) throws IOException
        {
            final Path dir = SnapshotStore.dirOf(journal);
            if (!Files.isDirectory(dir))
            {
                return "none";
            }
            try (Stream<Path> files = Files.list(dir))
            {
                final List<Path> snapshots = files
                    .filter(file -> file.getFileName().toString().matches("snapshot-.*\\.bin"))
                    .sorted().toList();
                if (snapshots.isEmpty())
                {
                    return "none";
                }
                final Path newest = snapshots.get(snapshots.size() - 1);
                return String.format(Locale.ROOT, "%d files, newest %s (%,d bytes)", snapshots.size(),
                    newest.getFileName(), Files.size(newest));
            }
        }

        @CommandLine.Mixin
        private JournalOption options = new JournalOption();

        @Override
        public Integer call() throws IOException
        {
            long inputs = 0;
            long ticks = 0;
            long changes = 0;
            long swaps = 0;
            long commits = 0;
            long minTime = Long.MAX_VALUE;
            long maxTime = Long.MIN_VALUE;
            long firstIndex = -1;
            long lastIndex = -1;
            final Map<String, long[]> partitions = new TreeMap<>();
            final String id;
            try (JournalReader reader = JournalReader.open(options.journal))
            {
                id = reader.id();
                final EventSlot record = new EventSlot();
                while (reader.next(record))
                {
                    if (firstIndex < 0)
                    {
                        firstIndex = reader.index();
                    }
                    lastIndex = reader.index();
                    if (record.isCommitMarker())
                    {
                        commits++;
                        continue;
                    }
                    if (record.isTick())
                    {
                        ticks++;
                        continue;
                    }
                    if (record.change() instanceof ModelSwap)
                    {
                        swaps++;
                        continue;
                    }
                    if (record.isChange())
                    {
                        changes++;
                        continue;
                    }
                    inputs++;
                    minTime = Math.min(minTime, record.timestampMs());
                    maxTime = Math.max(maxTime, record.timestampMs());
                    final long[] p = partitions.computeIfAbsent(
                        record.sourceTopic() + "-" + record.sourcePartition(),
                        k -> new long[] { 0, Long.MAX_VALUE, Long.MIN_VALUE });
                    p[0]++;
                    p[1] = Math.min(p[1], record.sourceOffset());
                    p[2] = Math.max(p[2], record.sourceOffset());
                }
            }
            final PrintStream out = System.out;
            out.printf(Locale.ROOT, "journal     %s%n", options.journal.toAbsolutePath().normalize());
            out.printf(Locale.ROOT, "id          %s%n", null == id ? "(none)" : id);
            out.printf(Locale.ROOT, "records     %,d inputs, %,d ticks, %,d commit markers, %,d pipeline changes, " +
                "%,d model swaps%n", inputs, ticks, commits, changes, swaps);
            out.printf(Locale.ROOT, "indexes     %d .. %d%n", firstIndex, lastIndex);
            out.printf(Locale.ROOT, "time span   %s .. %s%n", inputs == 0 ? "-" : Instant.ofEpochMilli(minTime),
                inputs == 0 ? "-" : Instant.ofEpochMilli(maxTime));
            out.printf(Locale.ROOT, "size        %,d bytes in %d files%n", sizeOnDisk(options.journal),
                fileCount(options.journal));
            out.printf(Locale.ROOT, "history     %s%n", JournalReader.isTruncated(options.journal) ?
                "retention deleted the first files (snapshots cover them)" : "complete from the first record");
            out.printf(Locale.ROOT, "snapshots   %s%n", snapshots(options.journal));
            for (final Map.Entry<String, long[]> entry : partitions.entrySet())
            {
                final long[] p = entry.getValue();
                out.printf(Locale.ROOT, "partition   %s: %,d records, offsets %d .. %d%n", entry.getKey(), p[0], p[1],
                    p[2]);
            }
            return RingflowCommand.EXIT_OK;
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Prints records as the daemon appends them, from the end (or --from), until Ctrl-C.")
    static final class Tail implements Callable<Integer>
    {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        private JournalOption options = new JournalOption();

        @Option(names = "--from", paramLabel = "INDEX|TIME", description = "Start here instead of at the end.")
        private String from;

        @Option(names = "--json", description = "JSON lines instead of columns.")
        private boolean json;

        @Override
        public Integer call() throws InterruptedException
        {
            final ShutdownSignals signals = new ShutdownSignals();
            try (JournalReader reader = JournalReader.open(options.journal))
            {
                if (null == from)
                {
                    reader.moveTo(reader.lastIndex() + 1);
                }
                else
                {
                    reader.moveTo(JournalRange.resolve(spec.commandLine(), options.journal, from, null).fromIndex);
                }
                final EventSlot record = new EventSlot();
                while (!signals.isSignalled())
                {
                    if (reader.next(record))
                    {
                        System.out.println(json ? jsonLine(reader.index(), record) : textLine(reader.index(), record));
                    }
                    else
                    {
                        System.out.flush();
                        signals.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                }
            }
            return RingflowCommand.EXIT_OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Reads every record and checks it decodes and that offsets only grow within each partition.",
            "A last record cut by a crash mid-write is not a record: it is reported (CUT), readers end before " +
                "it, and the daemon turns it into padding when it next opens the journal." })
    static final class Verify implements Callable<Integer>
    {
        @CommandLine.Mixin
        private JournalOption options = new JournalOption();

        @Override
        public Integer call()
        {
            long records = 0;
            long problems = 0;
            final Map<String, Long> lastOffsets = new TreeMap<>();
            try (JournalReader reader = JournalReader.open(options.journal))
            {
                final EventSlot record = new EventSlot();
                while (true)
                {
                    try
                    {
                        if (!reader.next(record))
                        {
                            break;
                        }
                    }
                    catch (final JournalException ex)
                    {
                        System.out.println("DAMAGED " + ex.getMessage());
                        problems++;
                        break;
                    }
                    records++;
                    if (record.isTick() || record.isCommitMarker() || record.isChange())
                    {
                        continue;
                    }
                    final String partition = record.sourceTopic() + "-" + record.sourcePartition();
                    final Long previous = lastOffsets.put(partition, record.sourceOffset());
                    if (null != previous && record.sourceOffset() <= previous)
                    {
                        System.out.printf(Locale.ROOT, "OUT OF ORDER at index %d: %s offset %d after %d%n",
                            reader.index(), partition, record.sourceOffset(), previous);
                        problems++;
                    }
                }
            }
            CutRecord.find(options.journal).ifPresent(cut -> System.out.println("CUT the journal ends with " + cut +
                "; the daemon discards it when it next opens the journal"));
            System.out.printf(Locale.ROOT, "%s: %,d records, %d partitions, %d problems%n",
                problems == 0 ? "OK" : "FAILED", records, lastOffsets.size(), problems);
            return problems == 0 ? RingflowCommand.EXIT_OK : RingflowCommand.EXIT_FAILURE;
        }
    }

    static String textLine(final long index, final EventSlot record)
    {
        if (record.isCommitMarker())
        {
            return index + "  commit";
        }
        if (record.isTick())
        {
            return index + "  tick idle=" + record.idleMs() + "ms";
        }
        if (record.change() instanceof PipelineChange change)
        {
            return index + "  pipeline change from " + change.origin() + ":\n" +
                change.text().stripTrailing().indent(4).stripTrailing();
        }
        if (record.change() instanceof ModelSwap swap)
        {
            return index + "  model swap from " + swap.origin() + ": score task '" + swap.task() + "' gets " +
                swap.sourceName() + " (" + swap.bytes().length + " bytes, version " + modelVersion(swap) + ")";
        }
        if (record.change() instanceof PartitionState state)
        {
            return index + "  partition state from " + state.origin() + ": " + state;
        }
        return index + "  " + Instant.ofEpochMilli(record.timestampMs()) + "  " + record.sourceTopic() + "-" +
            record.sourcePartition() + "@" + record.sourceOffset() + "  key=" + preview(record.key()) + "  value=" +
            preview(record.input()) + (record.emits() ? "" : "  (silent: its outputs were the previous owner's)");
    }

    /** The swapped-in model's version, or why it does not load here. */
    private static String modelVersion(final ModelSwap swap)
    {
        try
        {
            return swap.model().version();
        }
        catch (final dev.ringflow.models.score.ModelException ex)
        {
            return "does not load: " + ex.getMessage();
        }
    }

    static String jsonLine(final long index, final EventSlot record)
    {
        final StringBuilder line = new StringBuilder(128).append("{\"index\":").append(index);
        if (record.isCommitMarker())
        {
            return line.append(",\"kind\":\"commit\"}").toString();
        }
        if (record.isTick())
        {
            return line.append(",\"kind\":\"tick\",\"idleMs\":").append(record.idleMs()).append('}').toString();
        }
        if (record.change() instanceof PipelineChange change)
        {
            line.append(",\"kind\":\"pipeline\",\"origin\":");
            JsonLines.appendString(line, change.origin());
            line.append(",\"text\":");
            JsonLines.appendString(line, change.text());
            return line.append('}').toString();
        }
        if (record.change() instanceof ModelSwap swap)
        {
            line.append(",\"kind\":\"model\",\"origin\":");
            JsonLines.appendString(line, swap.origin());
            line.append(",\"task\":");
            JsonLines.appendString(line, swap.task());
            line.append(",\"model\":");
            JsonLines.appendString(line, swap.sourceName());
            line.append(",\"bytes\":").append(swap.bytes().length).append(",\"version\":");
            JsonLines.appendString(line, modelVersion(swap));
            return line.append('}').toString();
        }
        if (record.change() instanceof PartitionState state)
        {
            line.append(",\"kind\":\"").append(state.isTakeOver() ? "take-over" : "give-up").append("\",\"origin\":");
            JsonLines.appendString(line, state.origin());
            line.append(",\"topic\":");
            JsonLines.appendString(line, state.topic());
            line.append(",\"partition\":").append(state.partition());
            if (state.isTakeOver())
            {
                line.append(",\"coveredOffset\":").append(state.coveredOffset()).append(",\"bytes\":")
                    .append(null == state.state() ? 0 : state.state().length);
            }
            return line.append('}').toString();
        }
        line.append(",\"kind\":\"").append(record.emits() ? "input" : "silent-input").append("\",\"topic\":");
        JsonLines.appendString(line, record.sourceTopic());
        line.append(",\"partition\":").append(record.sourcePartition())
            .append(",\"offset\":").append(record.sourceOffset())
            .append(",\"timestamp\":").append(record.timestampMs())
            .append(",\"key\":");
        JsonLines.appendString(line, record.key());
        line.append(",\"value\":");
        JsonLines.appendString(line, record.input());
        return line.append('}').toString();
    }

    private static String preview(final ByteSlice slice)
    {
        if (slice.isNull())
        {
            return "null";
        }
        final String text = new String(slice.bytes(), 0, Math.min(slice.length(), PREVIEW), StandardCharsets.UTF_8)
            .replace("\n", "\\n");
        return slice.length() > PREVIEW ? text + "...(" + slice.length() + " bytes)" : text;
    }

    private static long sizeOnDisk(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(Files::isRegularFile).mapToLong(file ->
            {
                try
                {
                    return Files.size(file);
                }
                catch (final IOException ex)
                {
                    return 0;
                }
            }).sum();
        }
    }

    private static long fileCount(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".cq4")).count();
        }
    }
}
