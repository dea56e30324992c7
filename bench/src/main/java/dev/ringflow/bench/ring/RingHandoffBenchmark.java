package dev.ringflow.bench.ring;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.PhasedBackoffWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import dev.ringflow.engine.pipeline.EngineSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One producer thread hands events to one consumer thread: a Disruptor ring of preallocated slots (the
 * engine's hand-off) against {@link ArrayBlockingQueue} in the same run. Each invocation hands over
 * {@value #BATCH} events and waits until the consumer has taken them all, so the score is end-to-end hand-off
 * throughput, not the speed of filling a buffer. The queue carries preallocated {@code Long}s, so its score
 * is the queue's own cost, not boxing.
 * <pre>
 * java -jar bench/target/benchmarks.jar RingHandoffBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RingHandoffBenchmark
{
    static final int BATCH = 4096;
    private static final int CAPACITY = 1 << 16;

    /**
     * How the ring's consumer waits: blocking, phased (spin, yield, then block: see the engine's
     * {@code WaitStrategyKind.PHASED}) and yielding. The queue's consumer always blocks; it runs once per value, as a
     * baseline beside each.
     */
    @Param({ "blocking", "phased", "yielding" })
    String waitStrategy;

    /** Slot of the ring: a long, reused. */
    static final class Slot
    {
        long value;
    }

    private Disruptor<Slot> disruptor;
    private RingBuffer<Slot> ring;
    private final AtomicLong ringConsumed = new AtomicLong();
    private long ringPublished;

    private ArrayBlockingQueue<Long> queue;
    private Thread queueConsumer;
    private final AtomicLong queueConsumed = new AtomicLong();
    private long queueProduced;
    private volatile boolean running;
    private Long[] boxes;

    /** Only the structure under test is started: an idle yielding consumer would steal a core from the other. */
    @Setup(Level.Trial)
    public void setUp(final org.openjdk.jmh.infra.BenchmarkParams params)
    {
        if (params.getBenchmark().endsWith("arrayBlockingQueue"))
        {
            startQueue();
        }
        else
        {
            startRing();
        }
    }

    private void startRing()
    {
        final WaitStrategy strategy;
        switch (waitStrategy)
        {
            case "yielding":
                strategy = new YieldingWaitStrategy();
                break;
            case "phased":
                strategy = PhasedBackoffWaitStrategy.withLock(EngineSpec.PHASED_SPIN_MICROS,
                    EngineSpec.PHASED_YIELD_MICROS, TimeUnit.MICROSECONDS);
                break;
            default:
                strategy = new BlockingWaitStrategy();
        }
        disruptor = new Disruptor<>(Slot::new, CAPACITY, DaemonThreadFactory.INSTANCE, ProducerType.SINGLE, strategy);
        final EventHandler<Slot> handler = new EventHandler<>()
        {
            private long count;

            @Override
            public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch)
            {
                count++;
                if (endOfBatch)
                {
                    ringConsumed.lazySet(count);
                }
            }
        };
        disruptor.handleEventsWith(handler);
        ring = disruptor.start();
    }

    private void startQueue()
    {
        boxes = new Long[BATCH];
        for (int i = 0; i < BATCH; i++)
        {
            boxes[i] = (long)i;
        }
        queue = new ArrayBlockingQueue<>(CAPACITY);
        running = true;
        queueConsumer = new Thread(() ->
        {
            final List<Long> drained = new ArrayList<>(CAPACITY);
            long count = 0;
            try
            {
                while (running)
                {
                    drained.add(queue.take());
                    queue.drainTo(drained);
                    count += drained.size();
                    drained.clear();
                    queueConsumed.lazySet(count);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "queue-consumer");
        queueConsumer.setDaemon(true);
        queueConsumer.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        if (null != disruptor)
        {
            disruptor.halt();
        }
        if (null != queueConsumer)
        {
            running = false;
            queueConsumer.interrupt();
            queueConsumer.join(5_000);
        }
    }

    /** The engine's way: claim slots, fill them in place, publish them as one batch. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long disruptorBatch()
    {
        final RingBuffer<Slot> ring = this.ring;
        final long hi = ring.next(BATCH);
        final long lo = hi - BATCH + 1;
        for (long sequence = lo; sequence <= hi; sequence++)
        {
            ring.get(sequence).value = sequence;
        }
        ring.publish(lo, hi);
        ringPublished += BATCH;
        awaitConsumed(ringConsumed, ringPublished);
        return hi;
    }

    /** One slot at a time, for comparison. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long disruptorSingle()
    {
        final RingBuffer<Slot> ring = this.ring;
        long sequence = 0;
        for (int i = 0; i < BATCH; i++)
        {
            sequence = ring.next();
            ring.get(sequence).value = sequence;
            ring.publish(sequence);
        }
        ringPublished += BATCH;
        awaitConsumed(ringConsumed, ringPublished);
        return sequence;
    }

    /** The baseline: put on a bounded blocking queue, the consumer takes and drains. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long arrayBlockingQueue() throws InterruptedException
    {
        final ArrayBlockingQueue<Long> queue = this.queue;
        final Long[] boxes = this.boxes;
        for (int i = 0; i < BATCH; i++)
        {
            queue.put(boxes[i]);
        }
        queueProduced += BATCH;
        awaitConsumed(queueConsumed, queueProduced);
        return queueProduced;
    }

    private static void awaitConsumed(final AtomicLong consumed, final long target)
    {
        while (consumed.get() < target)
        {
            Thread.onSpinWait();
        }
    }
}
