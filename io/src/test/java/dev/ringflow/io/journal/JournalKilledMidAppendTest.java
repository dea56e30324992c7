package dev.ringflow.io.journal;

import dev.ringflow.engine.pipeline.JournalSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process killed while it appends a batch to the journal dies holding the journal's write lock, with the batch's
 * record half written: the journal groups a ring batch into one record and holds the lock from the batch's first
 * append to its flush, so under load a SIGKILL usually lands there. The next daemon must open the journal and
 * append at once, not wait for the queue's lock timeout and force the dead process's lock open.
 */
class JournalKilledMidAppendTest
{
    private static final int COMPLETE = 500;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldOpenAndAppendAtOnceAfterAProcessDiedHoldingTheWriteLock() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle")).toList());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DiesMidAppend.class.getName());
        command.add(dir.toString());
        final Process child = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolveSibling(dir.getFileName() + "-child.log").toFile()).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child appends and dies").isTrue();
        assertThat(child.exitValue()).as("the child halted mid-append (exit 3), not before").isEqualTo(3);

        final long startNs = System.nanoTime();
        try (ChronicleJournal journal = ChronicleJournal.open(spec(dir)))
        {
            journal.append(JournalTestRecords.input(COMPLETE, "after-restart"));
            journal.flush();
        }
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        System.out.println("open and append after the kill took " + tookMs + " ms");

        final List<String> values = JournalTestRecords.values(dir);
        assertThat(values).hasSize(COMPLETE + 1);
        assertThat(values.get(COMPLETE - 1)).isEqualTo("value-" + (COMPLETE - 1));
        assertThat(values.get(COMPLETE)).isEqualTo("after-restart");
        // The queue's own lock timeout is 10 s or more; a wait for it would show here.
        assertThat(tookMs).as("open and append after the kill, ms").isLessThan(5_000);
    }

    private static JournalSpec spec(final Path dir)
    {
        return new JournalSpec(true, dir.toString(), JournalSpec.RollCycle.HOURLY);
    }

    /** The child: appends complete records, then dies in the middle of the next batch, holding the lock. */
    public static final class DiesMidAppend
    {
        public static void main(final String[] args) throws IOException
        {
            final ChronicleJournal journal = ChronicleJournal.open(spec(Path.of(args[0])));
            for (int i = 0; i < COMPLETE; i++)
            {
                journal.append(JournalTestRecords.input(i, "value-" + i));
                journal.flush();
            }
            for (int i = 0; i < 100; i++)
            {
                journal.append(JournalTestRecords.input(COMPLETE + i, "never-flushed-" + i));
            }
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
    }
}
