package dev.ringflow.bench.e2e;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * {@link PipelineRateHarness}'s results as Markdown: per JSON pipeline (and JSON pass-through) its records/s over the
 * seed's in each round, the median of those ratios against the target, its records/s over the exactly-once
 * JSON pass-through's, and every run.
 * <p>
 * <b>Note:</b> Pure formatting over finished runs; the seed and every pipeline ran once per round.
 */
final class PipelineRateReport
{
    /** The extra column: a run's records/s over the exactly-once JSON pass-through's in the same round. */
    static final String PASS_THROUGH_COLUMN = "x JSON eos pass-through";
    private static final String EOS_PASS_THROUGH = JsonPipeline.JSON_PASS_THROUGH_EOS.key();

    private final List<Run> runs;
    private final List<JsonPipeline> pipelines;
    private final int rounds;

    /**
     * One run of one pipeline.
     *
     * @param pipeline           {@link PipelineRateHarness#SEED} or a {@link JsonPipeline#key()}.
     * @param round              which round (from 1).
     * @param records            input records.
     * @param seconds            from the JVM's launch until its group had committed the input; NaN when it did not.
     * @param firstOutputSeconds from the launch until a {@code read_committed} consumer read the first output.
     * @param cpuSeconds         user + system CPU of the pipeline's JVM over {@code seconds}.
     * @param brokerCpuSeconds   user + system CPU of the broker's JVM over the same interval.
     * @param check              the output check's outcome, in words.
     * @param passed             false when the run did not finish or its check failed.
     */
    record Run(String pipeline, int round, long records, double seconds, double firstOutputSeconds, double cpuSeconds,
        double brokerCpuSeconds, String check, boolean passed) implements ThroughputMath.Measured
    {
        static Run failed(final String pipeline, final int round, final long records, final Exception ex)
        {
            return new Run(pipeline, round, records, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                "FAILED: " + ex.getMessage(), false);
        }
    }

    PipelineRateReport(final List<Run> runs, final List<JsonPipeline> pipelines, final int rounds)
    {
        this.runs = runs;
        this.pipelines = pipelines;
        this.rounds = rounds;
    }

    /** One value per round of {@code pipeline}, NaN for a round where it did not run or did not finish. */
    double[] perRound(final String pipeline, final ToDoubleFunction<Run> value)
    {
        return ThroughputMath.perRound(runs, rounds, run -> run.pipeline().equals(pipeline) && run.passed(), value);
    }

    /** {@code pipeline}'s records/s over the seed's, round by round. */
    double[] rateRatios(final String pipeline)
    {
        return ThroughputMath.ratios(perRound(pipeline, Run::recordsPerSecond),
            perRound(PipelineRateHarness.SEED, Run::recordsPerSecond));
    }

    /** {@code pipeline}'s records/s over the exactly-once JSON pass-through's, round by round. */
    double[] passThroughRatios(final String pipeline)
    {
        return ThroughputMath.ratios(perRound(pipeline, Run::recordsPerSecond),
            perRound(EOS_PASS_THROUGH, Run::recordsPerSecond));
    }

    /**
     * Per pipeline: median rate, the ratio to the seed per round and its median, the target, CPU, the ratio to the
     * exactly-once JSON pass-through; then what that pass-through's ratio to the seed bounds.
     */
    String summaryTable()
    {
        final StringBuilder out = new StringBuilder();
        out.append("| pipeline | records/s (median) | x seed, per round | x seed (median) | target | verdict | " +
            "CPU s / M records (median) | x seed CPU (median) | " + PASS_THROUGH_COLUMN + " (median) |\n");
        out.append("|---|---:|---:|---:|---|---|---:|---:|---:|\n");
        final double seedCpu = median(PipelineRateHarness.SEED, Run::cpuPerMillion);
        out.append(String.format(Locale.ROOT, "| %s (default: journal, exactly-once) | %s | - | - | - | - | %s | - " +
            "| - |%n", PipelineRateHarness.SEED, format("%,.0f", median(PipelineRateHarness.SEED,
            Run::recordsPerSecond)), format("%.2f", seedCpu)));
        for (final JsonPipeline pipeline : pipelines)
        {
            final double[] ratios = rateRatios(pipeline.key());
            final double ratio = ThroughputMath.median(ratios);
            final StringBuilder perRound = new StringBuilder();
            for (final double each : ratios)
            {
                perRound.append(perRound.length() == 0 ? "" : ", ").append(format("%.2f", each));
            }
            final double cpu = median(pipeline.key(), Run::cpuPerMillion);
            final boolean bound = pipeline.isPassThrough();
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", pipeline.key(),
                format("%,.0f", median(pipeline.key(), Run::recordsPerSecond)), perRound, format("%.2fx", ratio),
                bound ? "-" : format(">= %.1fx", pipeline.target()), bound ? "-" : Double.isNaN(ratio) ?
                "not measured (a run failed)" : ratio >= pipeline.target() ? "met" : "missed", format("%.2f", cpu),
                format("%.2fx", cpu / seedCpu), pipeline == JsonPipeline.JSON_PASS_THROUGH_EOS ? "-" :
                format("%.2fx", ThroughputMath.median(passThroughRatios(pipeline.key())))));
        }
        final double ceiling = ThroughputMath.median(rateRatios(EOS_PASS_THROUGH));
        if (!Double.isNaN(ceiling))
        {
            out.append(String.format(Locale.ROOT, "%n%s moved the JSON input at %.2fx the seed's rate (median): with " +
                "no journal and no processing, no exactly-once pipeline over that input can exceed that ratio.%n",
                EOS_PASS_THROUGH, ceiling));
        }
        for (final JsonPipeline passThrough : pipelines)
        {
            final JsonPipeline pipeline = passThrough.bytesOf();
            final double bound = ThroughputMath.median(rateRatios(passThrough.key()));
            if (null == pipeline || Double.isNaN(bound))
            {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%n%s wrote the bytes of %s at %.2fx the seed's rate (median): no " +
                "exactly-once pipeline writing those bytes can exceed that ratio, so the target of %.1fx for %s is %s.%n",
                passThrough.key(), pipeline.key(), bound, pipeline.target(), pipeline.key(), bound < pipeline.target() ?
                "out of reach on this machine (the bound is below it)" : "below that bound"));
        }
        return out.toString();
    }

    /** Every run, in the order they ran, with its ratios to the seed and the eos JSON pass-through of its round. */
    String runsTable()
    {
        final StringBuilder out = new StringBuilder();
        out.append("| round | pipeline | records | seconds | first output s | records/s | x seed | " +
            PASS_THROUGH_COLUMN + " | CPU s | CPU s / M | broker CPU s / M | output check |\n");
        out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        final double[] seedRates = perRound(PipelineRateHarness.SEED, Run::recordsPerSecond);
        final double[] passThroughRates = perRound(EOS_PASS_THROUGH, Run::recordsPerSecond);
        for (final Run run : runs)
        {
            final double seedRate = seedRates[run.round() - 1];
            final double passThroughRate = passThroughRates[run.round() - 1];
            out.append(String.format(Locale.ROOT, "| %d | %s | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                run.round(), run.pipeline(), run.records(), format("%.2f", run.seconds()),
                format("%.2f", run.firstOutputSeconds()), format("%,.0f", run.recordsPerSecond()),
                run.pipeline().equals(PipelineRateHarness.SEED) ? "-" :
                    format("%.2f", run.recordsPerSecond() / seedRate),
                run.pipeline().equals(PipelineRateHarness.SEED) || run.pipeline().equals(EOS_PASS_THROUGH) ? "-" :
                    format("%.2f", run.recordsPerSecond() / passThroughRate), format("%.1f", run.cpuSeconds()),
                format("%.2f", run.cpuPerMillion()), format("%.2f", run.brokerCpuPerMillion()),
                run.check().replace('|', '/')));
        }
        return out.toString();
    }

    private double median(final String pipeline, final ToDoubleFunction<Run> value)
    {
        return ThroughputMath.median(perRound(pipeline, value));
    }

    private static String format(final String format, final double value)
    {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format(Locale.ROOT, format, value);
    }
}
