package dev.ringflow.bench.e2e;

/**
 * One throughput scenario's outcome.
 *
 * @param name           what ran, as the results table names it.
 * @param records        input records processed.
 * @param seconds        from launch (clients or engine created) until every output was committed.
 * @param startupSeconds of {@code seconds}, the time until the first input was processed.
 * @param check          how the outputs were checked, and the outcome, in words.
 * @param checkPassed    false when the outputs were wrong or incomplete.
 */
record ScenarioResult(String name, long records, double seconds, double startupSeconds, String check,
    boolean checkPassed)
{
    ScenarioResult(final String name, final long records, final ProgressWatch.Timing timing)
    {
        this(name, records, timing.seconds(), timing.startupSeconds(), "not checked", true);
    }

    double recordsPerSecond()
    {
        return records / seconds;
    }

    ScenarioResult withCheck(final String outcome, final boolean passed)
    {
        return new ScenarioResult(name, records, seconds, startupSeconds, outcome, passed);
    }
}
