package dev.ringflow.bench.e2e;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Measures one run of a scenario: creates its topics, launches its JVM, waits until its group has committed the
 * whole input, reads its CPU and the broker's at that moment (before the stop, so shutting down is not charged),
 * stops it with SIGTERM, then checks every output and deletes the run's topics and files.
 * <p>
 * <b>Note:</b> Used by the harness's thread.
 */
final class ScenarioRunner
{
    private static final Duration FIRST_OUTPUT_GRACE = Duration.ofSeconds(30);
    /** How a JVM without a SIGTERM handler of its own (the pass-through loops, Kafka Streams) exits on SIGTERM. */
    static final int SIGTERM_EXIT = 143;

    private final String servers;
    private final ChildJvm broker;
    private final ProcessCpu cpu;
    private final ScenarioLauncher launcher;
    private final Map<TopicPartition, Long> inputEnds;
    private final int keys;
    private final KeyedSequences expectedSums;
    private final KeyedSequences inputValues;
    private final Path logDir;

    ScenarioRunner(final String servers, final ChildJvm broker, final ProcessCpu cpu, final ScenarioLauncher launcher,
        final Map<TopicPartition, Long> inputEnds, final int keys, final KeyedSequences expectedSums,
        final KeyedSequences inputValues, final Path logDir)
    {
        this.servers = servers;
        this.broker = broker;
        this.cpu = cpu;
        this.launcher = launcher;
        this.inputEnds = inputEnds;
        this.keys = keys;
        this.expectedSums = expectedSums;
        this.inputValues = inputValues;
        this.logDir = logDir;
    }

    /**
     * @param onChild called with each scenario JVM's pid as it starts (for the report of other processes).
     */
    ScenarioMeasurement measure(final Scenario scenario, final int round, final LongConsumer onChild)
        throws IOException, InterruptedException
    {
        final long records = GroupOffsets.sum(inputEnds);
        final ScenarioLauncher.Run run = launcher.names(scenario, round, logDir);
        try (GroupOffsets offsets = new GroupOffsets(servers))
        {
            offsets.createTopics(run.topics(), EndToEndHarness.PARTITIONS);
            final Timed timed = timeRun(servers, broker, cpu, offsets, run.group(), inputEnds, run.output(),
                () -> launcher.launch(run), onChild);
            final ScenarioMeasurement unchecked = new ScenarioMeasurement(scenario, round, records, timed.seconds(),
                timed.firstOutputSeconds(), timed.childCpu(), timed.brokerCpu(), "not checked", true);
            final ScenarioMeasurement checked = check(unchecked, OutputTopicReader.read(servers, run.output(), keys,
                records), timed.exitCode());
            offsets.deleteTopics(run.topics());
            if (scenario.journals())
            {
                EndToEndHarness.logTagged("e2e", "  journal: %s", JournalDiskUsage.describe(run.dataDir()));
            }
            ScenarioLauncher.deleteFiles(run);
            return checked;
        }
    }

    /**
     * One timed run: watches {@code output} for its first record, launches the JVM, waits until {@code group} has
     * committed {@code inputEnds}, reads the JVM's CPU and the broker's at that moment (before the stop, so shutting
     * down is not charged), then stops the JVM with SIGTERM. The run's topics must exist.
     *
     * @param onChild called with the JVM's pid as it starts.
     */
    static Timed timeRun(final String servers, final ChildJvm broker, final ProcessCpu cpu,
        final GroupOffsets offsets, final String group, final Map<TopicPartition, Long> inputEnds,
        final String output, final Launch launch, final LongConsumer onChild) throws IOException, InterruptedException
    {
        final long doneNs;
        final double childCpu;
        final double brokerCpu;
        final long launchNs;
        final int exitCode;
        final long firstNs;
        try (FirstOutputWatch firstOutput = FirstOutputWatch.start(servers, output, EndToEndHarness.PARTITIONS))
        {
            final double brokerCpuBefore = cpu.seconds(broker.pid());
            try (ChildJvm child = launch.launch())
            {
                onChild.accept(child.pid());
                launchNs = child.launchNs();
                doneNs = awaitCommitted(child, offsets, group, inputEnds);
                // Read at once: the JVM is still running, and nothing of its shutdown is charged.
                childCpu = cpu.seconds(child.pid());
                brokerCpu = cpu.seconds(broker.pid()) - brokerCpuBefore;
                exitCode = child.stop();
            }
            firstNs = firstOutput.await(FIRST_OUTPUT_GRACE);
        }
        return new Timed(launchNs, doneNs, firstNs, childCpu, brokerCpu, exitCode);
    }

    /** Starts the JVM of a timed run. */
    @FunctionalInterface
    interface Launch
    {
        ChildJvm launch() throws IOException;
    }

    /**
     * What {@link #timeRun} measured, in {@link System#nanoTime()} terms.
     *
     * @param firstNs   when a {@code read_committed} consumer read the first output, 0 if none came.
     * @param childCpu  CPU seconds of the JVM from its start until its group had committed the input.
     * @param brokerCpu CPU seconds of the broker over the same interval.
     * @param exitCode  the JVM's exit code after SIGTERM.
     */
    record Timed(long launchNs, long doneNs, long firstNs, double childCpu, double brokerCpu, int exitCode)
    {
        /** From the launch until the input was committed. */
        double seconds()
        {
            return (doneNs - launchNs) / 1e9;
        }

        /** From the launch until the first output was read, NaN if none came. */
        double firstOutputSeconds()
        {
            return 0 == firstNs ? Double.NaN : (firstNs - launchNs) / 1e9;
        }
    }

    /** @return when {@code group} had committed the whole input (checked every 20 ms). */
    private static long awaitCommitted(final ChildJvm child, final GroupOffsets offsets, final String group,
        final Map<TopicPartition, Long> inputEnds)
    {
        final long records = GroupOffsets.sum(inputEnds);
        final Duration timeout = ProgressWatch.deadlineFor(records);
        final long deadlineNs = child.launchNs() + timeout.toNanos();
        while (!offsets.hasCommitted(group, inputEnds))
        {
            child.checkAlive("its group to commit the input");
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException(child.name() + " did not commit " + records + " inputs within " +
                    timeout.toSeconds() + " s; see " + child.logFile());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ProgressWatch.CHECK_INTERVAL_MS));
        }
        return System.nanoTime();
    }

    /** Every output against the oracle: the sliding sums, or for a pass-through the input itself, key by key. */
    private ScenarioMeasurement check(final ScenarioMeasurement result, final OutputTopicReader.Contents contents,
        final int exitCode)
    {
        final boolean sums = result.scenario().computesSlidingSum();
        String problem = null;
        if (contents.unparseable() > 0)
        {
            problem = contents.unparseable() + " of " + contents.records() + " outputs have an unexpected key or a " +
                "non-integer value";
        }
        else
        {
            final String difference = contents.sequences().firstDifference(sums ? expectedSums : inputValues);
            if (null != difference)
            {
                problem = "differs from the " + (sums ? "expected sums" : "input") + ": " + difference;
            }
        }
        // The daemon handles SIGTERM and exits 0; the other JVMs run their shutdown hooks and exit 128 + 15.
        if (null == problem && 0 != exitCode && !(SIGTERM_EXIT == exitCode && !result.scenario().isRingflow()))
        {
            problem = "exited " + exitCode + " after SIGTERM";
        }
        final String check = null != problem ? problem : String.format(Locale.ROOT, "%,d outputs = %s, per key",
            contents.records(), sums ? "expected sums" : "input");
        return new ScenarioMeasurement(result.scenario(), result.round(), result.records(), result.seconds(),
            result.firstOutputSeconds(), result.cpuSeconds(), result.brokerCpuSeconds(), check, null == problem);
    }
}
