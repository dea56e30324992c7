package dev.ringflow.engine.function;

import dev.ringflow.api.FieldRef;

/**
 * A field a function resolved: its path, its id in the pipeline's field table, and its index among the handles of
 * that function (for per-handle buffers such as string views).
 */
public final class FieldHandle implements FieldRef
{
    private final String path;
    private final int id;
    private final int index;
    private final boolean topLevel;

    FieldHandle(final String path, final int id, final int index)
    {
        this.path = path;
        this.id = id;
        this.index = index;
        this.topLevel = path.indexOf('.') < 0;
    }

    @Override
    public String path()
    {
        return path;
    }

    public int id()
    {
        return id;
    }

    public int index()
    {
        return index;
    }

    /** False for a dotted path into a nested object, which functions may read but not set. */
    public boolean isTopLevel()
    {
        return topLevel;
    }

    @Override
    public String toString()
    {
        return path;
    }
}
