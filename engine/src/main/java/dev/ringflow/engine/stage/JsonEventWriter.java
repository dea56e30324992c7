package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.expr.FieldValues;
import dev.ringflow.engine.json.JsonNumberWriter;

/**
 * Writes a {@link JsonEvent} back as one JSON object: its input members in their order, copied byte for byte unless
 * a task dropped or set them (a set member keeps its place with the new value), then the fields tasks added, in the
 * order they were first set. An event no task changed is its input bytes as they were.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free.
 */
final class JsonEventWriter
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private final byte[] number = new byte[JsonNumberWriter.MAX_LENGTH];
    private int[] writtenStamp = new int[0];
    private int stamp;

    void write(final JsonEvent event, final ByteSlice out)
    {
        final byte[] bytes = event.bytes();
        if (!event.isChanged())
        {
            out.set(bytes, 0, event.length());
            return;
        }
        final int stamp = nextStamp(event.table().size());
        out.clear();
        out.append((byte)'{');
        boolean first = true;
        for (int member = 0, count = event.memberCount(); member < count; member++)
        {
            final int id = event.memberId(member);
            if (id < 0 ? event.isSelected() : event.isDropped(id) || writtenStamp[id] == stamp)
            {
                continue;
            }
            if (!first)
            {
                out.append((byte)',');
            }
            first = false;
            if (id >= 0 && event.isSet(id))
            {
                writtenStamp[id] = stamp;
                writeName(event.table().name(id), out);
                writeValue(event, id, out);
            }
            else
            {
                final int start = event.memberStart(member);
                out.append(bytes, start, event.memberEnd(member) - start);
            }
        }
        for (int i = 0, count = event.setCount(); i < count; i++)
        {
            final int id = event.setField(i);
            if (writtenStamp[id] == stamp)
            {
                continue;
            }
            if (!first)
            {
                out.append((byte)',');
            }
            first = false;
            writeName(event.table().name(id), out);
            writeValue(event, id, out);
        }
        out.append((byte)'}');
    }

    private int nextStamp(final int fields)
    {
        if (writtenStamp.length < fields)
        {
            writtenStamp = new int[fields];
        }
        if (++stamp == 0)
        {
            java.util.Arrays.fill(writtenStamp, 0);
            stamp = 1;
        }
        return stamp;
    }

    private static void writeName(final byte[] name, final ByteSlice out)
    {
        writeString(name, 0, name.length, out);
        out.append((byte)':');
    }

    private void writeValue(final JsonEvent event, final int id, final ByteSlice out)
    {
        switch (event.kind(id))
        {
            case FieldValues.NUMBER -> writeNumber(event.number(id), out);
            case FieldValues.BOOLEAN -> out.append(event.bool(id) ? TRUE : FALSE, 0, event.bool(id) ? 4 : 5);
            case FieldValues.STRING -> writeString(event.stringBytes(id), event.stringOffset(id),
                event.stringLength(id), out);
            default -> out.append(NULL, 0, 4);
        }
    }

    /** A number as the shortest text that reads back as the same double; NaN and infinities, which JSON lacks, as null. */
    void writeNumber(final double value, final ByteSlice out)
    {
        if (!JsonNumberWriter.isRepresentable(value))
        {
            out.append(NULL, 0, 4);
            return;
        }
        out.append(number, 0, JsonNumberWriter.write(value, number, 0));
    }

    /** A quoted JSON string of UTF-8 text: quotes, backslashes and control characters escaped, the rest as is. */
    static void writeString(final byte[] text, final int offset, final int length, final ByteSlice out)
    {
        out.append((byte)'"');
        int runStart = offset;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = text[i];
            if (b != '"' && b != '\\' && (b < 0 || b >= 0x20))
            {
                continue;
            }
            out.append(text, runStart, i - runStart);
            runStart = i + 1;
            out.append((byte)'\\');
            switch (b)
            {
                case '"', '\\' -> out.append(b);
                case '\n' -> out.append((byte)'n');
                case '\r' -> out.append((byte)'r');
                case '\t' -> out.append((byte)'t');
                default ->
                {
                    out.append((byte)'u');
                    out.append((byte)'0');
                    out.append((byte)'0');
                    out.append(HEX[b >> 4]);
                    out.append(HEX[b & 0xF]);
                }
            }
        }
        out.append(text, runStart, offset + length - runStart);
        out.append((byte)'"');
    }
}
