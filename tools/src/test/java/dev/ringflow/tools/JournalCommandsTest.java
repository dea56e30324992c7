package dev.ringflow.tools;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.PipelineChange;
import dev.ringflow.engine.PipelinePaths;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.io.journal.ChronicleJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringflow journal} and {@code ringflow replay} on a journal of known records, in process.
 */
class JournalCommandsTest
{
    private static final Path PIPELINE = SeedPipelinesTest.EXAMPLES.resolve("seed-sliding-sum.yaml");

    @TempDir
    Path dir;

    @Test
    void shouldReplayARangeWithStateStartingEmptyAtItsFirstRecord() throws Exception
    {
        final List<Long> indexes = writeJournal(20);
        final Path out = dir.resolve("out.jsonl");

        final int exit = RingflowCommand.execute("replay", "--journal", journal().toString(), "--pipeline",
            PIPELINE.toString(), "--from", Long.toString(indexes.get(10)), "--to", Long.toString(indexes.get(14)),
            "--out", out.toString(), "--no-progress");

        assertThat(exit).isZero();
        // Inputs 10..14 are the values 10..14 of key "k"; the window of 5 starts empty at input 10.
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).extracting(JournalCommandsTest::value)
            .containsExactly("10", "21", "33", "46", "60");
    }

    @Test
    void shouldDumpSummariseAndVerify() throws Exception
    {
        final List<Long> indexes = writeJournal(20);

        final Captured dump = run("journal", "dump", "--journal", journal().toString(), "--json", "--limit", "3");
        assertThat(dump.exit).isZero();
        assertThat(dump.stdout.lines().toList()).hasSize(3).first().asString()
            .contains("\"index\":" + indexes.get(0)).contains("\"offset\":0").contains("\"value\":\"0\"");

        final Captured stats = run("journal", "stats", "--journal", journal().toString());
        assertThat(stats.exit).isZero();
        assertThat(stats.stdout).contains("20 inputs, 0 ticks, 0 commit markers, 0 pipeline changes, 0 model swaps")
            .contains("partition   in-0: 20 records, offsets 0 .. 19")
            .contains("history     complete from the first record")
            .contains("snapshots   none");

        final Captured verify = run("journal", "verify", "--journal", journal().toString());
        assertThat(verify.exit).isZero();
        assertThat(verify.stdout).contains("OK: 20 records, 1 partitions, 0 problems");
    }

    /** {@code run} and {@code pipeline apply} say --journal-dir, these commands --journal: each takes both. */
    @Test
    void shouldTakeTheJournalDirectoryUnderEitherName() throws Exception
    {
        writeJournal(5);

        final Captured stats = run("journal", "stats", "--journal-dir", journal().toString());
        assertThat(stats.exit).isZero();
        assertThat(stats.stdout).contains("5 inputs, 0 ticks");
        assertThat(run("journal", "verify", "--journal-dir", journal().toString()).stdout)
            .contains("OK: 5 records, 1 partitions, 0 problems");
        assertThat(RingflowCommand.execute("replay", "--journal-dir", journal().toString(), "--pipeline",
            PIPELINE.toString(), "--out", dir.resolve("either-name.jsonl").toString(), "--no-progress")).isZero();
        assertThat(Files.readAllLines(dir.resolve("either-name.jsonl"))).hasSize(5);
    }

    @Test
    void shouldReplayAJournaledPipelineChangeAtItsPlaceInTheStream() throws Exception
    {
        // The daemon ran the seed pipeline; after input 9 a change put a filter (min 12) before the same window.
        final String changed = Files.readString(PIPELINE, StandardCharsets.UTF_8)
            .replace("tasks:\n", "tasks:\n  - {type: filter, min: 12}\n");
        writeJournal(20, 10, changed);
        final Path out = dir.resolve("out.jsonl");

        final int exit = RingflowCommand.execute("replay", "--journal", journal().toString(), "--pipeline",
            PIPELINE.toString(), "--out", out.toString(), "--no-progress");

        assertThat(exit).isZero();
        // Naive: a sum of the last 5 kept values; from input 10 on only values >= 12 are kept, and the window,
        // unchanged by the change, keeps the values before it.
        final List<String> expected = new ArrayList<>();
        final List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            if (i >= 10 && i < 12)
            {
                continue;
            }
            kept.add(i);
            expected.add(Integer.toString(kept.subList(Math.max(0, kept.size() - 5), kept.size()).stream()
                .mapToInt(Integer::intValue).sum()));
        }
        final List<String> first = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(first).extracting(JournalCommandsTest::value).containsExactlyElementsOf(expected);

        final Path again = dir.resolve("again.jsonl");
        assertThat(RingflowCommand.execute("replay", "--journal", journal().toString(), "--pipeline",
            PIPELINE.toString(), "--out", again.toString(), "--no-progress")).isZero();
        assertThat(Files.readAllLines(again, StandardCharsets.UTF_8)).as("a second replay").isEqualTo(first);

        final Captured stats = run("journal", "stats", "--journal", journal().toString());
        assertThat(stats.stdout).contains("20 inputs, 0 ticks, 0 commit markers, 1 pipeline changes, 0 model swaps");
        final Captured dump = run("journal", "dump", "--journal", journal().toString(), "--json");
        assertThat(dump.stdout.lines().filter(line -> line.contains("\"kind\":\"pipeline\"")).toList())
            .singleElement().asString().contains("\"origin\":\"a test\"").contains("filter, min: 12");
        assertThat(run("journal", "verify", "--journal", journal().toString()).exit).isZero();
    }

    @Test
    void shouldAnswerBadUsageWithTwoAndAMissingJournalWithOne() throws Exception
    {
        writeJournal(1);
        assertThat(run("journal").exit).isEqualTo(2);
        assertThat(run("replay", "--journal", journal().toString(), "--pipeline", PIPELINE.toString(), "--from",
            "yesterday").exit).isEqualTo(2);
        assertThat(run("journal", "stats", "--journal", dir.resolve("missing").toString()).exit).isEqualTo(1);
    }

    private Path journal()
    {
        return dir.resolve("journal");
    }

    /** Inputs 0..count-1 of key "k" with values equal to their offsets. */
    private List<Long> writeJournal(final int count)
    {
        return writeJournal(count, -1, null);
    }

    /** {@link #writeJournal(int)} with a change to {@code pipeline} journaled before input {@code changeAt}. */
    private List<Long> writeJournal(final int count, final int changeAt, final String pipeline)
    {
        final List<Long> indexes = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(
            new JournalSpec(true, journal().toString(), JournalSpec.RollCycle.HOURLY)))
        {
            final EventSlot slot = new EventSlot();
            for (int i = 0; i < count; i++)
            {
                if (i == changeAt)
                {
                    slot.change(new PipelineChange(pipeline, "changed.yaml", "a test",
                        PipelinePaths.NONE));
                    journal.append(slot);
                    journal.flush();
                }
                slot.input("in", 0, i, 1_000L + i, "k".getBytes(StandardCharsets.UTF_8),
                    Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                journal.append(slot);
                indexes.add(journal.flush());
            }
        }
        return indexes;
    }

    private static String value(final String jsonLine)
    {
        final int start = jsonLine.indexOf("\"value\":\"") + "\"value\":\"".length();
        return jsonLine.substring(start, jsonLine.indexOf('"', start));
    }

    /** An exit code and what the command printed to stdout. */
    private record Captured(int exit, String stdout)
    {
    }

    private static Captured run(final String... args)
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            final int exit = RingflowCommand.execute(args);
            return new Captured(exit, bytes.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(original);
        }
    }
}
