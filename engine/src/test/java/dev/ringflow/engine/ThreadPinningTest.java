package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.CpuList;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.PipelineValidationException;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadPinningTest
{
    @Test
    void shouldParseCpuListsAndRejectBadOnes()
    {
        assertThat(CpuList.parse("1")).isEqualTo(bits(1));
        assertThat(CpuList.parse("0, 2-3")).isEqualTo(bits(0, 2, 3));
        assertThatThrownBy(() -> CpuList.parse("3-1")).hasMessageContaining("'3-1'");
        assertThatThrownBy(() -> CpuList.parse("x")).hasMessageContaining("expected a CPU list");
        assertThatThrownBy(() -> PipelineBuilder.named("p").source("in").sink("out").cpu("worker", "a-b").build())
            .isInstanceOf(PipelineValidationException.class).hasMessageContaining("engine.cpus.worker");
        assertThatThrownBy(() -> PipelineBuilder.named("p").source("in").sink("out").cpu("gpu", "1").build())
            .isInstanceOf(PipelineValidationException.class).hasMessageContaining("unknown thread role 'gpu'");
    }

    @Test
    void shouldNameThreadRoles()
    {
        assertThat(RingflowThreadFactory.role("ringflow-worker-3")).isEqualTo("worker");
        assertThat(RingflowThreadFactory.role("ringflow-journal")).isEqualTo("journal");
        assertThat(RingflowThreadFactory.role("ringflow-source")).isEqualTo("source");
    }

    /**
     * Pins the source to the first CPU this thread may use and the worker to the last, then reads each engine
     * thread's CPU list back from the kernel ({@code /proc/thread-self/status}), not from the affinity library that
     * set it.
     */
    @Test
    void shouldPinTheSourceAndTheWorkerToTheirOwnCpusAsTheKernelReportsAndComputeTheSameResults()
    {
        final BitSet allowed = CpuList.parse(cpusAllowedListOfThisThread());
        assumeTrue(allowed.cardinality() >= 2, "pinning to one CPU of " + allowed + " cannot be told from not " +
            "pinning: this test needs at least two CPUs");
        final int sourceCpu = allowed.nextSetBit(0);
        final int workerCpu = allowed.length() - 1;
        final long seed = TestSeeds.seed("shouldPinTheSourceAndTheWorkerToTheirOwnCpusAsTheKernelReports");
        final List<InMemorySource.Record> input = EngineTest.randomInput(new Random(seed), 1_000, 10, 0);
        final Map<String, String> cpusByThread = new ConcurrentHashMap<>();

        final List<InMemorySink.Output> outputs = runSum(PipelineBuilder.named("pinned").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out")
            .cpu("source", Integer.toString(sourceCpu)).cpu("worker", Integer.toString(workerCpu)).build(),
            input, cpusByThread);

        assertThat(cpusByThread).as("Cpus_allowed_list of each engine thread, seed %d", seed).isEqualTo(Map.of(
            "ringflow-source", Integer.toString(sourceCpu),
            "ringflow-worker-0", Integer.toString(workerCpu)));
        assertThat(EngineTest.byKey(outputs)).as("seed %d", seed).isEqualTo(NaiveOracle.slidingSums(input, 5, 1));
    }

    /** CPUs 4000 and 4001 do not exist: the threads keep the CPUs they were started with and the results stand. */
    @Test
    void shouldRunUnpinnedWhenTheCpuDoesNotExist()
    {
        final String allowed = cpusAllowedListOfThisThread();
        final long seed = TestSeeds.seed("shouldRunUnpinnedWhenTheCpuDoesNotExist");
        final List<InMemorySource.Record> input = EngineTest.randomInput(new Random(seed), 1_000, 10, 0);
        final Map<String, String> cpusByThread = new ConcurrentHashMap<>();

        final List<InMemorySink.Output> outputs = runSum(PipelineBuilder.named("impossible").source("in")
            .window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out").cpu("worker", "4000").cpu("source", "4001")
            .build(), input, cpusByThread);

        assertThat(cpusByThread).as("Cpus_allowed_list of each engine thread, seed %d", seed).isEqualTo(Map.of(
            "ringflow-source", allowed,
            "ringflow-worker-0", allowed));
        assertThat(EngineTest.byKey(outputs)).as("seed %d", seed).isEqualTo(NaiveOracle.slidingSums(input, 5, 1));
    }

    /**
     * Runs {@code spec} over {@code input} and records, from the first call on each, the CPU list of the thread
     * that polls the source and of the thread that hands results to the sink.
     */
    private static List<InMemorySink.Output> runSum(final PipelineSpec spec, final List<InMemorySource.Record> input,
        final Map<String, String> cpusByThread)
    {
        final InMemorySource source = new InMemorySource();
        final Source recordingSource = new Source()
        {
            @Override
            public int poll(final EventPublisher publisher)
            {
                recordCpus(cpusByThread);
                return source.poll(publisher);
            }

            @Override
            public void commit(final long processedSequence)
            {
                source.commit(processedSequence);
            }

            @Override
            public void wakeup()
            {
                source.wakeup();
            }

            @Override
            public void close()
            {
                source.close();
            }
        };
        final InMemorySink sink = new InMemorySink();
        final Sink recordingSink = new Sink()
        {
            @Override
            public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
                final String reason, final EventSlot slot)
            {
                recordCpus(cpusByThread);
                sink.onRecord(kind, key, value, timestampMs, reason, slot);
            }

            @Override
            public void onEndOfBatch()
            {
                sink.onEndOfBatch();
            }

            @Override
            public void flush()
            {
                sink.flush();
            }

            @Override
            public void close()
            {
                sink.close();
            }
        };
        final Engine engine = Engine.start(spec, recordingSource, recordingSink);
        try
        {
            input.forEach(source::offer);
            EngineTest.awaitUntil(() -> engine.counters().eventsIn() == input.size());
        }
        finally
        {
            engine.close();
        }
        assertThat(source.committedCount()).isEqualTo(input.size());
        return sink.outputs();
    }

    private static void recordCpus(final Map<String, String> cpusByThread)
    {
        cpusByThread.computeIfAbsent(Thread.currentThread().getName(), name -> cpusAllowedListOfThisThread());
    }

    /** The calling thread's CPUs as the kernel reports them, e.g. {@code 0-1}. */
    private static String cpusAllowedListOfThisThread()
    {
        final Path status = Path.of("/proc/thread-self/status");
        assumeTrue(Files.isReadable(status), "reads each thread's CPUs from " + status + ", which only Linux has");
        try
        {
            for (final String line : Files.readAllLines(status))
            {
                if (line.startsWith("Cpus_allowed_list:"))
                {
                    return line.substring("Cpus_allowed_list:".length()).trim();
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        throw new AssertionError("no Cpus_allowed_list in " + status);
    }

    private static BitSet bits(final int... cpus)
    {
        final BitSet bits = new BitSet();
        for (final int cpu : cpus)
        {
            bits.set(cpu);
        }
        return bits;
    }
}
