package dev.ringflow.bench.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The Markdown tables of {@link RecoveryTimeHarness}: one row per restart after a SIGKILL and a row of medians,
 * the harness's phases, and the notes and machine facts around them.
 */
final class RecoveryReport
{
    static final String COMMAND = "java --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \\\n" +
        "    --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED \\\n" +
        "    --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \\\n" +
        "    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \\\n" +
        "    -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true \\\n" +
        "    -cp bench/target/benchmarks.jar dev.ringflow.bench.e2e.RecoveryTimeHarness";

    private RecoveryReport()
    {
    }

    /**
     * One restart on the same journal, times from the launch of the child JVM.
     *
     * @param run              1 for the first restart.
     * @param replayedRecords  records the daemon says it replayed.
     * @param replayMs         the replay time the daemon logs.
     * @param emittedAgain     replayed records whose outputs were emitted again (0 when every output was committed).
     * @param noSnapshot       the daemon says it started without a snapshot.
     * @param startingMs       launch to the daemon's "starting pipeline" line (JVM start, command line, pipeline).
     * @param journalOpenMs    launch to the journal's "journal DIR (id ...), last index" line (preflight done, journal
     *                         opened).
     * @param assignedMs       launch to "partitions assigned" (connected, joined the group).
     * @param recoveredMs      launch to the "recovered from journal" line.
     * @param servingMs        launch to the output of a record produced before the launch, read committed.
     * @param otherOutputs     outputs other than the probe's that appeared meanwhile (expected: 0).
     */
    record Restart(int run, long replayedRecords, long replayMs, long emittedAgain, boolean noSnapshot,
        double startingMs, double journalOpenMs, double assignedMs, double recoveredMs, double servingMs,
        long otherOutputs)
    {
        /** JVM start, Kafka connection and group join: the part of the wall time to recovery that is not replay. */
        double nonReplayMs()
        {
            return recoveredMs - replayMs;
        }

        double replayRecordsPerSecond()
        {
            return replayMs > 0 ? replayedRecords * 1000.0 / replayMs : Double.NaN;
        }
    }

    /** A phase of the harness and how long it took. */
    record Phase(String name, double seconds)
    {
    }

    /** What was measured, in a paragraph. */
    static String intro(final RecoveryOptions options, final String journalSize, final boolean passed)
    {
        return String.format(Locale.ROOT, "The daemon (`java -jar tools/target/ringflow.jar run`, exactly-once, " +
            "`examples/seed-sliding-sum.yaml` plus `journal.snapshot-interval-ms: 0`, so no snapshot is ever taken) " +
            "consumed %,d records (integers 0..99 over %,d keys, `my-topic`, 3 partitions, embedded KRaft broker in " +
            "the harness JVM) until its group had committed them all, then was killed with SIGKILL and restarted " +
            "on the same journal %d times; every restart replays the whole journal. Before each launch one new " +
            "record is produced; (c) is when its output reaches a `read_committed` consumer. Times are from the " +
            "launch of the child JVM. Journal on disk: %s.%s", options.records(), options.keys(),
            options.restarts(), journalSize, passed ? "" : " **The run FAILED a check; see the notes.**");
    }

    /** The command line that repeats the run. */
    static String command(final RecoveryOptions options)
    {
        final StringBuilder command = new StringBuilder(COMMAND).append(String.format(Locale.ROOT,
            " \\\n    --records %d --keys %d --restarts %d", options.records(), options.keys(), options.restarts()));
        for (final String note : options.notes())
        {
            command.append(" \\\n    --note '").append(note.replace("'", "")).append('\'');
        }
        return command.toString();
    }

    /** What the columns include, and where the daemon's log is. */
    static List<String> howToRead(final Path daemonLog)
    {
        return List.of("(a) is the daemon's own measure (`JournalRecovery`: reading the journal and publishing " +
            "every record into the ring). (b) - (a) is JVM start, pipeline load, Kafka preflight, consumer group " +
            "join and the committed-offset lookup. (c) - (b) is the worker finishing the replayed records, the " +
            "consumer's first fetch, and one transaction commit (`engine.commit-interval-ms` 100).",
            "The daemon runs with `--status-interval 1`: its log shows the replay's rate second by second " +
            "(replayed records count as `in`, and the line says how many of them were replayed). Daemon log: `" +
            relative(daemonLog) + "`.");
    }

    /** A path as seen from the working directory, so reports name no machine's directories. */
    private static Path relative(final Path path)
    {
        final Path here = Path.of("").toAbsolutePath();
        final Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(here) ? here.relativize(absolute) : absolute.getFileName();
    }

    static String restartTable(final List<Restart> restarts)
    {
        final StringBuilder out = new StringBuilder();
        out.append("| restart | records replayed | (a) replay, daemon log (ms) | replay rate (records/s) | " +
            "(b) launch -> recovered line (ms) | (b) - (a): JVM start + Kafka join (ms) | " +
            "(c) launch -> first new output (ms) | launch -> `starting pipeline` (ms) | " +
            "launch -> journal opened (ms) | launch -> `partitions assigned` (ms) |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final Restart r : restarts)
        {
            out.append(String.format(Locale.ROOT,
                "| %d | %,d | %,d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f |%n", r.run(),
                r.replayedRecords(), r.replayMs(), r.replayRecordsPerSecond(), r.recoveredMs(),
                r.nonReplayMs(), r.servingMs(), r.startingMs(), r.journalOpenMs(), r.assignedMs()));
        }
        out.append(String.format(Locale.ROOT, "| **median** | %,.0f | **%,.0f** | **%,.0f** | **%,.0f** | " +
            "**%,.0f** | **%,.0f** | %,.0f | %,.0f | %,.0f |%n",
            median(restarts, r -> r.replayedRecords()), median(restarts, r -> r.replayMs()),
            median(restarts, Restart::replayRecordsPerSecond), median(restarts, Restart::recoveredMs),
            median(restarts, Restart::nonReplayMs), median(restarts, Restart::servingMs),
            median(restarts, Restart::startingMs), median(restarts, Restart::journalOpenMs),
            median(restarts, Restart::assignedMs)));
        return out.toString();
    }

    static String phaseTable(final List<Phase> phases)
    {
        final StringBuilder out = new StringBuilder("| phase | seconds |\n|---|---:|\n");
        for (final Phase phase : phases)
        {
            out.append(String.format(Locale.ROOT, "| %s | %,.1f |%n", phase.name(), phase.seconds()));
        }
        return out.toString();
    }

    static String document(final String command, final String intro, final List<Restart> restarts,
        final List<Phase> phases, final List<String> facts, final List<String> notes)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# Recovery time after a crash\n\n").append(intro).append("\n\n");
        out.append(restartTable(restarts)).append('\n');
        out.append("Phases of the run:\n\n").append(phaseTable(phases)).append('\n');
        out.append("Command (from the repository root, after `mvn -q -DskipTests package`):\n\n```bash\n")
            .append(command).append("\n```\n\n");
        out.append("Machine and run:\n\n");
        for (final String fact : facts)
        {
            out.append("- ").append(fact).append('\n');
        }
        if (!notes.isEmpty())
        {
            out.append("\nNotes:\n\n");
            for (final String note : notes)
            {
                out.append("- ").append(note).append('\n');
            }
        }
        return out.toString();
    }

    /** The median of the values, the mean of the middle two for an even count. */
    static double median(final List<Restart> restarts, final ToDoubleFunction<Restart> value)
    {
        final List<Double> values = new ArrayList<>();
        for (final Restart r : restarts)
        {
            values.add(value.applyAsDouble(r));
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        final int n = sorted.length;
        if (0 == n)
        {
            return Double.NaN;
        }
        return 1 == n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
