package dev.ringflow.models.score;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model file's JSON read into maps, lists, strings and {@link Number} texts, with typed accessors whose errors name
 * the file and the JSON path. Numbers keep their text so that a float threshold is parsed exactly as its writer meant
 * ({@code Float.parseFloat}), not through a double.
 * <p>
 * <b>Note:</b> load time only; allocates freely. Duplicate keys are refused: a file saying two things is malformed.
 */
final class JsonDocument
{
    /** A JSON number as written in the file. */
    record Number(String text)
    {
    }

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final String source;

    JsonDocument(final String source)
    {
        this.source = source;
    }

    String source()
    {
        return source;
    }

    Object parse(final byte[] bytes) throws ModelException
    {
        try (JsonParser parser = FACTORY.createParser(bytes))
        {
            final JsonToken first = parser.nextToken();
            if (first == null)
            {
                throw new ModelException(source + ": the file is empty");
            }
            final Object value = read(parser, first, "$");
            if (parser.nextToken() != null)
            {
                throw new ModelException(source + ": text after the end of the JSON document at " + location(parser));
            }
            return value;
        }
        catch (final JsonProcessingException ex)
        {
            throw new ModelException(source + ": not valid JSON (a truncated or damaged file?): " +
                ex.getOriginalMessage() + " at " + location(ex), ex);
        }
        catch (final IOException ex)
        {
            throw new ModelException(source + ": cannot read the JSON: " + ex.getMessage(), ex);
        }
    }

    private Object read(final JsonParser parser, final JsonToken token, final String path)
        throws IOException, ModelException
    {
        switch (token)
        {
            case START_OBJECT:
                final Map<String, Object> object = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken())
                {
                    final String key = parser.currentName();
                    final Object value = read(parser, parser.nextToken(), path + "." + key);
                    if (object.put(key, value) != null)
                    {
                        throw new ModelException(source + ": key " + path + "." + key + " appears twice");
                    }
                }
                return object;
            case START_ARRAY:
                final List<Object> array = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken())
                {
                    array.add(read(parser, t, path + "[" + array.size() + "]"));
                }
                return array;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new Number(parser.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new ModelException(source + ": unexpected JSON token " + token + " at " + path);
        }
    }

    Map<String, Object> object(final Object value, final String path) throws ModelException
    {
        if (!(value instanceof Map))
        {
            throw expected(path, "an object", value);
        }
        @SuppressWarnings("unchecked")
        final Map<String, Object> map = (Map<String, Object>)value;
        return map;
    }

    List<Object> array(final Object value, final String path) throws ModelException
    {
        if (!(value instanceof List))
        {
            throw expected(path, "an array", value);
        }
        @SuppressWarnings("unchecked")
        final List<Object> list = (List<Object>)value;
        return list;
    }

    Object field(final Map<String, Object> object, final String key, final String path) throws ModelException
    {
        if (!object.containsKey(key))
        {
            throw new ModelException(source + ": " + path + "." + key + " is missing");
        }
        return object.get(key);
    }

    String string(final Object value, final String path) throws ModelException
    {
        if (!(value instanceof String))
        {
            throw expected(path, "a string", value);
        }
        return (String)value;
    }

    /** A finite double written as a JSON number. */
    double finiteDouble(final Object value, final String path) throws ModelException
    {
        if (!(value instanceof Number))
        {
            throw expected(path, "a number", value);
        }
        final double d = Double.parseDouble(((Number)value).text());
        if (!Double.isFinite(d))
        {
            throw new ModelException(source + ": " + path + " is " + ((Number)value).text() + ", not a finite number");
        }
        return d;
    }

    /** A float written as a JSON number, parsed from its text as a float (exactly as XGBoost reads it). */
    float floatValue(final Object value, final String path) throws ModelException
    {
        if (!(value instanceof Number))
        {
            throw expected(path, "a number", value);
        }
        return Float.parseFloat(((Number)value).text());
    }

    /** An int written as a JSON number or, as XGBoost writes its parameters, as a string. */
    int intValue(final Object value, final String path) throws ModelException
    {
        final String text = value instanceof Number ? ((Number)value).text() : value instanceof String ? (String)value : null;
        if (text == null)
        {
            throw expected(path, "an integer", value);
        }
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new ModelException(source + ": " + path + " is '" + text + "', not an integer");
        }
    }

    ModelException expected(final String path, final String what, final Object value)
    {
        final String found = value == null ? "null" : value instanceof Number ? "the number " + ((Number)value).text() :
            value instanceof String ? "the string '" + value + "'" : value instanceof Map ? "an object" :
            value instanceof List ? "an array" : String.valueOf(value);
        return new ModelException(source + ": " + path + " should be " + what + " but is " + found);
    }

    private static String location(final JsonParser parser)
    {
        return "line " + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr();
    }

    private static String location(final JsonProcessingException ex)
    {
        return ex.getLocation() == null ? "an unknown place" :
            "line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr();
    }
}
