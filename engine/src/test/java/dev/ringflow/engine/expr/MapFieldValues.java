package dev.ringflow.engine.expr;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FieldValues} over an event given as nested maps (JSON objects as {@code Map<String, Object>}, numbers as
 * any {@link Number}, lists for arrays), for the fields a {@link MapFieldResolver} registered.
 * <p>
 * Like a decoder reusing one buffer, it hands out a string field's bytes in a scratch array shared by all fields,
 * at a non-zero offset, and scribbles over them as soon as it is asked about another field: an expression that
 * keeps a string across reads of another field sees garbage.
 * <p>
 * <b>Note:</b> {@link #wrap} allocates; the {@link FieldValues} calls do not.
 */
final class MapFieldValues implements FieldValues
{
    private static final int SCRATCH_OFFSET = 3;
    private static final Object MISSING_VALUE = new Object();

    private final MapFieldResolver resolver;
    private int[] kinds = new int[0];
    private double[] numbers = new double[0];
    private boolean[] booleans = new boolean[0];
    private byte[][] strings = new byte[0][];
    private byte[] scratch = new byte[64];
    private int current = -1;

    MapFieldValues(final MapFieldResolver resolver)
    {
        this.resolver = resolver;
    }

    /**
     * @return a mutable event from alternating names and values (values may be null).
     */
    static Map<String, Object> event(final Object... namesAndValues)
    {
        final Map<String, Object> event = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            event.put((String)namesAndValues[i], namesAndValues[i + 1]);
        }
        return event;
    }

    static MapFieldValues of(final MapFieldResolver resolver, final Map<String, Object> event)
    {
        return new MapFieldValues(resolver).wrap(event);
    }

    MapFieldValues wrap(final Map<String, Object> event)
    {
        final List<String> paths = resolver.paths();
        final int count = paths.size();
        kinds = new int[count];
        numbers = new double[count];
        booleans = new boolean[count];
        strings = new byte[count][];
        int longest = 0;
        for (int field = 0; field < count; field++)
        {
            final Object value = lookUp(event, paths.get(field));
            if (MISSING_VALUE == value)
            {
                kinds[field] = MISSING;
            }
            else if (null == value)
            {
                kinds[field] = NULL;
            }
            else if (value instanceof Number)
            {
                kinds[field] = NUMBER;
                numbers[field] = ((Number)value).doubleValue();
            }
            else if (value instanceof Boolean)
            {
                kinds[field] = BOOLEAN;
                booleans[field] = (Boolean)value;
            }
            else if (value instanceof String)
            {
                kinds[field] = STRING;
                strings[field] = ((String)value).getBytes(StandardCharsets.UTF_8);
                longest = Math.max(longest, strings[field].length);
            }
            else
            {
                kinds[field] = OTHER;
            }
        }
        scratch = new byte[SCRATCH_OFFSET + longest + 64];
        current = -1;
        return this;
    }

    /**
     * @return the value at the dotted path, {@code MISSING_VALUE} if a name on the way is absent or its parent
     * is not an object.
     */
    @SuppressWarnings("unchecked")
    static Object lookUp(final Map<String, Object> event, final String path)
    {
        Object value = event;
        for (final String name : path.split("\\.", -1))
        {
            if (!(value instanceof Map) || !((Map<String, Object>)value).containsKey(name))
            {
                return MISSING_VALUE;
            }
            value = ((Map<String, Object>)value).get(name);
        }
        return value;
    }

    @Override
    public int kind(final int field)
    {
        select(field);
        return kinds[field];
    }

    @Override
    public double number(final int field)
    {
        select(field);
        return numbers[field];
    }

    @Override
    public boolean bool(final int field)
    {
        select(field);
        return booleans[field];
    }

    @Override
    public byte[] stringBytes(final int field)
    {
        select(field);
        return scratch;
    }

    @Override
    public int stringOffset(final int field)
    {
        select(field);
        return SCRATCH_OFFSET;
    }

    @Override
    public int stringLength(final int field)
    {
        select(field);
        return strings[field].length;
    }

    private void select(final int field)
    {
        if (field != current)
        {
            Arrays.fill(scratch, (byte)'#');
            current = field;
            final byte[] string = strings[field];
            if (null != string)
            {
                System.arraycopy(string, 0, scratch, SCRATCH_OFFSET, string.length);
            }
        }
    }
}
