package dev.ringflow.tools;

import dev.ringflow.engine.ByteSlice;

import java.nio.charset.StandardCharsets;

/**
 * Writes JSON string values: UTF-8 text escaped as JSON requires; bytes that are not valid UTF-8 become U+FFFD.
 */
final class JsonLines
{
    private JsonLines()
    {
    }

    static void appendString(final StringBuilder out, final ByteSlice slice)
    {
        if (slice.isNull())
        {
            out.append("null");
            return;
        }
        appendString(out, new String(slice.bytes(), 0, slice.length(), StandardCharsets.UTF_8));
    }

    static void appendString(final StringBuilder out, final String text)
    {
        if (null == text)
        {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
