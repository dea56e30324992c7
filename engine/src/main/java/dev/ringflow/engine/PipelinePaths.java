package dev.ringflow.engine;

import java.nio.file.Path;

/**
 * Where the relative paths of a pipeline file lead: the directory of the file the daemon runs ({@code plugins-dir}
 * and model files are relative to it) and the {@code --plugins} directory that overrides the file's. A pipeline
 * change posted to a running daemon is read as if it were that file, and is journaled with these paths so that
 * recovery and replay load the same plugins and models.
 *
 * @param base       the pipeline file's directory, or null to resolve against the working directory.
 * @param pluginsDir the plugins directory given on the command line, or null for the file's own.
 */
public record PipelinePaths(Path base, Path pluginsDir)
{
    /** Paths relative to the working directory, plugins from the class path unless the file names a directory. */
    public static final PipelinePaths NONE = new PipelinePaths(null, null);

    /** The paths of a daemon running {@code pipelineFile}, with {@code --plugins} {@code pluginsDir} (or null). */
    public static PipelinePaths of(final Path pipelineFile, final Path pluginsDir)
    {
        final Path parent = pipelineFile.toAbsolutePath().normalize().getParent();
        return new PipelinePaths(parent, null == pluginsDir ? null : pluginsDir.toAbsolutePath().normalize());
    }

    /** {@code path} as a journal stores it: its text, or the empty text for none. */
    public static String text(final Path path)
    {
        return null == path ? "" : path.toString();
    }

    /** The inverse of {@link #text}. */
    public static Path path(final String text)
    {
        return null == text || text.isEmpty() ? null : Path.of(text);
    }
}
