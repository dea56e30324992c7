package dev.ringflow.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@link SoakHarness} writes: the samples as CSV, the plot as SVG, and a Markdown page with the command, the
 * set-up, the verdict, the samples (one a minute on long runs), the classes whose live bytes grew most, and what
 * else ran on the machine.
 * <p>
 * <b>Note:</b> Filled and written by the harness's thread.
 */
final class SoakReport
{
    private static final int HISTOGRAM_ROWS = 10;
    private static final int MAX_TABLE_ROWS = 40;

    private final SoakOptions options;
    private final String command;
    private final List<String> facts = new ArrayList<>();
    private String started = "?";
    private String rates = "";
    private long offeredRate;
    private String journal = "?";
    private String histogramAfterWarmUp;
    private String histogramAtEnd;

    SoakReport(final SoakOptions options, final String command)
    {
        this.options = options;
        this.command = command;
    }

    void started(final String when)
    {
        started = when;
    }

    void rates(final long rate, final long maxRate, final boolean measured)
    {
        offeredRate = rate;
        rates = String.format(Locale.ROOT, "%,d records/s offered%s", rate, 0 == maxRate ? "" :
            String.format(Locale.ROOT, ", %d%% of a maximum of %,d records/s (%s)", Math.round(100.0 * rate / maxRate),
            maxRate, measured ? "measured by draining a backlog of " + String.format(Locale.ROOT, "%,d",
            options.calibrationRecords()) + " records first" : "given"));
    }

    void journal(final String size)
    {
        journal = size;
    }

    boolean hasHistogramAfterWarmUp()
    {
        return null != histogramAfterWarmUp;
    }

    void histogramAfterWarmUp(final String histogram)
    {
        histogramAfterWarmUp = histogram;
    }

    void histogramAtEnd(final String histogram)
    {
        histogramAtEnd = histogram;
    }

    void machine(final MachineActivity activity, final long daemonPid)
    {
        facts.add(String.format(Locale.ROOT, "Run %s; `nproc` %d; memory %.1f GiB; JDK %s (%s); the daemon in its own " +
            "JVM%s, the broker, load and checking consumer in the harness's JVM.", started,
            Runtime.getRuntime().availableProcessors(), MachineActivity.memoryGib(),
            System.getProperty("java.version"), System.getProperty("java.vm.name"),
            options.daemonJvmOptions().isEmpty() ? " with default heap and GC" : " with `" +
            String.join(" ", options.daemonJvmOptions()) + "`"));
        facts.add("Load average (1, 5, 15 min) at start " + activity.loadAtBegin() + ", at the end " +
            MachineActivity.loadAverage() + ".");
        final List<String> others = activity.othersForReport(Duration.ofSeconds(10), Set.of(daemonPid));
        facts.add(others.isEmpty() ? "No other process used more than 10 CPU s during the run." :
            "Other processes that used more than 10 CPU s during the run: " + String.join("; ", others) + ".");
        facts.addAll(options.notes());
    }

    void write(final List<SoakSample> samples, final SoakVerdict verdict) throws IOException
    {
        Files.createDirectories(options.outDir());
        final Path csv = options.outDir().resolve(options.prefix() + ".csv");
        final List<String> rows = new ArrayList<>();
        rows.add(SoakSample.CSV_HEADER);
        samples.forEach(s -> rows.add(s.csvRow()));
        Files.write(csv, rows, StandardCharsets.UTF_8);
        SoakPlot.write(samples, options.warmUp().toNanos() / 1e9, String.format(Locale.ROOT, "Ringflow soak: seed " +
            "sliding sum, exactly-once, journal on, %s at %,d records/s", SoakOptions.format(options.duration()),
            offeredRate), options.outDir().resolve(options.prefix() + ".svg"));
        final String document = document(samples, verdict);
        Files.writeString(options.outDir().resolve(options.prefix() + ".md"), document, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(document);
        System.out.println("Results written to " + options.outDir().toAbsolutePath().normalize());
    }

    private String document(final List<SoakSample> samples, final SoakVerdict verdict)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# Soak: ").append(SoakOptions.format(options.duration())).append(", ")
            .append(verdict.passed() ? "PASSED" : "FAILED").append("\n\n```bash\n").append(command)
            .append("\n```\n\n");
        out.append(String.format(Locale.ROOT, "The seed sliding-sum pipeline (journal on, exactly-once), %,d keys, " +
            "%s, for %s; a sample every %d s; the first %d s are warm-up, plotted but not judged. Journal at the " +
            "end: %s.%n%n", options.keys(), rates, SoakOptions.format(options.duration()),
            options.interval().toSeconds(), options.warmUp().toSeconds(), journal));
        out.append("| check | result | figures |\n|---|---|---|\n");
        for (final SoakVerdict.Check check : verdict.checks())
        {
            out.append("| ").append(check.name()).append(" | ").append(check.passed() ? "pass" : "**FAIL**")
                .append(" | ").append(check.detail()).append(" |\n");
        }
        out.append("\n| s | live heap MB | heap before GC MB | RSS MB | anon RSS MB | journal chunks MB (maps) | " +
            "p99 ms | p99.9 ms | max ms | lag | in flight | sent/s | forced GC ms |\n" +
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        final int every = Math.max(1, (samples.size() + MAX_TABLE_ROWS - 1) / MAX_TABLE_ROWS);
        for (int i = 0; i < samples.size(); i++)
        {
            if (i % every == every - 1 || i == samples.size() - 1)
            {
                final SoakSample s = samples.get(i);
                out.append(String.format(Locale.ROOT, "| %.0f | %.1f | %.1f | %.1f | %.1f | %.1f (%d) | %.1f | " +
                    "%.1f | %.1f | %,d | %,d | %,.0f | %.0f |%n", s.elapsedS(), s.liveHeapMb(), s.heapUsedMb(),
                    s.rssMb(), s.rssAnonMb(), s.journalRssMb(), s.journalMaps(), s.latencyMs(99), s.latencyMs(99.9),
                    s.latencyMs(100), s.consumerLag(), s.inFlight(), s.achievedRate(), s.forcedGcMs()));
            }
        }
        out.append('\n').append(histogramGrowth()).append('\n');
        out.append("How it is measured: live heap is the daemon's heap in use right after a forced full collection " +
            "(`MemoryMXBean.gc()` over a local JMX connection, as `jcmd <pid> GC.run`); its pause lands in the next " +
            "interval's latency. RSS is `VmRSS` of `/proc/<pid>/status`, anonymous RSS its `RssAnon`, journal chunks " +
            "the resident pages and number of the mappings of journal files in `/proc/<pid>/smaps` (Chronicle maps " +
            "a file in 64 MB chunks plus an overlap). Latency runs from each input's intended send time on the fixed " +
            "schedule (its Kafka timestamp, ms, which the output keeps) to the poll of a `read_committed` consumer " +
            "that returned the output (so up to 1 ms high, and corrected for coordinated omission). Lag is the " +
            "daemon's `ringflow_consumer_lag_records` summed over partitions; in flight is records acknowledged by " +
            "the broker whose output had not been read yet.\n\n");
        facts.forEach(f -> out.append("- ").append(f).append('\n'));
        return out.toString();
    }

    /** The classes whose live bytes grew most between the histogram after the warm-up and the one at the end. */
    private String histogramGrowth()
    {
        if (null == histogramAfterWarmUp || null == histogramAtEnd)
        {
            return "No class histograms were taken.\n";
        }
        final Map<String, long[]> start = parseHistogram(histogramAfterWarmUp);
        final Map<String, long[]> end = parseHistogram(histogramAtEnd);
        final List<Map.Entry<String, long[]>> growth = new ArrayList<>();
        end.forEach((name, counts) ->
        {
            final long[] before = start.getOrDefault(name, new long[2]);
            growth.add(Map.entry(name, new long[] { counts[0] - before[0], counts[1] - before[1], counts[1] }));
        });
        growth.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        final StringBuilder out = new StringBuilder("Classes whose live bytes grew most from the first sample after " +
            "the warm-up to the end (`GC.class_histogram`):\n\n| class | instances added | bytes added | bytes " +
            "at the end |\n|---|---:|---:|---:|\n");
        for (final Map.Entry<String, long[]> entry : growth.subList(0, Math.min(HISTOGRAM_ROWS, growth.size())))
        {
            out.append(String.format(Locale.ROOT, "| `%s` | %,d | %,d | %,d |%n", entry.getKey(), entry.getValue()[0],
                entry.getValue()[1], entry.getValue()[2]));
        }
        return out.toString();
    }

    /** {@code "  1:  12  345  [B (java.base@17)"} lines into class name to {instances, bytes}. */
    static Map<String, long[]> parseHistogram(final String histogram)
    {
        final Map<String, long[]> classes = new HashMap<>();
        for (final String line : histogram.split("\n"))
        {
            final String[] fields = line.trim().split("\\s+");
            if (fields.length >= 4 && fields[0].endsWith(":") && Character.isDigit(fields[0].charAt(0)))
            {
                classes.put(fields[3], new long[] { Long.parseLong(fields[1]), Long.parseLong(fields[2]) });
            }
        }
        return classes;
    }
}
