package dev.ringflow.tools;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.io.journal.ChronicleJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringflow replay} with two workers gives the same bytes on every run, in the order of the inputs.
 */
class ReplayDeterminismTest
{
    private static final int INPUTS = 20_000;
    private static final int KEYS = 64;
    private static final int RUNS = 8;

    @TempDir
    Path dir;

    @Test
    void shouldReplayWithTwoWorkersToTheSameBytesEveryTime() throws Exception
    {
        final Random random = new Random(TestSeeds.seed("shouldReplayWithTwoWorkersToTheSameBytesEveryTime"));
        final String expected = writeJournalAndOracle(random);
        final Path pipeline = dir.resolve("two-workers.yaml");
        Files.writeString(pipeline, Files.readString(SeedPipelinesTest.EXAMPLES.resolve("seed-sliding-sum.yaml"))
            + "\nengine:\n  workers: 2\n");

        byte[] first = null;
        for (int run = 0; run < RUNS; run++)
        {
            final Path out = dir.resolve("out-" + run + ".jsonl");
            final int exit = RingflowCommand.execute("replay", "--journal", dir.resolve("journal").toString(),
                "--pipeline", pipeline.toString(), "--out", out.toString(), "--no-progress");
            assertThat(exit).isZero();
            final byte[] bytes = Files.readAllBytes(out);
            if (null == first)
            {
                first = bytes;
                // One output per input, in input order: what a single-threaded naive sliding sum writes.
                assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(expected);
            }
            else
            {
                assertThat(Arrays.equals(first, bytes)).as("run %d equals run 0", run).isTrue();
            }
        }
    }

    /** Journals random values over {@link #KEYS} keys and returns the lines a naive sliding sum of 5 gives. */
    private String writeJournalAndOracle(final Random random)
    {
        final StringBuilder expected = new StringBuilder();
        final Map<String, ArrayDeque<Long>> windows = new HashMap<>();
        try (ChronicleJournal journal = ChronicleJournal.open(
            new JournalSpec(true, dir.resolve("journal").toString(), JournalSpec.RollCycle.HOURLY)))
        {
            final EventSlot slot = new EventSlot();
            for (int i = 0; i < INPUTS; i++)
            {
                final String key = "k-" + random.nextInt(KEYS);
                final long value = random.nextInt(2_000) - 1_000;
                final long timestampMs = 1_700_000_000_000L + i;
                slot.input("my-topic", i % 3, i, timestampMs, key.getBytes(StandardCharsets.UTF_8),
                    Long.toString(value).getBytes(StandardCharsets.UTF_8));
                journal.append(slot);
                if (i % 100 == 99)
                {
                    journal.flush();
                }
                final ArrayDeque<Long> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
                window.addLast(value);
                if (window.size() > 5)
                {
                    window.removeFirst();
                }
                long sum = 0;
                for (final long element : window)
                {
                    sum += element;
                }
                expected.append("{\"topic\":\"aggregated-topic\",\"key\":\"").append(key).append("\",\"value\":\"")
                    .append(sum).append("\",\"timestamp\":").append(timestampMs).append("}\n");
            }
            journal.flush();
        }
        return expected.toString();
    }
}
