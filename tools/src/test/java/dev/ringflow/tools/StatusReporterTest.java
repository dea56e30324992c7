package dev.ringflow.tools;

import dev.ringflow.engine.EngineMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The score and learn tasks' parts of the status line. */
class StatusReporterTest
{
    @Test
    void shouldShowEachLearnTaskWithADashForFiguresNotDefinedYet()
    {
        final String line = StatusReporter.learnFigures(List.of(
            new EngineMetrics.LearnSummary(2, "fraud", "fraud@12345", 12_345, 1_000, 0.41234, 0.87311),
            new EngineMetrics.LearnSummary(4, "tasks[4]", "learn@0", 0, 0, Double.NaN, Double.NaN)));

        assertThat(line).isEqualTo(" | learn fraud: 12,345 updates, log-loss 0.4123, AUC 0.8731 over 1,000, model " +
            "fraud@12345 | learn tasks[4]: 0 updates, log-loss -, AUC - over 0, model learn@0");
        assertThat(StatusReporter.learnFigures(List.of())).isEmpty();
    }

    @Test
    void shouldShowEachScoreTaskWithItsModelAndTheShadowsAgreement()
    {
        final String line = StatusReporter.scoreFigures(List.of(
            new EngineMetrics.ScoreSummary(0, "fraud", "v2", 12_345, "v3", 1_000, 971),
            new EngineMetrics.ScoreSummary(3, "lr", "fraud-lr-1", 7, null, 0, 0),
            new EngineMetrics.ScoreSummary(4, "new", "v1", 0, "v9", 0, 0)));
        assertThat(line).isEqualTo(" | score fraud: model v2, 12,345 scored, shadow v3 agrees 97.10% of 1,000" +
            " | score lr: model fraud-lr-1, 7 scored | score new: model v1, 0 scored, shadow v9 agrees - of 0");
    }
}
