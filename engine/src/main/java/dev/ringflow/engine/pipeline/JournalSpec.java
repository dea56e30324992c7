package dev.ringflow.engine.pipeline;

/**
 * Where and how a pipeline journals its input.
 *
 * @param enabled   journal every input (the default); without a journal there is no recovery, no replay and no
 *                  exactly-once delivery.
 * @param dir       the journal's directory; relative paths are resolved against the working directory.
 * @param rollCycle how often the journal starts a new file: old files are the unit of retention.
 */
public record JournalSpec(boolean enabled, String dir, RollCycle rollCycle)
{
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
        return new JournalSpec(enabled, dir, rollCycle);
    }

    /** How often the journal rolls to a new file. */
    public enum RollCycle
    {
        TEN_MINUTELY,
        HOURLY,
        DAILY
    }
}
