package dev.ringflow.engine.pipeline;

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
 */
public record EngineSpec(int ringCapacity, WaitStrategyKind waitStrategy, long commitIntervalMs,
    long idleKeyTimeoutMs, long idleWatermarkMs)
{
    public static final int DEFAULT_RING_CAPACITY = 65536;
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;

    public static EngineSpec defaults()
    {
        return new EngineSpec(DEFAULT_RING_CAPACITY, WaitStrategyKind.BLOCKING, DEFAULT_COMMIT_INTERVAL_MS, 0, 0);
    }

    /**
     * How an idle ring consumer waits for the next event.
     */
    public enum WaitStrategyKind
    {
        /** Sleeps on a lock until signalled: lowest CPU, the default on machines with few cores. */
        BLOCKING,
        /** Spins, then yields the core: low latency, one core per waiting thread while busy. */
        YIELDING,
        /** Spins, yields, then parks for short periods: a middle ground. */
        SLEEPING,
        /** Spins forever: lowest latency, burns one core per consumer thread; only with spare cores. */
        BUSY_SPIN
    }
}
