package dev.ringflow.bench.e2e;

/**
 * One run of one scenario, from its JVM's launch until its consumer group had committed the whole input.
 *
 * @param scenario           what ran.
 * @param round              which repetition (from 1); the scenarios of one round ran one after the other.
 * @param records            input records processed.
 * @param seconds            from the JVM's launch until every output was committed.
 * @param firstOutputSeconds from the JVM's launch until a {@code read_committed} consumer read the first output.
 * @param cpuSeconds         user + system CPU of the scenario's JVM over {@code seconds} (start-up included).
 * @param brokerCpuSeconds   user + system CPU of the broker's JVM over the same interval.
 * @param check              how the outputs were checked, and the outcome, in words.
 * @param checkPassed        false when an output was wrong, missing or extra, or the JVM exited badly.
 */
record ScenarioMeasurement(Scenario scenario, int round, long records, double seconds, double firstOutputSeconds,
    double cpuSeconds, double brokerCpuSeconds, String check, boolean checkPassed) implements ThroughputMath.Measured
{
}
