package dev.ringflow.bench.e2e;

import dev.ringflow.engine.pipeline.PipelineFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LatencyHarness's command line: defaults, every option, and the errors a user gets for a bad one.
 */
class LatencyHarnessOptionsTest
{
    @Test
    void shouldTakeTheDocumentedDefaults()
    {
        final LatencyHarness.Options options = LatencyHarness.Options.parse(new String[0]);
        assertThat(options.maxRate()).isEqualTo(LatencyHarness.DEFAULT_MAX_RATE);
        assertThat(options.percents()).containsExactly(50);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.warmUp()).isEqualTo(Duration.ofSeconds(LatencyHarness.DEFAULT_WARM_UP_SECONDS));
        assertThat(options.scenarios()).isEqualTo(LatencyHarness.DEFAULT_SCENARIOS);
        assertThat(options.jar()).isEqualTo(HarnessOptions.DEFAULT_JAR);
        assertThat(options.commitIntervalMs()).isEqualTo(100);
    }

    @Test
    void shouldReadEveryOption()
    {
        final LatencyHarness.Options options = LatencyHarness.Options.parse(new String[] { "--max-rate", "700_000",
            "--percent", "10, 50,90", "--seconds", "30", "--warm-up", "5", "--scenarios", "alo,plain", "--keys",
            "100", "--commit-interval-ms", "5", "--out", "out", "--jar", "r.jar" });
        assertThat(options.maxRate()).isEqualTo(700_000);
        assertThat(options.percents()).containsExactly(10, 50, 90);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.warmUp()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.scenarios()).containsExactly(Scenario.ALO, Scenario.PLAIN);
        assertThat(options.keys()).isEqualTo(100);
        assertThat(options.commitIntervalMs()).isEqualTo(5);
        assertThat(options.outDir()).isEqualTo(Path.of("out"));
        assertThat(options.jar()).isEqualTo(Path.of("r.jar"));
        assertThat(LatencyHarness.Options.parse(new String[] { "--help" })).isNull();
    }

    @Test
    void shouldRefuseBadOptionsNamingThem()
    {
        for (final List<String> args : List.of(List.of("--percent", "120"), List.of("--percent", "0"),
            List.of("--max-rate", "fast"), List.of("--scenarios", "streams"), List.of("--seconds"),
            List.of("--commit-interval-ms", "0"), List.of("--bogus")))
        {
            assertThatThrownBy(() -> LatencyHarness.Options.parse(args.toArray(new String[0])))
                .as(args.toString()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(args.get(0).equals("--scenarios") ? "streams" : args.get(0));
        }
    }

    @Test
    void shouldSetTheCommitIntervalOfThePipelineFilesOnlyWhenAskedTo() throws IOException
    {
        final String seed = RecoveryTimeHarness.seedPipelineText();
        assertThat(LatencyHarness.withCommitInterval(seed, 100)).isEqualTo(seed);
        final String every5 = LatencyHarness.withCommitInterval(seed, 5);
        assertThat(every5).startsWith(seed).endsWith("engine:\n  commit-interval-ms: 5\n");
        assertThat(PipelineFile.parse(every5, "seed.yaml", "seed").engine()
            .commitIntervalMs()).isEqualTo(5);
    }
}
