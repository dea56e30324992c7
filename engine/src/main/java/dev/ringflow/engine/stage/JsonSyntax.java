package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.expr.FieldValues;

/**
 * A strict RFC 8259 scanner over UTF-8 bytes: skips whitespace, strings, numbers, literals and whole nested values,
 * rejecting anything a JSON parser rejects (leading zeros, {@code +1}, {@code .5}, {@code NaN}, bad escapes, raw
 * control characters, trailing commas, unbalanced brackets, more than {@value #MAX_DEPTH} levels of nesting).
 * <p>
 * <b>Note:</b> Worker thread only; allocation free (nested values are skipped with a fixed stack, not recursion).
 */
final class JsonSyntax
{
    /** Deepest nesting of arrays and objects accepted inside a value, as Jackson's default limit. */
    static final int MAX_DEPTH = 1000;

    private static final int OPEN = 0;
    private static final int MEMBER = 1;
    private static final int ELEMENT = 2;
    private static final int CLOSED = 3;
    private static final int AFTER_VALUE = 4;

    private final byte[] stack = new byte[MAX_DEPTH];
    private byte[] bytes;
    private int length;
    private int position;
    private boolean lastStringEscaped;

    void wrap(final byte[] bytes, final int length)
    {
        this.bytes = bytes;
        this.length = length;
        this.position = 0;
    }

    int position()
    {
        return position;
    }

    boolean atEnd()
    {
        return position == length;
    }

    /** The byte at the position, or 0 at the end. */
    byte peek()
    {
        return position < length ? bytes[position] : 0;
    }

    boolean consume(final char c)
    {
        if (position < length && bytes[position] == c)
        {
            position++;
            return true;
        }
        return false;
    }

    void skipSpace()
    {
        final byte[] bytes = this.bytes;
        int position = this.position;
        while (position < length)
        {
            final byte b = bytes[position];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r')
            {
                break;
            }
            position++;
        }
        this.position = position;
    }

    /** True if the last string {@link #skipString} passed holds a backslash escape. */
    boolean lastStringEscaped()
    {
        return lastStringEscaped;
    }

    /**
     * Skips one value.
     *
     * @return its kind as {@link FieldValues} numbers it, or {@link FieldValues#MISSING} when it is malformed.
     */
    int skipValue()
    {
        switch (peek())
        {
            case '"':
                return skipString() ? FieldValues.STRING : FieldValues.MISSING;
            case '{':
            case '[':
                return skipContainer() ? FieldValues.OTHER : FieldValues.MISSING;
            case 't':
                return skipLiteral("true") ? FieldValues.BOOLEAN : FieldValues.MISSING;
            case 'f':
                return skipLiteral("false") ? FieldValues.BOOLEAN : FieldValues.MISSING;
            case 'n':
                return skipLiteral("null") ? FieldValues.NULL : FieldValues.MISSING;
            default:
                return skipNumber() ? FieldValues.NUMBER : FieldValues.MISSING;
        }
    }

    /** Skips a string from its opening quote to after its closing one. */
    boolean skipString()
    {
        final byte[] bytes = this.bytes;
        final int length = this.length;
        int position = this.position;
        if (position >= length || bytes[position] != '"')
        {
            return false;
        }
        position++;
        boolean escapes = false;
        while (position < length)
        {
            final byte b = bytes[position++];
            if (b == '"')
            {
                this.position = position;
                lastStringEscaped = escapes;
                return true;
            }
            if (b == '\\')
            {
                escapes = true;
                if (position >= length)
                {
                    return false;
                }
                final byte escaped = bytes[position++];
                if (escaped == 'u')
                {
                    if (position + 4 > length || !isHex(bytes, position))
                    {
                        return false;
                    }
                    position += 4;
                }
                else if (escaped != '"' && escaped != '\\' && escaped != '/' && escaped != 'b' && escaped != 'f' &&
                    escaped != 'n' && escaped != 'r' && escaped != 't')
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

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} */
    private boolean skipNumber()
    {
        consume('-');
        if (consume('0'))
        {
            if (isDigit(peek()))
            {
                return false;
            }
        }
        else if (!skipDigits())
        {
            return false;
        }
        if (consume('.') && !skipDigits())
        {
            return false;
        }
        if (consume('e') || consume('E'))
        {
            if (!consume('+'))
            {
                consume('-');
            }
            return skipDigits();
        }
        return true;
    }

    private boolean skipDigits()
    {
        final int from = position;
        while (isDigit(peek()))
        {
            position++;
        }
        return position > from;
    }

    private static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
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

    /** Skips an object or array, however nested, without recursion. */
    private boolean skipContainer()
    {
        final byte[] stack = this.stack;
        int depth = 0;
        int state = OPEN;
        while (true)
        {
            switch (state)
            {
                case OPEN:
                {
                    if (depth == MAX_DEPTH)
                    {
                        return false;
                    }
                    final byte open = bytes[position++];
                    stack[depth++] = open;
                    skipSpace();
                    state = consume(open == '{' ? '}' : ']') ? CLOSED : open == '{' ? MEMBER : ELEMENT;
                    break;
                }
                case MEMBER:
                    skipSpace();
                    if (!skipString())
                    {
                        return false;
                    }
                    skipSpace();
                    if (!consume(':'))
                    {
                        return false;
                    }
                    state = ELEMENT;
                    break;
                case ELEMENT:
                {
                    skipSpace();
                    final byte b = peek();
                    if (b == '{' || b == '[')
                    {
                        state = OPEN;
                    }
                    else if (skipValue() == FieldValues.MISSING)
                    {
                        return false;
                    }
                    else
                    {
                        state = AFTER_VALUE;
                    }
                    break;
                }
                case CLOSED:
                    if (--depth == 0)
                    {
                        return true;
                    }
                    state = AFTER_VALUE;
                    break;
                default:
                {
                    skipSpace();
                    final byte open = stack[depth - 1];
                    if (consume(','))
                    {
                        state = open == '{' ? MEMBER : ELEMENT;
                    }
                    else if (consume(open == '{' ? '}' : ']'))
                    {
                        state = CLOSED;
                    }
                    else
                    {
                        return false;
                    }
                }
            }
        }
    }

    private static boolean isHex(final byte[] bytes, final int from)
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

    /**
     * Writes the UTF-8 text of the string content {@code bytes[start, end)} (between the quotes, already checked by
     * {@link #skipString}) with its escapes resolved. A surrogate pair becomes one 4-byte character; a lone
     * surrogate, which UTF-8 cannot hold, becomes U+FFFD.
     */
    static void unescape(final byte[] bytes, final int start, final int end, final ByteSlice out)
    {
        out.clear();
        for (int i = start; i < end; i++)
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
                case 'b' -> out.append((byte)'\b');
                case 'f' -> out.append((byte)'\f');
                case 'n' -> out.append((byte)'\n');
                case 'r' -> out.append((byte)'\r');
                case 't' -> out.append((byte)'\t');
                case 'u' ->
                {
                    int c = hex(bytes, i + 1);
                    i += 4;
                    if (Character.isHighSurrogate((char)c) && i + 6 < end && bytes[i + 1] == '\\' &&
                        bytes[i + 2] == 'u' && Character.isLowSurrogate((char)hex(bytes, i + 3)))
                    {
                        c = Character.toCodePoint((char)c, (char)hex(bytes, i + 3));
                        i += 6;
                    }
                    else if (Character.isSurrogate((char)c))
                    {
                        c = 0xFFFD;
                    }
                    appendUtf8(c, out);
                }
                default -> out.append(escaped);
            }
        }
    }

    private static int hex(final byte[] bytes, final int from)
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
        else if (c < 0x10000)
        {
            out.append((byte)(0xE0 | (c >> 12)));
            out.append((byte)(0x80 | ((c >> 6) & 0x3F)));
            out.append((byte)(0x80 | (c & 0x3F)));
        }
        else
        {
            out.append((byte)(0xF0 | (c >> 18)));
            out.append((byte)(0x80 | ((c >> 12) & 0x3F)));
            out.append((byte)(0x80 | ((c >> 6) & 0x3F)));
            out.append((byte)(0x80 | (c & 0x3F)));
        }
    }
}
