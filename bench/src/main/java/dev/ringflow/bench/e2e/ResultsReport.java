package dev.ringflow.bench.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The end-to-end harness's results as Markdown: per scenario the median of its runs (ratios to the pass-through
 * baselines taken within each round), the targets with the figures that decide them, and every run.
 * <p>
 * <b>Note:</b> Pure formatting over finished measurements; every scenario ran once per round.
 */
final class ResultsReport
{
    private final List<ScenarioMeasurement> runs;
    private final int rounds;

    /**
     * @throws IllegalArgumentException when a run's round is not in {@code 1..rounds}.
     */
    ResultsReport(final List<ScenarioMeasurement> runs, final int rounds)
    {
        for (final ScenarioMeasurement run : runs)
        {
            if (run.round() < 1 || run.round() > rounds)
            {
                throw new IllegalArgumentException(run.scenario().key() + " ran in round " + run.round() +
                    " of " + rounds);
            }
        }
        this.runs = runs;
        this.rounds = rounds;
    }

    /** One value per round of {@code scenario}, in round order; NaN for every round when it did not run. */
    double[] perRound(final Scenario scenario, final ToDoubleFunction<ScenarioMeasurement> value)
    {
        return ThroughputMath.perRound(runs, rounds, run -> run.scenario() == scenario, value);
    }

    /** The median over rounds of {@code scenario}'s records/s divided by {@code baseline}'s in the same round. */
    double rateRatio(final Scenario scenario, final Scenario baseline)
    {
        return ThroughputMath.median(ThroughputMath.ratios(perRound(scenario, ScenarioMeasurement::recordsPerSecond),
            perRound(baseline, ScenarioMeasurement::recordsPerSecond)));
    }

    double cpuRatio(final Scenario scenario, final Scenario baseline)
    {
        return ThroughputMath.median(ThroughputMath.ratios(perRound(scenario, ScenarioMeasurement::cpuPerMillion),
            perRound(baseline, ScenarioMeasurement::cpuPerMillion)));
    }

    /** The median over rounds of {@code scenario}'s first-output time minus {@code baseline}'s, seconds. */
    double firstOutputDelay(final Scenario scenario, final Scenario baseline)
    {
        final double[] mine = perRound(scenario, ScenarioMeasurement::firstOutputSeconds);
        final double[] theirs = perRound(baseline, ScenarioMeasurement::firstOutputSeconds);
        final double[] delays = new double[rounds];
        for (int i = 0; i < rounds; i++)
        {
            delays[i] = mine[i] - theirs[i];
        }
        return ThroughputMath.median(delays);
    }

    /** Per scenario, the median of its runs. */
    String summaryTable(final List<Scenario> scenarios)
    {
        final StringBuilder out = new StringBuilder();
        out.append("| scenario | records | seconds | first output s | records/s | x plain | x EOS pass-through | " +
            "CPU s / M records | broker CPU s / M records | output check |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (final Scenario scenario : scenarios)
        {
            final double[] checks = perRound(scenario, run -> run.checkPassed() ? 1 : 0);
            int passed = 0;
            for (final double check : checks)
            {
                passed += (int)check;
            }
            final double records = median(scenario, run -> run.records());
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %,.0f | %s | %s | %.2f | %.2f | %s |%n",
                scenario.title(), records, median(scenario, ScenarioMeasurement::seconds),
                median(scenario, ScenarioMeasurement::firstOutputSeconds),
                median(scenario, ScenarioMeasurement::recordsPerSecond), ratio(scenario, Scenario.PLAIN),
                ratio(scenario, Scenario.EOS), median(scenario, ScenarioMeasurement::cpuPerMillion),
                median(scenario, ScenarioMeasurement::brokerCpuPerMillion),
                passed == rounds ? (rounds > 1 ? "all " + rounds + " runs: " : "") + lastCheck(scenario) :
                "FAILED in " + (rounds - passed) + " of " + rounds + " runs"));
        }
        return out.toString();
    }

    /** The throughput targets, each with the figure that decides it; latency is measured elsewhere. */
    String targetsTable()
    {
        final StringBuilder out = new StringBuilder();
        out.append("| target | measured (median over rounds) | verdict |\n|---|---:|---|\n");
        target(out, "default >= 0.8x plain pass-through (records/s)", rateRatio(Scenario.DEFAULT, Scenario.PLAIN),
            "%.2fx", 0.8, true);
        target(out, "default >= 0.9x EOS pass-through (records/s)", rateRatio(Scenario.DEFAULT, Scenario.EOS),
            "%.2fx", 0.9, true);
        target(out, "journal + at-least-once >= 0.9x plain pass-through (records/s)",
            rateRatio(Scenario.ALO, Scenario.PLAIN), "%.2fx", 0.9, true);
        target(out, "default CPU per record <= 1.3x plain pass-through's (process CPU)",
            cpuRatio(Scenario.DEFAULT, Scenario.PLAIN), "%.2fx", 1.3, false);
        target(out, "default first output <= plain pass-through's + 0.5 s",
            firstOutputDelay(Scenario.DEFAULT, Scenario.PLAIN), "%+.2f s", 0.5, false);
        return out.toString();
    }

    /** Every run, in the order they ran. */
    String runsTable()
    {
        final StringBuilder out = new StringBuilder();
        out.append("| round | scenario | seconds | first output s | records/s | CPU s | broker CPU s | " +
            "CPU s / M | broker CPU s / M | output check |\n");
        out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (final ScenarioMeasurement run : runs)
        {
            out.append(String.format(Locale.ROOT,
                "| %d | %s | %.2f | %.2f | %,.0f | %.1f | %.1f | %.2f | %.2f | %s%s |%n", run.round(),
                run.scenario().key(), run.seconds(), run.firstOutputSeconds(), run.recordsPerSecond(),
                run.cpuSeconds(), run.brokerCpuSeconds(), run.cpuPerMillion(), run.brokerCpuPerMillion(),
                run.checkPassed() ? "" : "FAILED: ", run.check()));
        }
        return out.toString();
    }

    private static void target(final StringBuilder out, final String target, final double value, final String format,
        final double limit, final boolean atLeast)
    {
        final String verdict = Double.isNaN(value) ? "not measured (a scenario it compares did not run)" :
            (atLeast ? value >= limit : value <= limit) ? "met" : "missed";
        out.append("| ").append(target).append(" | ").append(Double.isNaN(value) ? "-" :
            String.format(Locale.ROOT, format, value)).append(" | ").append(verdict).append(" |\n");
    }

    private String ratio(final Scenario scenario, final Scenario baseline)
    {
        final double ratio = rateRatio(scenario, baseline);
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    private double median(final Scenario scenario, final ToDoubleFunction<ScenarioMeasurement> value)
    {
        return ThroughputMath.median(perRound(scenario, value));
    }

    private String lastCheck(final Scenario scenario)
    {
        final List<String> checks = new ArrayList<>();
        for (final ScenarioMeasurement run : runs)
        {
            if (run.scenario() == scenario)
            {
                checks.add(run.check());
            }
        }
        return checks.isEmpty() ? "-" : checks.get(checks.size() - 1);
    }
}
