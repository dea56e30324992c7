package dev.ringflow.engine.pipeline;

import java.util.List;
import java.util.Map;

/**
 * Ring and thread settings of a pipeline.
 *
 * @param ringCapacity      slots in the ring; a power of two.
 * @param waitStrategy      how idle ring consumers wait.
 * @param commitIntervalMs  how often processed input offsets are committed back to the source (with exactly-once
 *                          delivery: how often a transaction commits, so how long output waits to be visible).
 * @param idleKeyTimeoutMs  forget the window state of a key that has had no element for this long, in record
 *                          (event) time; 0 keeps every key forever. Keys with windows still open are kept.
 * @param idleWatermarkMs   when no input has arrived for this long (wall clock), event-time windows advance
 *                          their watermark as though event time kept pace with the wall clock since the last
 *                          input, so the last windows close; 0 (the default) waits for input.
 * @param cpus              CPU lists ({@code "1"}, {@code "0,2-3"}) to pin threads to, by role ({@code source},
 *                          {@code worker}, {@code journal}); roles not named run unpinned.
 * @param workers           worker threads; keyed work is sharded across them by a hash of the record key, so
 *                          each key stays on one worker and keeps its order. 1 (the default) is the fast path.
 */
public record EngineSpec(int ringCapacity, WaitStrategyKind waitStrategy, long commitIntervalMs,
    long idleKeyTimeoutMs, long idleWatermarkMs, Map<String, String> cpus, int workers)
{
    /** The engine's threads by role, as {@code engine.cpus} names them. */
    public static final List<String> THREAD_ROLES = List.of("source", "worker", "journal");

    public EngineSpec
    {
        cpus = Map.copyOf(cpus);
    }

    public EngineSpec(final int ringCapacity, final WaitStrategyKind waitStrategy, final long commitIntervalMs,
        final long idleKeyTimeoutMs, final long idleWatermarkMs)
    {
        this(ringCapacity, waitStrategy, commitIntervalMs, idleKeyTimeoutMs, idleWatermarkMs, Map.of(), 1);
    }

    /** A copy with CPU lists for some thread roles (as the {@code --cpu} flag gives them) replacing the file's. */
    public EngineSpec withCpus(final Map<String, String> cpus)
    {
        final Map<String, String> merged = new java.util.LinkedHashMap<>(this.cpus);
        merged.putAll(cpus);
        return new EngineSpec(ringCapacity, waitStrategy, commitIntervalMs, idleKeyTimeoutMs, idleWatermarkMs, merged,
            workers);
    }

    public static final int DEFAULT_RING_CAPACITY = 4096;
    public static final int MAX_WORKERS = 64;
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;

    public static EngineSpec defaults()
    {
        return new EngineSpec(DEFAULT_RING_CAPACITY, WaitStrategyKind.BLOCKING, DEFAULT_COMMIT_INTERVAL_MS, 0, 0);
    }

    /** {@link WaitStrategyKind#PHASED}: how long a consumer spins on an empty ring before it yields. */
    public static final long PHASED_SPIN_MICROS = 10;
    /** {@link WaitStrategyKind#PHASED}: how long after the ring went empty a consumer stops yielding and sleeps. */
    public static final long PHASED_YIELD_MICROS = 200;

    /**
     * How an idle ring consumer waits for the next event.
     */
    public enum WaitStrategyKind
    {
        /** Sleeps on a lock until signalled: lowest CPU, the default on machines with few cores. */
        BLOCKING,
        /**
         * Spins for {@value dev.ringflow.engine.pipeline.EngineSpec#PHASED_SPIN_MICROS} us, yields the core until
         * {@value dev.ringflow.engine.pipeline.EngineSpec#PHASED_YIELD_MICROS} us have passed, then sleeps on a lock
         * like {@link #BLOCKING}: under load the consumer never sleeps between batches (so is not woken for each),
         * and an idle one uses no CPU.
         */
        PHASED,
        /** Spins, then yields the core: low latency, one core per waiting thread while busy. */
        YIELDING,
        /** Spins, yields, then parks for short periods: a middle ground. */
        SLEEPING,
        /** Spins forever: lowest latency, burns one core per consumer thread; only with spare cores. */
        BUSY_SPIN
    }
}
