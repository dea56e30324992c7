package dev.ringflow.io.metrics;

/**
 * Writes the small JSON documents the endpoint serves (health, status): objects of strings, numbers and nested
 * objects/arrays, without a JSON library in the daemon's reply path.
 * <p>
 * <b>Note:</b> Not thread-safe; one per response.
 */
final class Json
{
    private final StringBuilder out = new StringBuilder(256);
    private boolean first = true;
    /** A name was written: the value that follows takes no comma. */
    private boolean afterKey;

    Json begin()
    {
        return open('{');
    }

    Json beginArray()
    {
        return open('[');
    }

    Json beginObject(final String name)
    {
        return key(name).open('{');
    }

    Json beginArray(final String name)
    {
        return key(name).open('[');
    }

    Json end()
    {
        out.append('}');
        first = false;
        return this;
    }

    Json endArray()
    {
        out.append(']');
        first = false;
        return this;
    }

    Json field(final String name, final String value)
    {
        key(name);
        if (null == value)
        {
            out.append("null");
        }
        else
        {
            quote(value);
        }
        afterKey = false;
        return this;
    }

    Json field(final String name, final long value)
    {
        key(name).out.append(value);
        afterKey = false;
        return this;
    }

    Json field(final String name, final double value)
    {
        key(name);
        out.append(Double.isFinite(value) ? Double.toString(value) : "null");
        afterKey = false;
        return this;
    }

    Json field(final String name, final boolean value)
    {
        key(name).out.append(value);
        afterKey = false;
        return this;
    }

    @Override
    public String toString()
    {
        return out.toString();
    }

    private Json open(final char bracket)
    {
        if (!afterKey)
        {
            comma();
        }
        afterKey = false;
        out.append(bracket);
        first = true;
        return this;
    }

    private Json key(final String name)
    {
        comma();
        quote(name);
        out.append(':');
        afterKey = true;
        return this;
    }

    private void comma()
    {
        if (!first)
        {
            out.append(',');
        }
        first = false;
    }

    private void quote(final String text)
    {
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(String.format("\\u%04x", (int) c));
            }
            else
            {
                out.append(c);
            }
        }
        out.append('"');
    }
}
