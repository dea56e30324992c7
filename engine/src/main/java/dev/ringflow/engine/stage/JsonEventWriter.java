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
    /** A control character becomes {@code \\u00XX}: the most a byte of a string can take. */
    private static final int ESCAPED_BYTES_PER_BYTE = 6;

    private int[] writtenStamp = new int[0];
    private int stamp;

    /**
     * Writes the event into {@code out}. The text is written straight into {@code out}'s array, made large enough
     * once: the input's length plus the most each set field can take. Runs of input members written as they were are
     * copied in one piece, with the separators between them.
     */
    void write(final JsonEvent event, final ByteSlice out)
    {
        final byte[] input = event.bytes();
        if (!event.isChanged())
        {
            out.set(input, 0, event.length());
            return;
        }
        final FieldTable table = event.table();
        final int stamp = nextStamp(table.size());
        final byte[] bytes = out.resize(maxLength(event, table));
        int position = 0;
        bytes[position++] = '{';
        boolean first = true;
        int runStart = -1;
        int runEnd = -1;
        for (int member = 0, count = event.memberCount(); member < count; member++)
        {
            final int id = event.memberId(member);
            if (id < 0 ? event.isSelected() : event.isDropped(id) || writtenStamp[id] == stamp)
            {
                position = copy(input, runStart, runEnd, bytes, position);
                runStart = -1;
                continue;
            }
            if (id >= 0 && event.isSet(id))
            {
                position = copy(input, runStart, runEnd, bytes, position);
                runStart = -1;
                writtenStamp[id] = stamp;
                if (!first)
                {
                    bytes[position++] = ',';
                }
                position = writeMember(event, table, id, bytes, position);
            }
            else if (runStart < 0)
            {
                if (!first)
                {
                    bytes[position++] = ',';
                }
                runStart = event.memberStart(member);
                runEnd = event.memberEnd(member);
            }
            else
            {
                runEnd = event.memberEnd(member);
            }
            first = false;
        }
        position = copy(input, runStart, runEnd, bytes, position);
        for (int i = 0, count = event.setCount(); i < count; i++)
        {
            final int id = event.setField(i);
            if (writtenStamp[id] == stamp)
            {
                continue;
            }
            if (!first)
            {
                bytes[position++] = ',';
            }
            first = false;
            position = writeMember(event, table, id, bytes, position);
        }
        bytes[position++] = '}';
        out.resize(position);
    }

    /** The most bytes {@link #write} can make of the event: its input, and each set field at its longest. */
    private static int maxLength(final JsonEvent event, final FieldTable table)
    {
        int length = event.length() + 2;
        for (int i = 0, count = event.setCount(); i < count; i++)
        {
            final int id = event.setField(i);
            length += 1 + table.memberPrefix(id).length + (event.kind(id) == FieldValues.STRING ?
                2 + ESCAPED_BYTES_PER_BYTE * event.stringLength(id) : JsonNumberWriter.MAX_LENGTH);
        }
        return length;
    }

    private static int copy(final byte[] input, final int start, final int end, final byte[] dst, final int position)
    {
        if (start < 0)
        {
            return position;
        }
        System.arraycopy(input, start, dst, position, end - start);
        return position + end - start;
    }

    private static int writeMember(final JsonEvent event, final FieldTable table, final int id, final byte[] dst,
        final int start)
    {
        final byte[] prefix = table.memberPrefix(id);
        System.arraycopy(prefix, 0, dst, start, prefix.length);
        final int position = start + prefix.length;
        return switch (event.kind(id))
        {
            case FieldValues.NUMBER -> writeNumber(event.number(id), dst, position);
            case FieldValues.BOOLEAN -> put(event.bool(id) ? TRUE : FALSE, dst, position);
            case FieldValues.STRING -> writeString(event.stringBytes(id), event.stringOffset(id),
                event.stringLength(id), dst, position);
            default -> put(NULL, dst, position);
        };
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

    private static int put(final byte[] text, final byte[] dst, final int position)
    {
        System.arraycopy(text, 0, dst, position, text.length);
        return position + text.length;
    }

    /**
     * A number as the shortest text that reads back as the same double; NaN and infinities, which JSON lacks, as
     * null. {@code dst} has room for {@link JsonNumberWriter#MAX_LENGTH} bytes at {@code position}.
     */
    private static int writeNumber(final double value, final byte[] dst, final int position)
    {
        return position + JsonNumberWriter.write(value, dst, position);
    }

    /** A number, as {@link #write} writes it, appended to {@code out}: a computed record key. */
    void writeNumber(final double value, final ByteSlice out)
    {
        final int length = out.length();
        final byte[] bytes = out.resize(length + JsonNumberWriter.MAX_LENGTH);
        out.resize(writeNumber(value, bytes, length));
    }

    /** {@code "name":} for a member name of UTF-8 bytes: what {@link FieldTable} keeps per field. */
    static byte[] memberPrefix(final byte[] name)
    {
        final byte[] prefix = new byte[3 + ESCAPED_BYTES_PER_BYTE * name.length];
        final int length = writeString(name, 0, name.length, prefix, 0);
        prefix[length] = ':';
        return java.util.Arrays.copyOf(prefix, length + 1);
    }

    /**
     * A quoted JSON string of UTF-8 text: quotes, backslashes and control characters escaped, the rest as is.
     * {@code dst} has room for {@code 2 + ESCAPED_BYTES_PER_BYTE * length} bytes at {@code start}.
     *
     * @return the position after the closing quote.
     */
    static int writeString(final byte[] text, final int offset, final int length, final byte[] dst, final int start)
    {
        int position = start;
        dst[position++] = '"';
        int runStart = offset;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = text[i];
            if (b != '"' && b != '\\' && (b < 0 || b >= 0x20))
            {
                continue;
            }
            System.arraycopy(text, runStart, dst, position, i - runStart);
            position += i - runStart;
            runStart = i + 1;
            dst[position++] = '\\';
            switch (b)
            {
                case '"', '\\' -> dst[position++] = b;
                case '\n' -> dst[position++] = 'n';
                case '\r' -> dst[position++] = 'r';
                case '\t' -> dst[position++] = 't';
                default ->
                {
                    dst[position++] = 'u';
                    dst[position++] = '0';
                    dst[position++] = '0';
                    dst[position++] = HEX[b >> 4];
                    dst[position++] = HEX[b & 0xF];
                }
            }
        }
        System.arraycopy(text, runStart, dst, position, offset + length - runStart);
        position += offset + length - runStart;
        dst[position++] = '"';
        return position;
    }
}
