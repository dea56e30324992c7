package dev.ringflow.engine;

import com.lmax.disruptor.ExceptionHandler;

/**
 * What a ring consumer thread ({@code ringflow-worker-N}, {@code ringflow-journal}) does with anything its handler
 * throws, an {@link Error} included: the engine fails, naming the thread and the error, and the thread stops.
 * Without it a dead consumer left the others waiting for it and the source polling on.
 * <p>
 * <b>Note:</b> Called on the failing consumer's thread. Every expected outcome of an event (bad input, a sink that
 * cannot write) is handled inside the handlers; what reaches this is a fault.
 */
final class EngineThreadFailureHandler implements ExceptionHandler<EventSlot>
{
    private final Engine engine;

    EngineThreadFailureHandler(final Engine engine)
    {
        this.engine = engine;
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final EventSlot event)
    {
        engine.fail(EngineThreadException.died(Thread.currentThread().getName(), "at ring sequence " + sequence, ex));
        // Leave the processor's loop: going on would skip the event whose effects are half done.
        throw new EngineThreadException(Thread.currentThread().getName() + " stopped", ex);
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        engine.fail(EngineThreadException.died(Thread.currentThread().getName(), "while starting", ex));
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        engine.fail(EngineThreadException.died(Thread.currentThread().getName(), "while stopping", ex));
    }
}
