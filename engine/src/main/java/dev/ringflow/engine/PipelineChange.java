package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.PipelineValidationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A new pipeline for a running engine: the pipeline file's text, where it came from, and (once prepared) the tasks
 * it gives. Only the tasks change at runtime: the source, the sink and the pipeline's name must stay as they are,
 * and the engine, journal and Kafka settings keep the values the daemon was started with (they take effect at the
 * next start).
 * <p>
 * A change travels through the ring as one control slot: it is journaled with its text, and every worker switches to
 * the new tasks at that slot's sequence, so every event is processed wholly by the old or wholly by the new
 * pipeline, and a replay of the journal switches at the same event.
 * <p>
 * <b>Note:</b> Immutable apart from its preparation, which is idempotent and safe from any thread: the first worker
 * to reach a change read back from the journal prepares it for all.
 */
public final class PipelineChange extends RuntimeChange
{
    private final String text;
    private final String fileName;
    private final PipelinePaths paths;
    /** Read back from a journal: the daemon that journaled it checked its name, source and sink. */
    private final boolean journaled;
    private volatile PipelineSpec prepared;

    /**
     * @param text     the pipeline file's content (UTF-8 text of a YAML pipeline).
     * @param fileName how error messages name the text ({@code file:line: problem}), e.g. the file's name.
     * @param origin   where the change came from, for logs and {@code journal dump}: e.g. "admin endpoint, from
     *                 127.0.0.1 (file card-features.yaml)".
     * @param paths    what the text's relative paths (plugins, models) are relative to: the running file's.
     */
    public PipelineChange(final String text, final String fileName, final String origin, final PipelinePaths paths)
    {
        this(text, fileName, origin, paths, false);
    }

    private PipelineChange(final String text, final String fileName, final String origin, final PipelinePaths paths,
        final boolean journaled)
    {
        super(origin);
        this.journaled = journaled;
        this.text = Objects.requireNonNull(text, "text");
        this.fileName = Objects.requireNonNull(fileName, "fileName");
        this.paths = Objects.requireNonNull(paths, "paths");
    }

    /**
     * A change read back from a journal, for recovery and replay. Its tasks replace the running ones as they did
     * live; its name, source and sink are not compared again with the running pipeline's, which a replay changes
     * (its sink is a file, its delivery at least once) and a debugging replay may rename.
     */
    public static PipelineChange fromJournal(final String text, final String origin, final PipelinePaths paths)
    {
        return new PipelineChange(text, "the pipeline change journaled from " + origin, origin, paths, true);
    }

    public String text()
    {
        return text;
    }

    public PipelinePaths paths()
    {
        return paths;
    }

    /**
     * The pipeline {@code running} becomes with this change: its own name, source, sink and settings with this
     * change's tasks, validated as a whole.
     *
     * @throws PipelineValidationException when the text is not a valid pipeline, or it changes what cannot change
     *                                     at runtime (every problem named).
     */
    public PipelineSpec prepare(final PipelineSpec running)
    {
        PipelineSpec spec = prepared;
        if (null == spec)
        {
            synchronized (this)
            {
                spec = prepared;
                if (null == spec)
                {
                    spec = merge(running, journaled, PipelineFile.parse(text, fileName, running.name(), paths.base(),
                        paths.pluginsDir()), fileName);
                    prepared = spec;
                }
            }
        }
        return spec;
    }

    private static PipelineSpec merge(final PipelineSpec running, final boolean journaled, final PipelineSpec next,
        final String origin)
    {
        final List<String> problems = new ArrayList<>();
        if (!journaled)
        {
            checkUnchanged(running, next, origin, problems);
        }
        if (!problems.isEmpty())
        {
            throw new PipelineValidationException(origin, problems);
        }
        return new PipelineSpec(running.name(), running.source(), next.tasks(), running.sink(), running.kafka(),
            running.engine(), running.journal(), running.state()).validate(origin);
    }

    /** What a live change may not change: checked when it is applied, not again when a journal replays it. */
    private static void checkUnchanged(final PipelineSpec running, final PipelineSpec next, final String origin,
        final List<String> problems)
    {
        if (!running.name().equals(next.name()))
        {
            problems.add(origin + ": name: '" + next.name() + "' differs from the running pipeline's '" +
                running.name() + "'; a change applies to the pipeline of the same name");
        }
        if (!running.source().equals(next.source()))
        {
            problems.add(origin + ": source: differs from the running pipeline's (" + running.source() +
                "); the source cannot change at runtime: restart the daemon with the new file");
        }
        if (!running.sink().equals(next.sink()))
        {
            problems.add(origin + ": sink: differs from the running pipeline's (" + running.sink() +
                "); the sink cannot change at runtime: restart the daemon with the new file");
        }
        if (!running.state().equals(next.state()))
        {
            problems.add(origin + ": state: differs from the running pipeline's (" + running.state() +
                "); what state belongs to cannot change at runtime: restart the daemons with the new file");
        }
    }

    @Override
    public String toString()
    {
        return "pipeline change from " + origin() + " (" + text.length() + " characters)";
    }
}
