package dev.ringflow.engine.stage;

import dev.ringflow.api.Emitter;
import dev.ringflow.api.FieldKind;
import dev.ringflow.api.FieldRef;
import dev.ringflow.api.Record;
import dev.ringflow.api.RouteRef;
import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.expr.FieldValues;
import dev.ringflow.engine.function.FieldHandle;
import dev.ringflow.engine.function.RouteHandle;

import java.util.Arrays;

/**
 * The {@link Record} and {@link Emitter} a function's {@code apply} gets: a view of the {@link JsonEvent} being
 * processed, and the record's fate as the function decides it, which {@link FunctionStage} carries out afterwards.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free in steady state (string views are per field handle and reused).
 */
final class FunctionRecord implements Record, Emitter
{
    private static final FieldKind[] KINDS = new FieldKind[6];

    static
    {
        KINDS[FieldValues.MISSING] = FieldKind.MISSING;
        KINDS[FieldValues.NULL] = FieldKind.NULL;
        KINDS[FieldValues.NUMBER] = FieldKind.NUMBER;
        KINDS[FieldValues.STRING] = FieldKind.STRING;
        KINDS[FieldValues.BOOLEAN] = FieldKind.BOOLEAN;
        KINDS[FieldValues.OTHER] = FieldKind.OTHER;
    }

    private final Utf8View[] views;
    private final Utf8View keyView = new Utf8View();
    private final int[] encodedLength = new int[1];
    private byte[] encoded = new byte[64];
    private JsonEvent event;
    private long timeMs;

    private boolean dropped;
    private boolean routedAway;
    private String rejectReason;
    private RouteHandle[] routes = new RouteHandle[4];
    private int routeCount;

    FunctionRecord(final int handles)
    {
        views = new Utf8View[handles];
        for (int i = 0; i < handles; i++)
        {
            views[i] = new Utf8View();
        }
    }

    /** Starts a record: the event, its key (null for none) and its time; the fate is reset to "goes on". */
    void begin(final JsonEvent event, final ByteSlice key, final long timeMs)
    {
        this.event = event;
        this.timeMs = timeMs;
        if (null == key || key.isNull())
        {
            keyView.wrap(encoded, 0, 0);
        }
        else
        {
            keyView.wrap(key.bytes(), 0, key.length());
        }
        dropped = false;
        routedAway = false;
        rejectReason = null;
        routeCount = 0;
    }

    boolean goesOn()
    {
        return !dropped && !routedAway;
    }

    String rejectReason()
    {
        return rejectReason;
    }

    int routeCount()
    {
        return routeCount;
    }

    String routeTopic(final int index)
    {
        return routes[index].topic();
    }

    @Override
    public FieldKind kind(final FieldRef field)
    {
        return KINDS[event.kind(((FieldHandle)field).id())];
    }

    @Override
    public boolean isMissing(final FieldRef field)
    {
        final int kind = event.kind(((FieldHandle)field).id());
        return kind == FieldValues.MISSING || kind == FieldValues.NULL;
    }

    @Override
    public double getDouble(final FieldRef field)
    {
        final int id = ((FieldHandle)field).id();
        return event.kind(id) == FieldValues.NUMBER ? event.number(id) : Double.NaN;
    }

    @Override
    public long getLong(final FieldRef field, final long missingValue)
    {
        final int id = ((FieldHandle)field).id();
        if (event.kind(id) != FieldValues.NUMBER)
        {
            return missingValue;
        }
        final long value = event.longValue(id);
        return event.lastLongFailed() ? missingValue : value;
    }

    @Override
    public boolean getBoolean(final FieldRef field, final boolean missingValue)
    {
        final int id = ((FieldHandle)field).id();
        return event.kind(id) == FieldValues.BOOLEAN ? event.bool(id) : missingValue;
    }

    @Override
    public CharSequence getString(final FieldRef field)
    {
        final FieldHandle handle = (FieldHandle)field;
        final int id = handle.id();
        if (event.kind(id) != FieldValues.STRING)
        {
            return null;
        }
        return views[handle.index()].wrap(event.stringBytes(id), event.stringOffset(id), event.stringLength(id));
    }

    @Override
    public boolean stringEquals(final FieldRef field, final CharSequence text)
    {
        final CharSequence value = getString(field);
        if (null == value || value.length() != text.length())
        {
            return false;
        }
        for (int i = 0, length = text.length(); i < length; i++)
        {
            if (value.charAt(i) != text.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public void setDouble(final FieldRef field, final double value)
    {
        if (!Double.isFinite(value))
        {
            throw new IllegalArgumentException("field " + field.path() + " set to " + value +
                ", which JSON cannot hold; use setNull");
        }
        event.setNumber(settable(field), value);
    }

    @Override
    public void setLong(final FieldRef field, final long value)
    {
        event.setNumber(settable(field), value);
    }

    @Override
    public void setBoolean(final FieldRef field, final boolean value)
    {
        event.setBoolean(settable(field), value);
    }

    @Override
    public void setString(final FieldRef field, final CharSequence value)
    {
        final int id = settable(field);
        if (null == value)
        {
            event.setNull(id);
            return;
        }
        encoded = Utf8View.encode(value, encoded, encodedLength);
        event.setString(id, encoded, 0, encodedLength[0]);
    }

    @Override
    public void setNull(final FieldRef field)
    {
        event.setNull(settable(field));
    }

    @Override
    public void remove(final FieldRef field)
    {
        event.drop(settable(field));
    }

    @Override
    public CharSequence key()
    {
        return keyView;
    }

    @Override
    public long timestampMs()
    {
        return timeMs;
    }

    @Override
    public void drop()
    {
        dropped = true;
    }

    @Override
    public void route(final RouteRef topic)
    {
        addRoute(topic);
        routedAway = true;
    }

    @Override
    public void copyTo(final RouteRef topic)
    {
        addRoute(topic);
    }

    @Override
    public void reject(final String reason)
    {
        rejectReason = null == reason ? "rejected by the function" : reason;
    }

    private void addRoute(final RouteRef topic)
    {
        final RouteHandle handle = (RouteHandle)topic;
        if (routeCount == routes.length)
        {
            routes = Arrays.copyOf(routes, routeCount << 1);
        }
        routes[routeCount++] = handle;
    }

    private static int settable(final FieldRef field)
    {
        final FieldHandle handle = (FieldHandle)field;
        if (!handle.isTopLevel())
        {
            throw new IllegalArgumentException("field " + handle.path() + " is nested: functions set and remove " +
                "top-level fields only");
        }
        return handle.id();
    }
}
