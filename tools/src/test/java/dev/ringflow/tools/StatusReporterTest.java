package dev.ringflow.tools;

import dev.ringflow.engine.EngineMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The learn tasks' part of the status line. */
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
}
