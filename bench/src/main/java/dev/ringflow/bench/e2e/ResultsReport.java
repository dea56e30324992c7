package dev.ringflow.bench.e2e;

import java.util.List;
import java.util.Locale;

/**
 * The harness's results as Markdown: the throughput table (ratios to the consume-produce ceiling), the latency
 * table per offered rate, and how the run was set up.
 */
final class ResultsReport
{
    private static final double[] PERCENTILES = { 50, 90, 99, 99.9, 99.99 };

    private ResultsReport()
    {
    }

    static String throughputTable(final List<ScenarioResult> results, final ScenarioResult ceiling)
    {
        final StringBuilder out = new StringBuilder();
        out.append("| scenario | records | seconds | of which start-up | records/s | ratio to (b) | output check |\n");
        out.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (final ScenarioResult result : results)
        {
            out.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %,.0f | %.2f | %s%s |%n",
                result.name(), result.records(), result.seconds(), result.startupSeconds(),
                result.recordsPerSecond(), result.recordsPerSecond() / ceiling.recordsPerSecond(),
                result.checkPassed() ? "" : "FAILED: ", result.check()));
        }
        return out.toString();
    }

    static String latencyTable(final List<LatencyRun.Result> results)
    {
        final StringBuilder out = new StringBuilder();
        out.append("| delivery | offered rate | records/s | outputs | p50 ms | p90 ms | p99 ms | p99.9 ms | p99.99 ms |" +
            " max ms | sender max lag ms | warm-up max ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final LatencyRun.Result result : results)
        {
            out.append(String.format(Locale.ROOT, "| %s | %d%% | %,d | %,d of %,d |", result.delivery(),
                result.percent(), result.rate(), result.received(), result.expected()));
            for (final double percentile : PERCENTILES)
            {
                out.append(String.format(Locale.ROOT, " %.2f |", result.percentileMs(percentile)));
            }
            out.append(String.format(Locale.ROOT, " %.2f | %.2f | %.2f |%n", result.maxMs(), result.maxSendLagMs(),
                result.warmUpMaxMs()));
        }
        return out.toString();
    }

    static String document(final HarnessOptions options, final String environment, final List<ScenarioResult> results,
        final ScenarioResult ceiling, final List<LatencyRun.Result> latencies, final List<String> notes)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# Ringflow end-to-end benchmark\n\n");
        out.append(environment).append("\n\n");
        out.append(String.format(Locale.ROOT, "Input: %,d records, integers 0..99 as text over %,d keys " +
            "(`key-0`..), preloaded into `my-topic` (3 partitions) on an embedded single-node broker in the same " +
            "JVM.%s%n%n", options.records(), options.keys(), options.quick() ? " Quick run (`--quick`)." : ""));
        out.append("## Throughput\n\n");
        out.append("Each scenario reads the whole preloaded topic with its own consumer group (and writes its own " +
            "output topic). Seconds run from launch until every output is committed (the group's committed " +
            "offsets reach the input's end offsets; for transactional scenarios that is when the outputs become " +
            "visible to `read_committed` consumers); start-up is the part before the first input was processed.\n\n");
        out.append(throughputTable(results, ceiling)).append('\n');
        out.append("## Latency\n\n");
        out.append("Ringflow, seed sliding-sum pipeline, with the default exactly-once delivery (journal on) and " +
            "with at-least-once delivery (no journal), each at fixed offered rates as a share of its own " +
            "throughput above, and as the baseline the consume -> produce loop (b) at the at-least-once rates. " +
            "Latency runs from each input's intended send time " +
            "on the schedule (corrected for coordinated omission) until a `read_committed` consumer polled its " +
            "output. The loop (b) cannot keep up with a rate above its own throughput: its latency then grows " +
            "for as long as the run lasts.\n\n");
        out.append(latencyTable(latencies)).append('\n');
        out.append("![latency percentiles](latency.png)\n\n");
        out.append("## Notes\n\n");
        for (final String note : notes)
        {
            out.append("- ").append(note).append('\n');
        }
        return out.toString();
    }
}
