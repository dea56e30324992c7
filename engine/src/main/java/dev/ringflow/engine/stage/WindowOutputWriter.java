package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.pipeline.OutputFormat;
import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.WindowResult;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Writes a fired window as text (the one aggregate) or as a JSON object:
 * <pre>
 *   {"key":"s-1","start":1000,"end":2000,"count":3,"sum":12,"mean":4.0}   time windows
 *   {"key":"s-1","from":3,"to":7,"count":5,"sum":15}                      count windows (element numbers)
 *   {"key":"s-1","start":1000,"end":2000,"count":3,"temp":{"mean":21.5},"hum":{"mean":0.4}}  JSON value fields
 * </pre>
 * A null key is written as JSON {@code null}. Integer aggregates of integer input are JSON integers; others are
 * JSON numbers as Java prints doubles.
 * <p>
 * <b>Note:</b> Worker thread only; allocation free.
 */
final class WindowOutputWriter
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final OutputFormat format;
    private final Aggregation[] aggregations;
    private final byte[][] names;
    private final byte[][] fieldNames;
    private final boolean timeWindow;
    private final AsciiNumbers numbers;

    WindowOutputWriter(final OutputFormat format, final List<Aggregation> aggregations, final boolean timeWindow,
        final List<String> valueFields, final AsciiNumbers numbers)
    {
        this.format = format;
        this.aggregations = aggregations.toArray(new Aggregation[0]);
        this.names = new byte[this.aggregations.length][];
        for (int i = 0; i < names.length; i++)
        {
            names[i] = (",\"" + this.aggregations[i].name().toLowerCase(Locale.ROOT) + "\":")
                .getBytes(StandardCharsets.US_ASCII);
        }
        this.fieldNames = new byte[valueFields.size()][];
        for (int i = 0; i < fieldNames.length; i++)
        {
            final ByteSlice name = new ByteSlice();
            name.appendAscii(",");
            final ByteSlice raw = new ByteSlice();
            raw.set(valueFields.get(i).getBytes(StandardCharsets.UTF_8));
            appendJsonString(raw, name);
            name.appendAscii(":{");
            fieldNames[i] = name.toByteArray();
        }
        this.timeWindow = timeWindow;
        this.numbers = numbers;
    }

    boolean isText()
    {
        return format == OutputFormat.TEXT;
    }

    /** Text output: the one aggregate. */
    void writeText(final WindowResult result, final ByteSlice out)
    {
        out.clear();
        appendAggregate(result, aggregations[0], out);
    }

    /**
     * JSON output: opens the object with the key (a null slice for the null key), the window bounds and count.
     * Follow with {@link #appendAggregates} (text input) or one {@link #appendField} per value field, then
     * {@link #end}.
     */
    void begin(final WindowResult result, final ByteSlice key, final ByteSlice out)
    {
        out.clear();
        out.appendAscii("{\"key\":");
        appendJsonString(key, out);
        if (timeWindow)
        {
            out.appendAscii(",\"start\":");
            AsciiNumbers.appendLong(out, result.windowStartMs());
            out.appendAscii(",\"end\":");
            AsciiNumbers.appendLong(out, result.windowEndMs());
        }
        else
        {
            out.appendAscii(",\"from\":");
            AsciiNumbers.appendLong(out, result.firstSequence());
            out.appendAscii(",\"to\":");
            AsciiNumbers.appendLong(out, result.lastSequence());
        }
        out.appendAscii(",\"count\":");
        AsciiNumbers.appendLong(out, result.count());
    }

    /** Appends {@code "final":true} or {@code "final":false} (early results). */
    void appendFinal(final boolean isFinal, final ByteSlice out)
    {
        out.appendAscii(isFinal ? ",\"final\":true" : ",\"final\":false");
    }

    /** Appends every requested aggregate but the count as top-level members. */
    void appendAggregates(final WindowResult result, final ByteSlice out)
    {
        for (int i = 0; i < aggregations.length; i++)
        {
            if (aggregations[i] != Aggregation.COUNT)
            {
                out.append(names[i], 0, names[i].length);
                appendAggregate(result, aggregations[i], out);
            }
        }
    }

    /** Appends value field {@code field}'s aggregates as a nested object. */
    void appendField(final int field, final WindowResult result, final ByteSlice out)
    {
        out.append(fieldNames[field], 0, fieldNames[field].length);
        boolean first = true;
        for (int i = 0; i < aggregations.length; i++)
        {
            if (aggregations[i] != Aggregation.COUNT)
            {
                final int skipComma = first ? 1 : 0;
                out.append(names[i], skipComma, names[i].length - skipComma);
                appendAggregate(result, aggregations[i], out);
                first = false;
            }
        }
        out.append((byte)'}');
    }

    void end(final ByteSlice out)
    {
        out.append((byte)'}');
    }

    private void appendAggregate(final WindowResult result, final Aggregation aggregation, final ByteSlice out)
    {
        if (result.isIntegral(aggregation))
        {
            AsciiNumbers.appendLong(out, result.longValue(aggregation));
        }
        else
        {
            numbers.appendDouble(out, result.doubleValue(aggregation));
        }
    }

    static void appendJsonString(final ByteSlice text, final ByteSlice out)
    {
        if (text.isNull())
        {
            out.appendAscii("null");
            return;
        }
        out.append((byte)'"');
        final byte[] bytes = text.bytes();
        for (int i = 0, length = text.length(); i < length; i++)
        {
            final byte b = bytes[i];
            if (b == '"' || b == '\\')
            {
                out.append((byte)'\\');
                out.append(b);
            }
            else if (b >= 0 && b < 0x20)
            {
                out.appendAscii("\\u00");
                out.append(HEX[b >> 4]);
                out.append(HEX[b & 0xF]);
            }
            else
            {
                out.append(b);
            }
        }
        out.append((byte)'"');
    }
}
