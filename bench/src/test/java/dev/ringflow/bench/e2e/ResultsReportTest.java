package dev.ringflow.bench.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The results' arithmetic on hand-made runs: ratios within a round, then the median over rounds, and the verdict
 * of each target.
 */
class ResultsReportTest
{
    private static final long RECORDS = 10_000_000;

    /** A run of {@code seconds} with {@code cpuSeconds} of CPU and the first output at {@code firstOutput}. */
    private static ScenarioMeasurement run(final Scenario scenario, final int round, final double seconds,
        final double firstOutput, final double cpuSeconds)
    {
        return new ScenarioMeasurement(scenario, round, RECORDS, seconds, firstOutput, cpuSeconds, 5, "ok", true);
    }

    private static final List<ScenarioMeasurement> THREE_ROUNDS = List.of(
        // Round 1: default takes 1.25x plain's time (0.8x its rate), 2x its CPU, first output 1 s later.
        run(Scenario.PLAIN, 1, 10, 2, 10), run(Scenario.EOS, 1, 11, 2.5, 11), run(Scenario.DEFAULT, 1, 12.5, 3, 20),
        // Round 2: a slow machine for everyone; default 0.5x plain, 1.2x its CPU, 0.2 s later.
        run(Scenario.PLAIN, 2, 20, 4, 10), run(Scenario.EOS, 2, 20, 4, 10), run(Scenario.DEFAULT, 2, 40, 4.2, 12),
        // Round 3: default 1.0x plain, 1.25x its CPU, 0.4 s later.
        run(Scenario.PLAIN, 3, 10, 2, 8), run(Scenario.EOS, 3, 12.5, 2, 9), run(Scenario.DEFAULT, 3, 10, 2.4, 10));

    @Test
    void shouldTakeTheMedianOfTheRoundsRatios()
    {
        final ResultsReport report = new ResultsReport(THREE_ROUNDS, 3);

        // Rate ratios per round 0.8, 0.5, 1.0: the median is 0.8, not the ratio of the median rates (1.0).
        assertThat(report.rateRatio(Scenario.DEFAULT, Scenario.PLAIN)).isCloseTo(0.8, within(1e-9));
        // Against EOS: 11 / 12.5, 20 / 40, 12.5 / 10.
        assertThat(report.rateRatio(Scenario.DEFAULT, Scenario.EOS)).isCloseTo(0.88, within(1e-9));
        assertThat(report.cpuRatio(Scenario.DEFAULT, Scenario.PLAIN)).isCloseTo(1.25, within(1e-9));
        assertThat(report.firstOutputDelay(Scenario.DEFAULT, Scenario.PLAIN)).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void shouldJudgeEachTargetOnItsFigure()
    {
        final String targets = new ResultsReport(THREE_ROUNDS, 3).targetsTable();

        assertThat(targets)
            .contains("| default >= 0.8x plain pass-through (records/s) | 0.80x | met |")
            .contains("| default >= 0.9x EOS pass-through (records/s) | 0.88x | missed |")
            .contains("| default CPU per record <= 1.3x plain pass-through's (process CPU) | 1.25x | met |")
            .contains("| default first output <= plain pass-through's + 0.5 s | +0.40 s | met |")
            .contains("| journal + at-least-once >= 0.9x plain pass-through (records/s) | - | not measured");
    }

    @Test
    void shouldShowEveryRunAndTheMediansPerScenario()
    {
        final ResultsReport report = new ResultsReport(THREE_ROUNDS, 3);

        assertThat(report.runsTable().lines().filter(line -> line.startsWith("| ")).count()).isEqualTo(1 + 9);
        // Plain's median: 10 s, 1,000,000 records/s, 1.0 CPU s per million records.
        assertThat(report.summaryTable(List.of(Scenario.PLAIN)))
            .contains("| 10,000,000 | 10.00 | 2.00 | 1,000,000 | 1.00 | 1.10 | 1.00 | 0.50 | all 3 runs: ok |");
    }

    @Test
    void shouldRefuseRunsFromMoreRoundsThanItWasTold()
    {
        assertThatThrownBy(() -> new ResultsReport(THREE_ROUNDS, 2))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("round 3 of 2");
    }
}
