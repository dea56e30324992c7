package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.expr.FieldValues;

/**
 * One JSON event as the pipeline's tasks see it: the fields of its {@link FieldTable}, read in one strict pass over
 * the event's bytes (nothing else is materialised), plus the fields tasks set, drop or keep. {@link JsonEventWriter}
 * writes it back with the unchanged members copied byte for byte.
 * <p>
 * Reading follows RFC 8259 strictly (an event is one object; nesting at most {@value JsonSyntax#MAX_DEPTH} deep): a
 * document a JSON parser would reject is rejected. A member given twice keeps its last value.
 * <p>
 * <b>Note:</b> Worker thread only. Allocation free once its arrays have grown to the largest event; spans point into
 * the bytes last read and are valid until the next {@link #read}.
 */
final class JsonEvent implements FieldValues
{
    private final FieldTable table;
    private final int[] topLevelIds;
    private final JsonSyntax syntax = new JsonSyntax();
    private final AsciiNumbers numbers = new AsciiNumbers();
    private final ByteSlice name = new ByteSlice();

    // Input fields, valid where readStamp == stamp.
    private final int[] readStamp;
    private final int[] kinds;
    private final int[] starts;
    private final int[] ends;
    private final boolean[] escaped;
    private final int[] parsedStamp;
    private final double[] parsed;
    private final ByteSlice[] unescaped;

    // Fields set by tasks, valid where setStamp == stamp; in the order they were first set.
    private final int[] setStamp;
    private final int[] setKinds;
    private final double[] setNumbers;
    private final ByteSlice[] setStrings;
    private final int[] setOrder;
    private int setCount;

    // Top-level fields dropped (droppedStamp == stamp); after a select, unnamed members are left out too.
    private final int[] droppedStamp;
    private boolean selected;

    // Top-level members of the input, in order: where each starts (its name's opening quote) and ends.
    private int[] memberStarts = new int[16];
    private int[] memberEnds = new int[16];
    private int[] memberIds = new int[16];
    private int memberCount;

    private boolean longFailed;
    private int stamp;
    /** Reads since this instance was made, and changes tasks made to the current one: see {@link #reads()}. */
    private long reads;
    private long changes;
    private byte[] bytes;
    private int length;

    JsonEvent(final FieldTable table)
    {
        this.table = table;
        final int size = table.size();
        topLevelIds = new int[size];
        for (int i = 0; i < size; i++)
        {
            topLevelIds[i] = table.topLevelId(i);
        }
        readStamp = new int[size];
        kinds = new int[size];
        starts = new int[size];
        ends = new int[size];
        escaped = new boolean[size];
        parsedStamp = new int[size];
        parsed = new double[size];
        unescaped = new ByteSlice[size];
        setStamp = new int[size];
        setKinds = new int[size];
        setNumbers = new double[size];
        setStrings = new ByteSlice[size];
        setOrder = new int[size];
        droppedStamp = new int[size];
        for (int i = 0; i < size; i++)
        {
            unescaped[i] = new ByteSlice();
            setStrings[i] = new ByteSlice();
        }
    }

    /**
     * Reads one event, forgetting the previous one (and what tasks did to it).
     *
     * @return false when the bytes are not one JSON object.
     */
    boolean read(final byte[] bytes, final int length)
    {
        if (++stamp == 0)
        {
            clearStamps();
        }
        this.bytes = bytes;
        this.length = length;
        setCount = 0;
        selected = false;
        memberCount = 0;
        reads++;
        changes = 0;
        final JsonSyntax syntax = this.syntax;
        syntax.wrap(bytes, length);
        syntax.skipSpace();
        if (!readObject(table.root(), true))
        {
            return false;
        }
        syntax.skipSpace();
        return syntax.atEnd();
    }

    private void clearStamps()
    {
        java.util.Arrays.fill(readStamp, 0);
        java.util.Arrays.fill(parsedStamp, 0);
        java.util.Arrays.fill(setStamp, 0);
        java.util.Arrays.fill(droppedStamp, 0);
        stamp = 1;
    }

    /** Reads an object at the position, recording the fields under {@code node}; top-level members are noted. */
    private boolean readObject(final FieldTable.Node node, final boolean topLevel)
    {
        final JsonSyntax syntax = this.syntax;
        if (!syntax.consume('{'))
        {
            return false;
        }
        syntax.skipSpace();
        if (syntax.consume('}'))
        {
            return true;
        }
        while (true)
        {
            syntax.skipSpace();
            final int memberStart = syntax.position();
            if (!syntax.skipString())
            {
                return false;
            }
            final FieldTable.Node field = field(node, memberStart + 1, syntax.position() - 1);
            syntax.skipSpace();
            if (!syntax.consume(':'))
            {
                return false;
            }
            syntax.skipSpace();
            final int valueStart = syntax.position();
            final int kind;
            if (null != field && field.children.length > 0)
            {
                // A member given again replaces the fields read inside its earlier value.
                forget(field.children);
            }
            if (null != field && field.children.length > 0 && syntax.peek() == '{')
            {
                if (!readObject(field, false))
                {
                    return false;
                }
                kind = OTHER;
            }
            else
            {
                kind = syntax.skipValue();
                if (kind == MISSING)
                {
                    return false;
                }
            }
            if (null != field)
            {
                record(field.id, kind, valueStart, syntax.position());
            }
            if (topLevel)
            {
                addMember(memberStart, syntax.position(), null == field ? -1 : field.id);
            }
            syntax.skipSpace();
            if (syntax.consume('}'))
            {
                return true;
            }
            if (!syntax.consume(','))
            {
                return false;
            }
        }
    }

    private void forget(final FieldTable.Node[] nodes)
    {
        for (final FieldTable.Node node : nodes)
        {
            readStamp[node.id] = 0;
            forget(node.children);
        }
    }

    /** The field a member name names under {@code node}, or null; an escaped name is compared unescaped. */
    private FieldTable.Node field(final FieldTable.Node node, final int nameStart, final int nameEnd)
    {
        if (node.children.length == 0)
        {
            return null;
        }
        if (!syntax.lastStringEscaped())
        {
            return node.child(bytes, nameStart, nameEnd);
        }
        JsonSyntax.unescape(bytes, nameStart, nameEnd, name);
        return node.child(name.bytes(), 0, name.length());
    }

    private void record(final int id, final int kind, final int valueStart, final int valueEnd)
    {
        readStamp[id] = stamp;
        kinds[id] = kind;
        final boolean isString = kind == STRING;
        starts[id] = isString ? valueStart + 1 : valueStart;
        ends[id] = isString ? valueEnd - 1 : valueEnd;
        escaped[id] = isString && syntax.lastStringEscaped();
    }

    private void addMember(final int start, final int end, final int id)
    {
        if (memberCount == memberStarts.length)
        {
            final int capacity = memberCount << 1;
            memberStarts = java.util.Arrays.copyOf(memberStarts, capacity);
            memberEnds = java.util.Arrays.copyOf(memberEnds, capacity);
            memberIds = java.util.Arrays.copyOf(memberIds, capacity);
        }
        memberStarts[memberCount] = start;
        memberEnds[memberCount] = end;
        memberIds[memberCount] = id;
        memberCount++;
    }

    @Override
    public int kind(final int field)
    {
        if (setStamp[field] == stamp)
        {
            return setKinds[field];
        }
        return readStamp[field] == stamp && droppedStamp[topLevelIds[field]] != stamp ? kinds[field] : MISSING;
    }

    @Override
    public double number(final int field)
    {
        if (setStamp[field] == stamp)
        {
            return setNumbers[field];
        }
        if (parsedStamp[field] != stamp)
        {
            parsedStamp[field] = stamp;
            final double value = numbers.parseDouble(bytes, starts[field], ends[field]);
            // The syntax is checked: a failed parse is a magnitude beyond a double's range.
            parsed[field] = !numbers.lastParseFailed() ? value :
                bytes[starts[field]] == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return parsed[field];
    }

    @Override
    public boolean bool(final int field)
    {
        if (setStamp[field] == stamp)
        {
            return setNumbers[field] != 0;
        }
        return bytes[starts[field]] == 't';
    }

    @Override
    public byte[] stringBytes(final int field)
    {
        if (setStamp[field] == stamp)
        {
            return setStrings[field].bytes();
        }
        return escaped[field] ? unescape(field).bytes() : bytes;
    }

    @Override
    public int stringOffset(final int field)
    {
        return setStamp[field] == stamp || escaped[field] ? 0 : starts[field];
    }

    @Override
    public int stringLength(final int field)
    {
        if (setStamp[field] == stamp)
        {
            return setStrings[field].length();
        }
        return escaped[field] ? unescape(field).length() : ends[field] - starts[field];
    }

    private ByteSlice unescape(final int field)
    {
        final ByteSlice out = unescaped[field];
        if (parsedStamp[field] != stamp)
        {
            parsedStamp[field] = stamp;
            JsonSyntax.unescape(bytes, starts[field], ends[field], out);
        }
        return out;
    }

    /**
     * A number field as a {@code long}: its text read exactly, or a value a task set, if integral. Check
     * {@link #lastLongFailed()}: a fraction, an exponent or a value out of range fails.
     */
    long longValue(final int field)
    {
        if (setStamp[field] == stamp)
        {
            final double value = setNumbers[field];
            longFailed = value != Math.rint(value) || Math.abs(value) >= 0x1p63;
            return longFailed ? 0 : (long)value;
        }
        final long value = numbers.parseLong(bytes, starts[field], ends[field]);
        longFailed = numbers.lastParseFailed();
        return value;
    }

    boolean lastLongFailed()
    {
        return longFailed;
    }

    /**
     * Writes a field's value as a key: a string's text, or a number's text.
     *
     * @return false when the field is neither.
     */
    boolean copyKey(final int field, final ByteSlice out, final JsonEvents events)
    {
        switch (kind(field))
        {
            case STRING -> out.set(stringBytes(field), stringOffset(field), stringLength(field));
            case NUMBER -> copyNumberText(field, out, events);
            default ->
            {
                return false;
            }
        }
        return true;
    }

    /** Writes a number field's text: as the input wrote it, or (when set) as the shortest JSON text. */
    void copyNumberText(final int field, final ByteSlice out, final JsonEvents events)
    {
        if (setStamp[field] == stamp)
        {
            out.clear();
            events.writeNumber(setNumbers[field], out);
        }
        else
        {
            out.set(bytes, starts[field], ends[field] - starts[field]);
        }
    }

    void setNumber(final int field, final double value)
    {
        set(field, NUMBER).setNumbers[field] = value;
    }

    void setBoolean(final int field, final boolean value)
    {
        set(field, BOOLEAN).setNumbers[field] = value ? 1 : 0;
    }

    void setNull(final int field)
    {
        set(field, NULL);
    }

    /** Sets a string field to {@code length} UTF-8 bytes of {@code src} from {@code offset}. */
    void setString(final int field, final byte[] src, final int offset, final int length)
    {
        set(field, STRING);
        // src may be this field's own value: copy through the other buffer first.
        final ByteSlice target = setStrings[field];
        if (src == target.bytes())
        {
            final ByteSlice scratch = unescaped[field];
            scratch.set(src, offset, length);
            target.set(scratch);
        }
        else
        {
            target.set(src, offset, length);
        }
    }

    /** Sets {@code field} to the current value of {@code from}, whatever its kind. */
    void copyField(final int field, final int from)
    {
        final int kind = kind(from);
        switch (kind)
        {
            case NUMBER -> setNumber(field, number(from));
            case BOOLEAN -> setBoolean(field, bool(from));
            case STRING -> setString(field, stringBytes(from), stringOffset(from), stringLength(from));
            default -> setNull(field);
        }
    }

    private JsonEvent set(final int field, final int kind)
    {
        if (setStamp[field] != stamp)
        {
            setStamp[field] = stamp;
            setOrder[setCount++] = field;
        }
        setKinds[field] = kind;
        changes++;
        droppedStamp[field] = 0;
        return this;
    }

    /** Removes a field from the event: later tasks find it missing and the output leaves it out. */
    void drop(final int field)
    {
        droppedStamp[field] = stamp;
        changes++;
        if (setStamp[field] == stamp)
        {
            setStamp[field] = 0;
            removeFromSetOrder(field);
        }
    }

    private void removeFromSetOrder(final int field)
    {
        int to = 0;
        for (int i = 0; i < setCount; i++)
        {
            if (setOrder[i] != field)
            {
                setOrder[to++] = setOrder[i];
            }
        }
        setCount = to;
    }

    /**
     * Keeps only the top-level fields whose ids are set in {@code keep} (and those set later): every other field,
     * and every member the pipeline never names, is left out from here on.
     */
    void select(final boolean[] keep)
    {
        selected = true;
        changes++;
        for (int field = 0, size = droppedStamp.length; field < size; field++)
        {
            if (topLevelIds[field] == field && (field >= keep.length || !keep[field]))
            {
                drop(field);
            }
        }
    }

    boolean isChanged()
    {
        return setCount > 0 || selected || hasDrops();
    }

    private boolean hasDrops()
    {
        for (int i = 0; i < memberCount; i++)
        {
            final int id = memberIds[i];
            if (id >= 0 && droppedStamp[id] == stamp)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * With {@link #changes()}, tells this event's states apart: the same instance with equal reads and changes has the
     * same fields with the same values, so what was written of one may stand for the other.
     */
    long reads()
    {
        return reads;
    }

    /** Changes tasks made to the current reading: see {@link #reads()}. */
    long changes()
    {
        return changes;
    }

    // For JsonEventWriter.

    byte[] bytes()
    {
        return bytes;
    }

    int length()
    {
        return length;
    }

    boolean isSelected()
    {
        return selected;
    }

    int memberCount()
    {
        return memberCount;
    }

    int memberStart(final int member)
    {
        return memberStarts[member];
    }

    int memberEnd(final int member)
    {
        return memberEnds[member];
    }

    int memberId(final int member)
    {
        return memberIds[member];
    }

    boolean isDropped(final int field)
    {
        return droppedStamp[field] == stamp;
    }

    boolean isSet(final int field)
    {
        return setStamp[field] == stamp;
    }

    int setCount()
    {
        return setCount;
    }

    int setField(final int index)
    {
        return setOrder[index];
    }

    FieldTable table()
    {
        return table;
    }
}
