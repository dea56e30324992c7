package dev.ringflow.tools;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.JournalSpec;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.io.journal.ChronicleJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringflow replay} of a journal whose partitions lag behind each other, with idle partitions and idle ticks,
 * gives the outputs the live worker gave: the per-partition watermark is derived from journaled inputs and ticks
 * only.
 */
class PartitionWatermarkReplayTest
{
    private static final String PIPELINE = String.join("\n",
        "source: {topic: in, partition-idle-ms: 3000}",
        "tasks:",
        "  - {type: time-window, size-ms: 1000, out-of-orderness-ms: 100, aggregation: sum}",
        "sink: {topic: out, late-topic: late, dead-letter-topic: dead}",
        "");

    @TempDir
    Path dir;

    @Test
    void shouldReplayToTheOutputsOfTheLiveRun() throws Exception
    {
        final Random random = new Random(TestSeeds.seed("shouldReplayToTheOutputsOfTheLiveRun"));
        final PipelineSpec spec = PipelineFile.parse(PIPELINE, "p.yaml", "p");
        // The live worker: one processor fed the slots in the order they are journaled.
        final PipelineProcessor live = new PipelineProcessor(spec);
        final ByteArrayOutputStream liveBytes = new ByteArrayOutputStream();
        final JsonLinesSink liveSink = new JsonLinesSink(liveBytes, false, "out", "dead", "late", 1);
        final long[] clocks = { 1_700_000_000_000L, 1_700_000_000_000L, 1_700_000_000_000L };
        int lateOrDead = 0;
        try (ChronicleJournal journal = ChronicleJournal.open(
            new JournalSpec(true, dir.resolve("journal").toString(), JournalSpec.RollCycle.HOURLY)))
        {
            final EventSlot slot = new EventSlot();
            for (int i = 0; i < 6_000; i++)
            {
                if (random.nextInt(500) == 0)
                {
                    slot.tick(random.nextInt(2_000));
                }
                else
                {
                    // Bursts per partition; partition 2 goes quiet for a long stretch in the middle.
                    int partition = random.nextInt(5) == 0 ? random.nextInt(3) : (i / 250) % 3;
                    partition = partition == 2 && i > 2_000 && i < 4_000 ? 0 : partition;
                    clocks[partition] += random.nextInt(40);
                    final long time = clocks[partition] - (random.nextInt(6) == 0 ? random.nextInt(1_500) : 0);
                    slot.input("in", partition, i, time, ("k" + random.nextInt(6)).getBytes(StandardCharsets.UTF_8),
                        Integer.toString(random.nextInt(100)).getBytes(StandardCharsets.UTF_8));
                }
                journal.append(slot);
                live.process(slot);
                final OutputList outputs = live.outputs();
                for (int o = 0; o < outputs.size(); o++)
                {
                    lateOrDead += outputs.kind(o) == OutputList.OUTPUT ? 0 : 1;
                    liveSink.onRecord(outputs.kind(o), outputs.key(o), outputs.value(o), outputs.timestampMs(o),
                        outputs.reason(o), slot);
                }
                if (i % 100 == 99)
                {
                    journal.flush();
                }
            }
            journal.flush();
        }
        final Path pipeline = dir.resolve("p.yaml");
        Files.writeString(pipeline, PIPELINE);
        final Path out = dir.resolve("replay.jsonl");
        assertThat(RingflowCommand.execute("replay", "--journal", dir.resolve("journal").toString(),
            "--pipeline", pipeline.toString(), "--out", out.toString(), "--no-progress")).isZero();

        final String replayed = Files.readString(out);
        assertThat(replayed).isEqualTo(liveBytes.toString(StandardCharsets.UTF_8));
        assertThat(replayed.lines().count()).isGreaterThan(100 + lateOrDead);
    }
}
