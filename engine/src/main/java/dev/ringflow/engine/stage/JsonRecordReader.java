package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A flyweight reader of flat JSON objects such as {@code {"sensor":"s-1","ts":1700000000123,"temp":21.5}}: one
 * pass over the bytes records where each wanted field's value starts and ends; nothing is materialised. Nested
 * objects and arrays are validated and skipped; a field given twice keeps its last value.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free. Spans are valid until the next {@link #read}.
 */
final class JsonRecordReader
{
    /** Kind of a field's value in the last record read. */
    static final int MISSING = 0;
    static final int STRING = 1;
    static final int NUMBER = 2;
    static final int OTHER = 3;

    private final byte[][] names;
    private final int[] kinds;
    private final int[] starts;
    private final int[] ends;
    private byte[] bytes;
    private int length;
    private int position;

    JsonRecordReader(final List<String> fieldNames)
    {
        names = new byte[fieldNames.size()][];
        for (int i = 0; i < names.length; i++)
        {
            names[i] = fieldNames.get(i).getBytes(StandardCharsets.UTF_8);
        }
        kinds = new int[names.length];
        starts = new int[names.length];
        ends = new int[names.length];
    }

    /**
     * Reads one record.
     *
     * @return false when the bytes are not one JSON object.
     */
    boolean read(final byte[] bytes, final int length)
    {
        this.bytes = bytes;
        this.length = length;
        this.position = 0;
        for (int i = 0; i < kinds.length; i++)
        {
            kinds[i] = MISSING;
        }
        skipSpace();
        if (!consume('{'))
        {
            return false;
        }
        skipSpace();
        if (!consume('}'))
        {
            while (true)
            {
                skipSpace();
                final int nameStart = position + 1;
                if (!skipString())
                {
                    return false;
                }
                final int field = field(nameStart, position - 1);
                skipSpace();
                if (!consume(':'))
                {
                    return false;
                }
                skipSpace();
                final int valueStart = position;
                final int kind = skipValue();
                if (kind == MISSING)
                {
                    return false;
                }
                if (field >= 0)
                {
                    kinds[field] = kind;
                    starts[field] = kind == STRING ? valueStart + 1 : valueStart;
                    ends[field] = kind == STRING ? position - 1 : position;
                }
                skipSpace();
                if (consume('}'))
                {
                    break;
                }
                if (!consume(','))
                {
                    return false;
                }
            }
        }
        skipSpace();
        return position == length;
    }

    int kind(final int field)
    {
        return kinds[field];
    }

    int start(final int field)
    {
        return starts[field];
    }

    int end(final int field)
    {
        return ends[field];
    }

    byte[] bytes()
    {
        return bytes;
    }

    /**
     * Copies a string field's text, unescaped, or a number field's text as is, into {@code out}.
     *
     * @return false if the field is missing or neither a string nor a number.
     */
    boolean copyText(final int field, final ByteSlice out)
    {
        out.clear();
        final int kind = kinds[field];
        if (kind == NUMBER)
        {
            out.append(bytes, starts[field], ends[field] - starts[field]);
            return true;
        }
        if (kind != STRING)
        {
            return false;
        }
        for (int i = starts[field], end = ends[field]; i < end; i++)
        {
            final byte b = bytes[i];
            if (b != '\\')
            {
                out.append(b);
                continue;
            }
            final byte escaped = bytes[++i];
            switch (escaped)
            {
                case 'b':
                    out.append((byte)'\b');
                    break;
                case 'f':
                    out.append((byte)'\f');
                    break;
                case 'n':
                    out.append((byte)'\n');
                    break;
                case 'r':
                    out.append((byte)'\r');
                    break;
                case 't':
                    out.append((byte)'\t');
                    break;
                case 'u':
                    appendUtf8(hex(i + 1), out);
                    i += 4;
                    break;
                default:
                    out.append(escaped);
            }
        }
        return true;
    }

    private int hex(final int from)
    {
        int value = 0;
        for (int i = from; i < from + 4; i++)
        {
            final int b = bytes[i];
            value = (value << 4) | (b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10);
        }
        return value;
    }

    private static void appendUtf8(final int c, final ByteSlice out)
    {
        if (c < 0x80)
        {
            out.append((byte)c);
        }
        else if (c < 0x800)
        {
            out.append((byte)(0xC0 | (c >> 6)));
            out.append((byte)(0x80 | (c & 0x3F)));
        }
        else
        {
            out.append((byte)(0xE0 | (c >> 12)));
            out.append((byte)(0x80 | ((c >> 6) & 0x3F)));
            out.append((byte)(0x80 | (c & 0x3F)));
        }
    }

    private int field(final int start, final int end)
    {
        final int nameLength = end - start;
        for (int i = 0; i < names.length; i++)
        {
            final byte[] name = names[i];
            if (name.length == nameLength && java.util.Arrays.equals(name, 0, nameLength, bytes, start, end))
            {
                return i;
            }
        }
        return -1;
    }

    /** Skips one value; returns its kind, or MISSING when it is malformed. */
    private int skipValue()
    {
        if (position >= length)
        {
            return MISSING;
        }
        final byte b = bytes[position];
        if (b == '"')
        {
            return skipString() ? STRING : MISSING;
        }
        if (b == '{' || b == '[')
        {
            return skipNested() ? OTHER : MISSING;
        }
        if (b == '-' || (b >= '0' && b <= '9'))
        {
            while (position < length && isNumberChar(bytes[position]))
            {
                position++;
            }
            return NUMBER;
        }
        if (skipLiteral("true") || skipLiteral("false") || skipLiteral("null"))
        {
            return OTHER;
        }
        return MISSING;
    }

    private boolean skipNested()
    {
        int depth = 0;
        while (position < length)
        {
            final byte b = bytes[position];
            if (b == '"')
            {
                if (!skipString())
                {
                    return false;
                }
                continue;
            }
            position++;
            if (b == '{' || b == '[')
            {
                depth++;
            }
            else if (b == '}' || b == ']')
            {
                if (--depth == 0)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** Skips a string starting at the opening quote; leaves the position after the closing quote. */
    private boolean skipString()
    {
        if (position >= length || bytes[position] != '"')
        {
            return false;
        }
        position++;
        while (position < length)
        {
            final byte b = bytes[position++];
            if (b == '"')
            {
                return true;
            }
            if (b == '\\')
            {
                if (position >= length)
                {
                    return false;
                }
                final byte escaped = bytes[position++];
                if (escaped == 'u')
                {
                    if (position + 4 > length || !isHex(position))
                    {
                        return false;
                    }
                    position += 4;
                }
                else if ("\"\\/bfnrt".indexOf(escaped) < 0)
                {
                    return false;
                }
            }
            else if (b >= 0 && b < 0x20)
            {
                return false;
            }
        }
        return false;
    }

    private boolean isHex(final int from)
    {
        for (int i = from; i < from + 4; i++)
        {
            final byte b = bytes[i];
            if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F')))
            {
                return false;
            }
        }
        return true;
    }

    private boolean skipLiteral(final String literal)
    {
        final int n = literal.length();
        if (position + n > length)
        {
            return false;
        }
        for (int i = 0; i < n; i++)
        {
            if (bytes[position + i] != literal.charAt(i))
            {
                return false;
            }
        }
        position += n;
        return true;
    }

    private static boolean isNumberChar(final byte b)
    {
        return (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
    }

    private boolean consume(final char c)
    {
        if (position < length && bytes[position] == c)
        {
            position++;
            return true;
        }
        return false;
    }

    private void skipSpace()
    {
        while (position < length)
        {
            final byte b = bytes[position];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r')
            {
                return;
            }
            position++;
        }
    }
}
