package dev.ringflow.engine.pipeline;

/**
 * Where and how a pipeline journals its input.
 *
 * @param enabled   journal every input (the default); without a journal there is no recovery, no replay and no
 *                  exactly-once delivery.
 * @param dir       the journal's directory; relative paths are resolved against the working directory.
 * @param rollCycle how often the journal starts a new file: old files are the unit of retention.
 * @param minFreeMb the daemon stops, before anything not journaled is emitted or acknowledged, when the journal's
 *                  disk has less free space than this (a memory-mapped write to a full disk would crash the JVM).
 */
public record JournalSpec(boolean enabled, String dir, RollCycle rollCycle, long minFreeMb)
{
    public static final long DEFAULT_MIN_FREE_MB = 256;

    public JournalSpec(final boolean enabled, final String dir, final RollCycle rollCycle)
    {
        this(enabled, dir, rollCycle, DEFAULT_MIN_FREE_MB);
    }

    /** The default directory of a pipeline's journal, under the working directory. */
    public static String defaultDir(final String pipelineName)
    {
        return "journal/" + pipelineName;
    }

    public static JournalSpec defaults(final String pipelineName)
    {
        return new JournalSpec(true, defaultDir(pipelineName), RollCycle.HOURLY);
    }

    public static JournalSpec disabled()
    {
        return new JournalSpec(false, null, RollCycle.HOURLY);
    }

    public JournalSpec withDir(final String dir)
    {
        return new JournalSpec(enabled, dir, rollCycle, minFreeMb);
    }

    /** How often the journal rolls to a new file. */
    public enum RollCycle
    {
        TEN_MINUTELY,
        HOURLY,
        DAILY
    }
}
