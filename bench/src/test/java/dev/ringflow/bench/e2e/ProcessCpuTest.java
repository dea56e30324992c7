package dev.ringflow.bench.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CPU time from {@code /proc/<pid>/stat}: the fields are counted after the command name, whatever it holds, and
 * this process's figure agrees with what the JDK reports for it.
 */
class ProcessCpuTest
{
    /** A line of a real {@code /proc/<pid>/stat} (a JVM), utime 1234 and stime 567. */
    private static final String JAVA_LINE = "4242 (java) S 1 4242 4242 0 -1 4194560 81371 0 3 0 1234 567 0 0 20 0 " +
        "34 0 7087190 5125853184 96843 18446744073709551615 1 1 0 0 0 0 0 4096 16796879 0 0 0 17 1 0 0 0 0 0";

    @Test
    void shouldAddUserAndSystemTicks()
    {
        assertThat(ProcessCpu.ticks(JAVA_LINE)).isEqualTo(1234 + 567);
    }

    @Test
    void shouldCountFieldsAfterACommandNameWithSpacesAndParentheses()
    {
        final String line = JAVA_LINE.replace("(java)", "(a) b (c) 9 9)");

        assertThat(ProcessCpu.ticks(line)).isEqualTo(1234 + 567);
    }

    @Test
    void shouldRejectATruncatedLine()
    {
        assertThatThrownBy(() -> ProcessCpu.ticks("4242 (java) S 1 4242"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fields");
        assertThatThrownBy(() -> ProcessCpu.ticks("no command name here"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command name");
    }

    @Test
    void shouldParseTheClockTickRate()
    {
        assertThat(ProcessCpu.parseTicksPerSecond("100\n")).isEqualTo(100);
        assertThatThrownBy(() -> ProcessCpu.parseTicksPerSecond("undefined"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessCpu.parseTicksPerSecond("0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAgreeWithTheJdkOnThisProcessCpuTime()
    {
        final ProcessCpu cpu = ProcessCpu.create();
        final long pid = ProcessHandle.current().pid();
        burn(Duration.ofMillis(300));

        // The JDK's figure is read before and after ours: ours must lie between them, give or take one tick each.
        final double before = jdkCpuSeconds();
        final double ours = cpu.seconds(pid);
        final double after = jdkCpuSeconds();

        final double tick = 1.0 / cpu.ticksPerSecond();
        assertThat(ours).isGreaterThan(0.2).isBetween(before - tick, after + tick);
    }

    @Test
    void shouldFailClearlyForAProcessThatIsGone() throws IOException
    {
        // Once reaped, an exited child has no /proc entry.
        final Process process = new ProcessBuilder("true").start().onExit().join();

        assertThatThrownBy(() -> ProcessCpu.create().seconds(process.pid()))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("exited");
    }

    private static double jdkCpuSeconds()
    {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() / 1e9;
    }

    private static void burn(final Duration duration)
    {
        final long endNs = System.nanoTime() + duration.toNanos();
        long x = 1;
        while (System.nanoTime() - endNs < 0)
        {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        assertThat(x).isNotEqualTo(0);
    }
}
