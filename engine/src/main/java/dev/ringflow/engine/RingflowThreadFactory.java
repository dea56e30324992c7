package dev.ringflow.engine;

import dev.ringflow.engine.pipeline.CpuList;
import net.openhft.affinity.Affinity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the engine's threads with names that say their job ({@code ringflow-worker-0}), handed out in the order
 * the ring starts its consumers, and pins each to the CPUs configured for its role ({@code engine.cpus}) with
 * OpenHFT affinity as it starts.
 * <p>
 * <b>Note:</b> Where pinning is not permitted (no native support, a container's CPU set without those CPUs), the
 * threads run unpinned and one warning says so.
 */
final class RingflowThreadFactory implements ThreadFactory
{
    private static final Logger LOG = LoggerFactory.getLogger(RingflowThreadFactory.class);

    private final List<String> names;
    private final Map<String, String> cpus;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean warned = new AtomicBoolean();
    private final List<Thread> created = new CopyOnWriteArrayList<>();

    /**
     * @param cpus CPU lists by thread role ({@code source}, {@code worker}, {@code journal}).
     */
    RingflowThreadFactory(final List<String> names, final Map<String, String> cpus)
    {
        this.names = List.copyOf(names);
        this.cpus = Map.copyOf(cpus);
    }

    @Override
    public Thread newThread(final Runnable task)
    {
        final int index = next.getAndIncrement();
        return newThread(task, index < names.size() ? names.get(index) : "ringflow-thread-" + index);
    }

    /** A thread with the given name, pinned as its role says. */
    Thread newThread(final Runnable task, final String name)
    {
        final String list = cpus.get(role(name));
        final Runnable pinned = null == list ? task : () ->
        {
            pin(name, list);
            task.run();
        };
        final Thread thread = new Thread(pinned, name);
        thread.setDaemon(false);
        created.add(thread);
        return thread;
    }

    /**
     * Waits up to {@code timeoutMs} in all for every thread made here but the caller's own to end.
     *
     * @return the names of the threads still alive after that, empty when all have ended.
     */
    List<String> joinOthers(final long timeoutMs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        final List<String> alive = new ArrayList<>();
        for (final Thread thread : created)
        {
            if (thread == Thread.currentThread())
            {
                continue;
            }
            final long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000L;
            if (leftMs > 0)
            {
                thread.join(leftMs);
            }
            if (thread.isAlive())
            {
                alive.add(thread.getName());
            }
        }
        return alive;
    }

    /** The name of a thread made here that has run and ended, or null when none has. */
    String endedThread()
    {
        for (final Thread thread : created)
        {
            if (thread.getState() == Thread.State.TERMINATED)
            {
                return thread.getName();
            }
        }
        return null;
    }

    /** {@code ringflow-worker-3} is a {@code worker}, {@code ringflow-journal} a {@code journal}. */
    static String role(final String threadName)
    {
        final String role = threadName.startsWith("ringflow-") ? threadName.substring("ringflow-".length()) :
            threadName;
        final int dash = role.indexOf('-');
        return dash < 0 ? role : role.substring(0, dash);
    }

    private void pin(final String name, final String list)
    {
        final BitSet wanted = CpuList.parse(list);
        try
        {
            Affinity.setAffinity(wanted);
            final BitSet actual = Affinity.getAffinity();
            if (wanted.equals(actual))
            {
                LOG.info("{} pinned to CPUs {}", name, list);
                return;
            }
            warnOnce(name, list, "the thread's CPUs are " + actual + " after asking for " + wanted);
        }
        catch (final Throwable ex)
        {
            warnOnce(name, list, ex.toString());
        }
    }

    private void warnOnce(final String name, final String list, final String why)
    {
        if (warned.compareAndSet(false, true))
        {
            LOG.warn("CPU pinning is not permitted here ({} to CPUs {}: {}); it runs unpinned, as does any other " +
                "engine thread that cannot be pinned", name, list, why);
        }
    }
}
