package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.stage.PipelineProcessor;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshot files: written whole and found again, checked (checksum, pipeline, worker count) before use, and
 * pruned to the newest two complete ones.
 */
class SnapshotStoreTest
{
    @TempDir
    Path journal;

    private final PipelineSpec spec = spec(1);

    @Test
    void shouldLoadWhatItWroteIntoAProcessorThatThenAnswersTheSame() throws IOException
    {
        final PipelineProcessor original = new PipelineProcessor(spec);
        final SourceProgress progress = new SourceProgress();
        feed(original, progress, 0, 100);
        final SnapshotStore store = new SnapshotStore(journal, spec);
        store.write(42, 0, state(original), progress);

        assertThat(store.completeIndexes()).containsExactly(42L);
        assertThat(store.problemWith(42)).isNull();
        final SourceProgress offsets = store.offsets(42);
        assertThat(offsets.size()).isEqualTo(1);
        assertThat(offsets.nextOffset(0)).isEqualTo(100);

        final PipelineProcessor loaded = new PipelineProcessor(spec);
        final SourceProgress loadedProgress = new SourceProgress();
        store.read(42, 0, state(loaded), loadedProgress);
        assertThat(loadedProgress.nextOffset(0)).isEqualTo(100);
        assertThat(feed(loaded, new SourceProgress(), 100, 50)).isEqualTo(feed(original, progress, 100, 50));
    }

    @Test
    void shouldReportADamagedAMissingAndAForeignSnapshotInsteadOfUsingIt() throws IOException
    {
        final PipelineProcessor processor = new PipelineProcessor(spec);
        feed(processor, new SourceProgress(), 0, 100);
        final SnapshotStore store = new SnapshotStore(journal, spec);
        store.write(7, 0, state(processor), new SourceProgress());
        final Path file = SnapshotStore.dirOf(journal).resolve("snapshot-00000000000000000007-w0of1.bin");
        final byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(file, bytes);
        assertThat(store.problemWith(7)).contains("damaged (checksum mismatch)");

        Files.write(file, new byte[] { 1, 2, 3 }, StandardOpenOption.TRUNCATE_EXISTING);
        assertThat(store.problemWith(7)).contains("is empty");

        store.write(8, 0, state(processor), new SourceProgress());
        final SnapshotStore twoWorkers = new SnapshotStore(journal, spec(2));
        assertThat(twoWorkers.completeIndexes()).isEmpty();
        final SnapshotStore otherRange = new SnapshotStore(journal, PipelineBuilder.named("p").source("in")
            .window(6, 1, Aggregation.SUM, ValueKind.LONG).sink("out").build());
        assertThat(otherRange.problemWith(8)).contains("taken with another pipeline");
        assertThat(store.problemWith(9)).contains("is missing");
    }

    @Test
    void shouldKeepTheTwoNewestCompleteSnapshotsAndSayFromWhereTheJournalIsNeeded() throws IOException
    {
        final PipelineSpec sharded = spec(2);
        final SnapshotStore store = new SnapshotStore(journal, sharded);
        final PipelineProcessor processor = new PipelineProcessor(sharded);
        for (final long index : new long[] { 10, 20, 30 })
        {
            store.write(index, 0, state(processor), new SourceProgress());
            store.write(index, 1, state(processor), new SourceProgress());
        }
        store.write(40, 0, state(processor), new SourceProgress());
        Files.writeString(SnapshotStore.dirOf(journal).resolve("snapshot-00000000000000000005-w0of2.bin.tmp"), "x");

        assertThat(store.completeIndexes()).containsExactly(30L, 20L, 10L);
        assertThat(store.prune()).isEqualTo(20);
        assertThat(store.completeIndexes()).containsExactly(30L, 20L);
        final List<String> left = new ArrayList<>();
        try (var files = Files.list(SnapshotStore.dirOf(journal)))
        {
            files.forEach(f -> left.add(f.getFileName().toString()));
        }
        assertThat(left).hasSize(5).noneMatch(name -> name.contains("-00000000000000000010-"))
            .noneMatch(name -> name.endsWith(".tmp"));
    }

    private static PipelineSpec spec(final int workers)
    {
        return PipelineBuilder.named("p").source("in").window(5, 1, Aggregation.SUM, ValueKind.LONG)
            .sink("out").workers(workers).build();
    }

    private static List<String> feed(final PipelineProcessor processor, final SourceProgress progress,
        final int from, final int count)
    {
        final List<String> outputs = new ArrayList<>();
        final EventSlot slot = new EventSlot();
        for (int i = from; i < from + count; i++)
        {
            slot.input("in", 0, i, i, ("k" + i % 7).getBytes(StandardCharsets.UTF_8),
                Integer.toString(i * 31 % 101).getBytes(StandardCharsets.UTF_8));
            processor.process(slot);
            progress.onProcessed(slot);
            for (int o = 0; o < processor.outputs().size(); o++)
            {
                final ByteSlice value = processor.outputs().value(o);
                outputs.add(new String(value.bytes(), 0, value.length(), StandardCharsets.UTF_8));
            }
        }
        return outputs;
    }

    /** Key-scoped state held by {@code processor}. */
    private static WorkerState state(final PipelineProcessor processor)
    {
        return new WorkerState(ignored -> processor, processor.spec());
    }
}
