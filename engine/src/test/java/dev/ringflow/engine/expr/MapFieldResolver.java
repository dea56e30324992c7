package dev.ringflow.engine.expr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands out field ids 0, 1, 2, ... in order of first request; declares the types it is given, UNKNOWN otherwise.
 */
final class MapFieldResolver implements FieldResolver
{
    private final List<String> paths = new ArrayList<>();
    private final Map<String, FieldType> declaredTypes = new HashMap<>();

    MapFieldResolver declare(final String path, final FieldType type)
    {
        declaredTypes.put(path, type);
        return this;
    }

    @Override
    public int fieldId(final String path)
    {
        final int id = paths.indexOf(path);
        if (id >= 0)
        {
            return id;
        }
        paths.add(path);
        return paths.size() - 1;
    }

    @Override
    public FieldType fieldType(final String path)
    {
        return declaredTypes.getOrDefault(path, FieldType.UNKNOWN);
    }

    List<String> paths()
    {
        return paths;
    }
}
