package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.PipelineValidationException;
import dev.ringflow.engine.pipeline.ScoreTaskSpec;
import dev.ringflow.engine.pipeline.TaskSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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
public final class PipelineChange
{
    private final String text;
    private final String fileName;
    private final String origin;
    private final CompletableFuture<String> applied = new CompletableFuture<>();
    private volatile PipelineSpec prepared;

    /**
     * @param text     the pipeline file's content (UTF-8 text of a YAML pipeline).
     * @param fileName how error messages name the text ({@code file:line: problem}), e.g. the file's name.
     * @param origin   where the change came from, for logs and {@code journal dump}: e.g. "admin endpoint, from
     *                 127.0.0.1 (file card-features.yaml)".
     */
    public PipelineChange(final String text, final String fileName, final String origin)
    {
        this.text = Objects.requireNonNull(text, "text");
        this.fileName = Objects.requireNonNull(fileName, "fileName");
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    public String text()
    {
        return text;
    }

    public String origin()
    {
        return origin;
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
                    spec = merge(running, PipelineFile.parse(text, fileName, running.name(), modelBase(running)),
                        fileName);
                    prepared = spec;
                }
            }
        }
        return spec;
    }

    /**
     * The directory the running pipeline resolved its relative model paths against (its file's), so that the same
     * {@code model: m.json} means the same file in a change; the working directory when it has no score task.
     */
    private static Path modelBase(final PipelineSpec running)
    {
        for (final TaskSpec task : running.tasks())
        {
            if (task instanceof ScoreTaskSpec score && null != score.baseDir())
            {
                return score.baseDir();
            }
        }
        return null;
    }

    private static PipelineSpec merge(final PipelineSpec running, final PipelineSpec next, final String origin)
    {
        final List<String> problems = new ArrayList<>();
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
        if (!problems.isEmpty())
        {
            throw new PipelineValidationException(origin, problems);
        }
        return new PipelineSpec(running.name(), running.source(), next.tasks(), running.sink(), running.kafka(),
            running.engine(), running.journal()).validate(origin);
    }

    /**
     * Completes with what the switch did (which tasks kept their state, which start empty) once the workers have
     * applied the change, or exceptionally when the engine stops first.
     */
    public CompletableFuture<String> applied()
    {
        return applied;
    }

    void complete(final String report)
    {
        applied.complete(report);
    }

    void fail(final Throwable cause)
    {
        applied.completeExceptionally(cause);
    }

    @Override
    public String toString()
    {
        return "pipeline change from " + origin + " (" + text.length() + " characters)";
    }
}
