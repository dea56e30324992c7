package dev.ringflow.engine.stage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.TestSeeds;
import dev.ringflow.engine.expr.FieldValues;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event reader against Jackson on generated documents (escapes, unicode, exponents, nesting, duplicate names,
 * whitespace) and on mutations of them: the same documents are accepted, and every field reads the same value. The
 * writer's output of a changed event parses, with Jackson, to the expected object.
 */
class JsonEventFuzzTest
{
    private static final String[] NAMES = {"a", "b", "amount", "na\\u006de", "ключ", "\\ud83d\\ude00", "x y", "a.b"};
    private static final String[] PLAIN_NAMES = {"a", "b", "amount", "name", "ключ", "\uD83D\uDE00", "x y"};
    private static final String MUTATIONS = "{}[],:\"\\ 0123456789eE.+-tfnulx\t\n";
    private static final ObjectMapper JACKSON = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final long seed = TestSeeds.seed(getClass().getSimpleName());
    private final Random random = new Random(seed);

    @Test
    void shouldAcceptWhatJacksonAcceptsAndReadTheSameValues() throws Exception
    {
        final FieldTable table = new FieldTable();
        for (final String name : PLAIN_NAMES)
        {
            table.fieldId(name);
            table.fieldId(name + ".a");
            table.fieldId(name + ".b.a");
        }
        final JsonEvent event = new JsonEvent(table);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 40_000; i++)
        {
            String text = document(0);
            if (random.nextInt(3) == 0)
            {
                text = mutate(text);
            }
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            final JsonNode expected = jackson(bytes);
            final boolean read = event.read(bytes, bytes.length);
            if (read && null == expected && jacksonRejectsASurrogateInAName(bytes))
            {
                // RFC 8259 allows a lone surrogate escape; Jackson refuses one in a member name (not in a value).
                rejected++;
                continue;
            }
            assertThat(read).as("accepts %s", text).isEqualTo(expected instanceof ObjectNode);
            if (!read)
            {
                rejected++;
                continue;
            }
            accepted++;
            for (int field = 0; field < table.size(); field++)
            {
                assertField(event, field, node(expected, table.path(field)), text, table.path(field));
            }
        }
        System.out.println("accepted " + accepted + ", rejected " + rejected);
        assertThat(accepted).isGreaterThan(10_000);
        assertThat(rejected).isGreaterThan(2_000);
    }

    @Test
    void shouldWriteChangedEventsThatParseToTheExpectedObject() throws Exception
    {
        final FieldTable table = new FieldTable();
        for (final String name : PLAIN_NAMES)
        {
            table.fieldId(name);
        }
        final int added = table.fieldId("added");
        final JsonEvent event = new JsonEvent(table);
        final JsonEventWriter writer = new JsonEventWriter();
        final ByteSlice out = new ByteSlice();
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] bytes = document(0).getBytes(StandardCharsets.UTF_8);
            assertThat(event.read(bytes, bytes.length)).as(new String(bytes, StandardCharsets.UTF_8)).isTrue();
            final ObjectNode expected = (ObjectNode)JACKSON.readTree(bytes);
            final int changes = random.nextInt(4);
            for (int c = 0; c < changes; c++)
            {
                final int field = random.nextInt(PLAIN_NAMES.length + 1);
                final int id = field == PLAIN_NAMES.length ? added : table.fieldId(PLAIN_NAMES[field]);
                final String name = field == PLAIN_NAMES.length ? "added" : PLAIN_NAMES[field];
                switch (random.nextInt(4))
                {
                    case 0 ->
                    {
                        event.drop(id);
                        expected.remove(name);
                    }
                    case 1 ->
                    {
                        final double value = random.nextBoolean() ? random.nextInt(1000) : random.nextGaussian() * 1e6;
                        event.setNumber(id, value);
                        expected.put(name, value);
                    }
                    case 2 ->
                    {
                        final String value = "s\"\\\n\u0001é" + random.nextInt(100);
                        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                        event.setString(id, utf8, 0, utf8.length);
                        expected.put(name, value);
                    }
                    default ->
                    {
                        final boolean value = random.nextBoolean();
                        event.setBoolean(id, value);
                        expected.put(name, value);
                    }
                }
            }
            writer.write(event, out);
            final String written = new String(out.bytes(), 0, out.length(), StandardCharsets.UTF_8);
            final JsonNode actual = JACKSON.readTree(written);
            assertThat(numbersAsDoubles(actual)).as("%s", written).isEqualTo(numbersAsDoubles(expected));
        }
    }

    private static Map<String, Object> numbersAsDoubles(final JsonNode node)
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        final Iterator<Map.Entry<String, JsonNode>> members = node.fields();
        while (members.hasNext())
        {
            final Map.Entry<String, JsonNode> member = members.next();
            final JsonNode value = member.getValue();
            fields.put(member.getKey(), value.isNumber() ? (Object)value.doubleValue() : value);
        }
        return fields;
    }

    private static void assertField(final JsonEvent event, final int field, final JsonNode expected,
        final String text, final String path)
    {
        final String what = path + " of " + text;
        if (null == expected)
        {
            assertThat(event.kind(field)).as(what).isEqualTo(FieldValues.MISSING);
            return;
        }
        switch (expected.getNodeType())
        {
            case NUMBER ->
            {
                assertThat(event.kind(field)).as(what).isEqualTo(FieldValues.NUMBER);
                assertThat(event.number(field)).as(what).isEqualTo(expected.doubleValue());
            }
            case STRING ->
            {
                assertThat(event.kind(field)).as(what).isEqualTo(FieldValues.STRING);
                final String actual = new String(event.stringBytes(field), event.stringOffset(field),
                    event.stringLength(field), StandardCharsets.UTF_8);
                assertThat(actual).as(what).isEqualTo(loneSurrogatesReplaced(expected.textValue()));
            }
            case BOOLEAN ->
            {
                assertThat(event.kind(field)).as(what).isEqualTo(FieldValues.BOOLEAN);
                assertThat(event.bool(field)).as(what).isEqualTo(expected.booleanValue());
            }
            case NULL -> assertThat(event.kind(field)).as(what).isEqualTo(FieldValues.NULL);
            default -> assertThat(event.kind(field)).as(what).isEqualTo(FieldValues.OTHER);
        }
    }

    /** UTF-8 cannot hold a lone surrogate (a {@code \ud800} escape alone): the reader gives U+FFFD instead. */
    private static String loneSurrogatesReplaced(final String text)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                out.append(c).append(text.charAt(++i));
            }
            else
            {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /** The node at a dotted path, or null; the path's parts are plain names. */
    private static JsonNode node(final JsonNode root, final String path)
    {
        JsonNode node = root;
        for (final String part : path.split("\\."))
        {
            if (null == node || !node.isObject())
            {
                return null;
            }
            node = node.get(part);
        }
        return node;
    }

    private static boolean jacksonRejectsASurrogateInAName(final byte[] bytes)
    {
        try
        {
            JACKSON.readTree(bytes);
            return false;
        }
        catch (final Exception ex)
        {
            return ex.getMessage().contains("surrogate in field name") ||
                ex.getMessage().contains("surrogate pair in field name");
        }
    }

    private static JsonNode jackson(final byte[] bytes)
    {
        try
        {
            return JACKSON.readTree(bytes);
        }
        catch (final Exception ex)
        {
            return null;
        }
    }

    private String document(final int depth)
    {
        final StringBuilder out = new StringBuilder();
        space(out);
        out.append('{');
        final int members = random.nextInt(depth == 0 ? 7 : 4);
        for (int i = 0; i < members; i++)
        {
            if (i > 0)
            {
                out.append(',');
            }
            space(out);
            out.append('"').append(NAMES[random.nextInt(NAMES.length)]).append('"');
            space(out);
            out.append(':');
            space(out);
            value(out, depth);
            space(out);
        }
        out.append('}');
        space(out);
        return out.toString();
    }

    private void value(final StringBuilder out, final int depth)
    {
        switch (random.nextInt(depth < 3 ? 9 : 7))
        {
            case 0, 1 -> out.append(number());
            case 2, 3 -> string(out);
            case 4 -> out.append(random.nextBoolean() ? "true" : "false");
            case 5 -> out.append("null");
            case 6 -> out.append(random.nextInt(2000) - 1000);
            case 7 -> out.append(document(depth + 1));
            default ->
            {
                out.append('[');
                final int elements = random.nextInt(4);
                for (int i = 0; i < elements; i++)
                {
                    if (i > 0)
                    {
                        out.append(',');
                    }
                    space(out);
                    value(out, depth + 1);
                }
                out.append(']');
            }
        }
    }

    private String number()
    {
        final StringBuilder n = new StringBuilder();
        if (random.nextBoolean())
        {
            n.append('-');
        }
        n.append(random.nextInt(4) == 0 ? "0" : Long.toString(1 + (long)(random.nextDouble() * Math.pow(10,
            random.nextInt(19)))));
        if (random.nextBoolean())
        {
            n.append('.').append(random.nextInt(1_000_000));
        }
        if (random.nextInt(3) == 0)
        {
            n.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "" : random.nextBoolean() ? "+" :
                "-").append(random.nextInt(330));
        }
        return n.toString();
    }

    private void string(final StringBuilder out)
    {
        out.append('"');
        final int length = random.nextInt(8);
        for (int i = 0; i < length; i++)
        {
            switch (random.nextInt(10))
            {
                case 0 -> out.append("\\n");
                case 1 -> out.append("\\\"");
                case 2 -> out.append("\\\\");
                case 3 -> out.append("\\/");
                case 4 -> out.append(String.format("\\u%04x", random.nextInt(0x10000)));
                case 5 -> out.append("\\ud83d\\ude00");
                case 6 -> out.append("é€");
                case 7 -> out.append("\uD83D\uDE80");
                default -> out.append((char)('a' + random.nextInt(26)));
            }
        }
        out.append('"');
    }

    private void space(final StringBuilder out)
    {
        while (random.nextInt(5) == 0)
        {
            out.append(" \t\n\r".charAt(random.nextInt(4)));
        }
    }

    private String mutate(final String text)
    {
        final StringBuilder out = new StringBuilder(text);
        final int at = random.nextInt(out.length() + 1);
        switch (random.nextInt(3))
        {
            case 0 ->
            {
                if (at < out.length())
                {
                    out.deleteCharAt(at);
                }
            }
            case 1 -> out.insert(at, MUTATIONS.charAt(random.nextInt(MUTATIONS.length())));
            default -> out.setLength(at);
        }
        return out.toString();
    }
}
