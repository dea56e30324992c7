package dev.ringflow.engine;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A change to a running engine that travels through the ring as one control slot, so that every worker makes it at
 * the same sequence, between two events, and the journal records it there for recovery and replay: a new pipeline
 * ({@link PipelineChange}), a new model for a score task ({@link ModelSwap}), or an input partition's state taken over
 * or given up ({@link PartitionState}).
 * <p>
 * <b>Note:</b> Created on a control thread; {@link #applied()} completes on the worker that makes it.
 */
public abstract sealed class RuntimeChange permits PipelineChange, ModelSwap, PartitionState
{
    private final String origin;
    private final CompletableFuture<String> applied = new CompletableFuture<>();

    /**
     * @param origin where the change came from, for logs and {@code journal dump}.
     */
    RuntimeChange(final String origin)
    {
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    public final String origin()
    {
        return origin;
    }

    /**
     * Completes with what the change did once the workers have made it, or exceptionally when the engine stops
     * first.
     */
    public final CompletableFuture<String> applied()
    {
        return applied;
    }

    final void complete(final String report)
    {
        applied.complete(report);
    }

    final void fail(final Throwable cause)
    {
        applied.completeExceptionally(cause);
    }
}
