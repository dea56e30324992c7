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
 * @param snapshotIntervalMs how often the workers snapshot their state (0: never); recovery loads the latest
 *                  snapshot and replays only the journal after it. A snapshot is also taken at a clean stop.
 * @param retentionHours journal files are deleted once they are older than this and a kept snapshot covers them
 *                  (-1: never delete). Files a kept snapshot does not cover are never deleted.
 */
public record JournalSpec(boolean enabled, String dir, RollCycle rollCycle, long minFreeMb, long snapshotIntervalMs,
    long retentionHours)
{
    public static final long DEFAULT_MIN_FREE_MB = 256;
    public static final long DEFAULT_SNAPSHOT_INTERVAL_MS = 60_000;
    public static final long DEFAULT_RETENTION_HOURS = 168;
    public static final long KEEP_FOREVER = -1;

    public JournalSpec(final boolean enabled, final String dir, final RollCycle rollCycle)
    {
        this(enabled, dir, rollCycle, DEFAULT_MIN_FREE_MB);
    }

    public JournalSpec(final boolean enabled, final String dir, final RollCycle rollCycle, final long minFreeMb)
    {
        this(enabled, dir, rollCycle, minFreeMb, DEFAULT_SNAPSHOT_INTERVAL_MS, DEFAULT_RETENTION_HOURS);
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
        return new JournalSpec(enabled, dir, rollCycle, minFreeMb, snapshotIntervalMs, retentionHours);
    }

    public JournalSpec withSnapshots(final long snapshotIntervalMs, final long retentionHours)
    {
        return new JournalSpec(enabled, dir, rollCycle, minFreeMb, snapshotIntervalMs, retentionHours);
    }

    /** How often the journal rolls to a new file. */
    public enum RollCycle
    {
        TEN_MINUTELY,
        HOURLY,
        DAILY
    }
}
