package dev.ringflow.tools;

import dev.ringflow.engine.Engine;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.io.journal.JournalReader;
import dev.ringflow.io.journal.JournalSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringflow replay}: runs a range of a journal through a pipeline offline, with the daemon's engine.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a journal (or a range of it) through a pipeline offline and writes the outputs as JSON lines.",
        "The journal's inputs and ticks go through the same engine as in the daemon, so the same journal and the " +
            "same pipeline give the outputs the live run produced, byte for byte and in order per key; a changed " +
            "pipeline shows what it would have produced. Kafka is not needed.",
        "Each line: {\"topic\":...,\"key\":...,\"value\":...,\"timestamp\":...} (plus \"reason\" for dead " +
            "letters and late elements), topic being where the daemon writes that record." },
    footer = {
        "",
        "Examples:",
        "  ringflow replay --journal journal/seed-sliding-sum --pipeline examples/seed-sliding-sum.yaml",
        "  ringflow replay --journal DIR --pipeline changed.yaml --from 2026-11-25T10:00:00Z --out outputs.jsonl",
        "",
        "Exit codes: 0 done, 1 failure (journal unreadable or damaged), 2 bad usage or invalid pipeline file." })
final class ReplayCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec commandSpec;

    @Option(names = { "--journal", "--journal-dir" }, required = true, paramLabel = "DIR",
        description = "The journal directory.")
    private Path journal;

    @Option(names = "--pipeline", required = true, paramLabel = "FILE", description = "The pipeline file to run.")
    private Path pipeline;

    @Option(names = "--plugins", paramLabel = "DIR",
        description = "The directory whose *.jar files hold the classes of the pipeline's function tasks; " +
            "overrides the pipeline's plugins-dir. Default: plugins-dir, else plugins/ next to the pipeline file.")
    private Path plugins;

    @Option(names = "--from", paramLabel = "INDEX|TIME",
        description = "First record: a journal index (as 'journal dump' prints; records written in one group " +
            "share it) or an ISO-8601 time. Default: the start. Window state then starts empty there.")
    private String from;

    @Option(names = "--to", paramLabel = "INDEX|TIME", description = "Last record, inclusive. Default: the end.")
    private String to;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the JSON lines. Default: stdout.")
    private Path out;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Show a progress bar with rate and ETA on stderr when it is a terminal. Default: on.")
    private boolean progress;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final PipelineSpec spec = PipelineFile.load(pipeline, plugins).forReplay();
        final JournalRange range = JournalRange.resolve(commandSpec.commandLine(), journal, from, to);
        if (JournalReader.isTruncated(journal))
        {
            System.err.println("note: retention deleted the first files of " + journal + " (snapshots covered " +
                "them); window state starts empty at its first record, so early outputs differ from the live run");
        }
        final boolean showProgress = progress && null != System.console();
        final long total = showProgress ? count(range) : -1;

        final OutputStream stream = null == out ? System.out : Files.newOutputStream(out);
        final JsonLinesSink sink = new JsonLinesSink(new BufferedOutputStream(stream, 1 << 16), null != out,
            spec.sink().topic(), spec.sink().deadLetterTopic(), spec.sink().lateTopic(), spec.engine().workers());
        final JournalSource source = new JournalSource(JournalReader.open(journal), range.fromIndex, range.toIndex);
        final long startNs = System.nanoTime();
        final Engine engine = Engine.start(spec, source, sink);
        final ProgressBar bar = showProgress ? new ProgressBar(total) : null;
        while (!source.isExhausted() && !engine.awaitTermination(200, TimeUnit.MILLISECONDS))
        {
            if (null != bar)
            {
                bar.update(source.published(), System.nanoTime() - startNs);
            }
        }
        engine.close();
        final long elapsedNs = System.nanoTime() - startNs;
        if (null != bar)
        {
            bar.update(source.published(), elapsedNs);
            bar.finish();
        }
        if (engine.hasFailed())
        {
            throw new CommandFailedException("replay failed: " + engine.failure().getMessage(), engine.failure());
        }
        System.err.printf(Locale.ROOT, "replayed %,d records in %.2f s (%,.0f records/s): %,d outputs%n",
            source.published(), elapsedNs / 1e9, source.published() / Math.max(1e-9, elapsedNs / 1e9),
            sink.written());
        return RingflowCommand.EXIT_OK;
    }

    private long count(final JournalRange range)
    {
        long count = 0;
        try (JournalReader reader = JournalReader.open(journal))
        {
            final dev.ringflow.engine.EventSlot record = new dev.ringflow.engine.EventSlot();
            while (reader.next(record))
            {
                if (!record.isCommitMarker() && range.contains(reader.index()))
                {
                    count++;
                }
            }
        }
        return count;
    }

    /** A one-line progress bar on stderr: percent, rate and ETA. */
    static final class ProgressBar
    {
        private static final int WIDTH = 30;
        private final long total;

        ProgressBar(final long total)
        {
            this.total = total;
        }

        void update(final long done, final long elapsedNs)
        {
            final double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double)done / total);
            final int filled = (int)(fraction * WIDTH);
            final double rate = done / Math.max(1e-9, elapsedNs / 1e9);
            final double etaSeconds = rate > 0 ? (total - done) / rate : 0;
            System.err.printf(Locale.ROOT, "\r[%s%s] %3.0f%% %,d/%,d %,.0f rec/s ETA %.0fs ",
                "=".repeat(filled), " ".repeat(WIDTH - filled), fraction * 100, done, total, rate,
                Math.max(0, etaSeconds));
        }

        void finish()
        {
            System.err.println();
        }
    }
}
