package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.CpuList;
import dev.ringflow.engine.pipeline.PipelineBuilder;
import dev.ringflow.engine.pipeline.PipelineSpec;
import dev.ringflow.engine.pipeline.PipelineValidationException;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.ValueKind;
import net.openhft.affinity.Affinity;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void shouldPinTheWorkerWherePermittedAndRunEitherWay()
    {
        final int cpu = Runtime.getRuntime().availableProcessors() - 1;
        final AtomicReference<BitSet> workerCpus = new AtomicReference<>();
        final List<InMemorySink.Output> outputs = runSum(
            PipelineBuilder.named("pinned").source("in").window(5, 1, Aggregation.SUM, ValueKind.LONG).sink("out")
                .cpu("worker", Integer.toString(cpu)).build(), workerCpus);

        assertThat(outputs).hasSize(1_000);
        final BitSet initial = Affinity.getAffinity();
        if (initial.get(cpu) && initial.cardinality() > 1)
        {
            // Where the process may use the CPU, the worker runs on it alone (or pinning is not available at all,
            // which the engine logs once).
            assertThat(workerCpus.get()).satisfiesAnyOf(
                cpus -> assertThat(cpus).isEqualTo(bits(cpu)),
                cpus -> assertThat(cpus).isEqualTo(initial));
        }
    }

    @Test
    void shouldRunUnpinnedWhenTheCpuDoesNotExist()
    {
        final AtomicReference<BitSet> workerCpus = new AtomicReference<>();
        final List<InMemorySink.Output> outputs = runSum(
            PipelineBuilder.named("impossible").source("in").window(5, 1, Aggregation.SUM, ValueKind.LONG)
                .sink("out").cpu("worker", "4000").cpu("source", "4001").build(), workerCpus);

        assertThat(outputs).hasSize(1_000);
        assertThat(workerCpus.get().get(4000)).isFalse();
    }

    private static List<InMemorySink.Output> runSum(final PipelineSpec spec, final AtomicReference<BitSet> cpus)
    {
        final InMemorySink sink = new InMemorySink();
        final Sink recordingCpus = new Sink()
        {
            @Override
            public void onRecord(final int kind, final ByteSlice key, final ByteSlice value, final long timestampMs,
                final String reason, final EventSlot slot)
            {
                cpus.compareAndSet(null, Affinity.getAffinity());
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
        final InMemorySource source = new InMemorySource();
        final Engine engine = Engine.start(spec, source, recordingCpus);
        final Random random = new Random(3);
        for (int i = 0; i < 1_000; i++)
        {
            source.offer(EngineTest.record(i, "key-" + random.nextInt(10), Integer.toString(random.nextInt(100))));
        }
        EngineTest.awaitUntil(() -> engine.counters().eventsIn() == 1_000);
        engine.close();
        return sink.outputs();
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
