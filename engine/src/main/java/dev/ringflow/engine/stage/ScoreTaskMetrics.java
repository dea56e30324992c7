package dev.ringflow.engine.stage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one worker's {@code score} task has done: the model version scoring now, events scored, and, with a shadow
 * model, its version and how often it agreed with the live model. Written by the worker (release stores, no lock,
 * no allocation), read by the metrics and status threads.
 */
public final class ScoreTaskMetrics
{
    private static final VarHandle SCORED;
    private static final VarHandle COMPARED;
    private static final VarHandle AGREED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SCORED = lookup.findVarHandle(ScoreTaskMetrics.class, "scored", long.class);
            COMPARED = lookup.findVarHandle(ScoreTaskMetrics.class, "compared", long.class);
            AGREED = lookup.findVarHandle(ScoreTaskMetrics.class, "agreed", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int task;
    private final String name;
    private volatile String version;
    private final String shadowVersion;
    @SuppressWarnings("unused") // Through SCORED.
    private long scored;
    @SuppressWarnings("unused") // Through COMPARED.
    private long compared;
    @SuppressWarnings("unused") // Through AGREED.
    private long agreed;

    ScoreTaskMetrics(final int task, final String name, final String version, final String shadowVersion)
    {
        this.task = task;
        this.name = name;
        this.version = version;
        this.shadowVersion = shadowVersion;
    }

    /** The task's index in the pipeline's tasks. */
    public int task()
    {
        return task;
    }

    /** The task's name: its output field. */
    public String name()
    {
        return name;
    }

    /** The version of the model scoring now. */
    public String version()
    {
        return version;
    }

    /** The shadow model's version, or null without one. */
    public String shadowVersion()
    {
        return shadowVersion;
    }

    public long scored()
    {
        return (long)SCORED.getAcquire(this);
    }

    /** Events the shadow model also scored. */
    public long compared()
    {
        return (long)COMPARED.getAcquire(this);
    }

    /** Of those, the ones where both models put the event on the same side of the shadow threshold. */
    public long agreed()
    {
        return (long)AGREED.getAcquire(this);
    }

    void onSwap(final String version)
    {
        this.version = version;
    }

    void onScored()
    {
        SCORED.setRelease(this, (long)SCORED.get(this) + 1);
    }

    void onCompared(final boolean agree)
    {
        COMPARED.setRelease(this, (long)COMPARED.get(this) + 1);
        if (agree)
        {
            AGREED.setRelease(this, (long)AGREED.get(this) + 1);
        }
    }
}
