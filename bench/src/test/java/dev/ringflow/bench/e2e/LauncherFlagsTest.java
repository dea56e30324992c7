package dev.ringflow.bench.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harnesses start the daemon with the JVM options the {@code ringflow} script gives it: a change to the script's
 * JIT thresholds that the harnesses missed would measure something no user runs.
 */
class LauncherFlagsTest
{
    private static final Path SCRIPT = Path.of("..", "ringflow");

    @Test
    void shouldStartTheDaemonWithTheScriptsJitFlags() throws IOException
    {
        final String script = Files.readString(SCRIPT, StandardCharsets.UTF_8);
        final Matcher jit = Pattern.compile("(?m)^jit=\\((.*)\\)$").matcher(script);
        assertThat(jit.find()).as("a jit=(...) array in " + SCRIPT).isTrue();
        final List<String> scriptFlags = Arrays.asList(jit.group(1).trim().split("\\s+"));

        assertThat(ChildJvm.LAUNCHER_JIT_FLAGS).containsExactlyElementsOf(scriptFlags);
        assertThat(script).as("both of the script's java commands pass the array")
            .containsSubsequence("exec java -XX:+ExitOnOutOfMemoryError \"${jit[@]}\"",
                "exec java -XX:+ExitOnOutOfMemoryError \"${jit[@]}\"");
        assertThat(ScenarioLauncher.ringflowRunArgs(Path.of("no-such-module", "target", "ringflow.jar"),
            Path.of("p.yaml"), "localhost:9092")).startsWith(scriptFlags.toArray(new String[0]));
    }
}
