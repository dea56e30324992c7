package dev.ringflow.engine;

import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the engine's threads with names that say their job ({@code ringflow-worker-0}),
 * handed out in the order the ring starts its consumers.
 */
final class RingflowThreadFactory implements ThreadFactory
{
    private final List<String> names;
    private final AtomicInteger next = new AtomicInteger();

    RingflowThreadFactory(final List<String> names)
    {
        this.names = List.copyOf(names);
    }

    @Override
    public Thread newThread(final Runnable task)
    {
        final int index = next.getAndIncrement();
        final String name = index < names.size() ? names.get(index) : "ringflow-thread-" + index;
        final Thread thread = new Thread(task, name);
        thread.setDaemon(false);
        return thread;
    }
}
