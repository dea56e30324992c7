package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.expr.FieldValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading the fields of JSON events, nested paths included, and writing changed events back.
 */
class JsonEventTest
{
    private final FieldTable table = table("sensor", "ts", "temp", "merchant.country", "merchant.geo.lat");
    private final JsonEvent reader = new JsonEvent(table);

    @Test
    void shouldFindTheWantedFieldsOfAFlatObject()
    {
        assertThat(read("{\"sensor\":\"s-1\",\"ts\":1700000000123,\"temp\":21.5}")).isTrue();

        assertThat(text(0)).isEqualTo("s-1");
        assertThat(reader.kind(0)).isEqualTo(FieldValues.STRING);
        assertThat(reader.longValue(1)).isEqualTo(1700000000123L);
        assertThat(reader.kind(1)).isEqualTo(FieldValues.NUMBER);
        assertThat(reader.number(2)).isEqualTo(21.5);
    }

    @Test
    void shouldSkipOtherFieldsIncludingNestedOnesAndWhitespace()
    {
        assertThat(read(" { \"meta\" : {\"a\":[1,{\"temp\":99}],\"b\":\"}\"} , \"ok\":true, \"x\":null,\n" +
            "\"temp\" : -3e2 } ")).isTrue();

        assertThat(reader.kind(0)).isEqualTo(FieldValues.MISSING);
        assertThat(reader.number(2)).isEqualTo(-300.0);
    }

    @Test
    void shouldUnescapeStrings()
    {
        assertThat(read("{\"sensor\":\"a\\\"b\\\\c\\n\\u00e9\\u20ac\"}")).isTrue();

        assertThat(text(0)).isEqualTo("a\"b\\c\né€");
    }

    @Test
    void shouldKeepTheLastValueOfARepeatedField()
    {
        assertThat(read("{\"temp\":1,\"temp\":2}")).isTrue();

        assertThat(reader.number(2)).isEqualTo(2.0);
    }

    @Test
    void shouldReportObjectsAndArraysAsOtherValues()
    {
        assertThat(read("{\"temp\":[1,2]}")).isTrue();

        assertThat(reader.kind(2)).isEqualTo(FieldValues.OTHER);
    }

    @Test
    void shouldReadDottedPathsIntoNestedObjects()
    {
        assertThat(read("{\"merchant\":{\"name\":\"m\",\"geo\":{\"lat\":48.5},\"country\":\"FR\"},\"temp\":true}"))
            .isTrue();

        assertThat(text(table.fieldId("merchant.country"))).isEqualTo("FR");
        assertThat(reader.number(table.fieldId("merchant.geo.lat"))).isEqualTo(48.5);
        assertThat(reader.kind(table.fieldId("merchant"))).isEqualTo(FieldValues.OTHER);
        assertThat(reader.kind(2)).isEqualTo(FieldValues.BOOLEAN);
        assertThat(reader.bool(2)).isTrue();
    }

    @Test
    void shouldWriteUnchangedMembersAsTheyWereAndNewFieldsAfterThem()
    {
        final String input = "{ \"sensor\" : \"s\\u002d1\", \"temp\":1.50,\"x\":[1, 2],\"ts\":7}";
        assertThat(read(input)).isTrue();
        final JsonEventWriter writer = new JsonEventWriter();
        final ByteSlice out = new ByteSlice();

        writer.write(reader, out);
        assertThat(out.toUtf8String()).as("unchanged: the input bytes").isEqualTo(input);

        final int added = table.define("hot", dev.ringflow.engine.expr.FieldType.BOOLEAN);
        final JsonEvent event = new JsonEvent(table);
        final byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        assertThat(event.read(bytes, bytes.length)).isTrue();
        event.setNumber(2, 3.0);
        event.drop(1);
        event.setBoolean(added, true);
        writer.write(event, out);
        assertThat(out.toUtf8String()).isEqualTo("{\"sensor\" : \"s\\u002d1\",\"temp\":3,\"x\":[1, 2],\"hot\":true}");

        event.select(new boolean[] {true});
        writer.write(event, out);
        assertThat(out.toUtf8String()).isEqualTo("{\"sensor\" : \"s\\u002d1\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "12", "[1]", "{", "{\"a\":1", "{\"a\" 1}", "{\"a\":}", "{\"a\":1,}", "{a:1}",
        "{\"a\":\"x}", "{\"a\":tru}", "{\"a\":1} x", "{\"a\":\"\\q\"}", "{\"a\":\"\\u12\"}", "{\"a\":{\"b\":1}",
        "{\"a\":\"line\nbreak\"}", "{\"a\":01}", "{\"a\":+1}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":NaN}",
        "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":{\"b\" 1}}", "{\"a\":-}", "{\"a\":1e}" })
    void shouldRejectWhatIsNotOneJsonObject(final String text)
    {
        assertThat(read(text)).as(text).isFalse();
    }

    private boolean read(final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return reader.read(bytes, bytes.length);
    }

    private String text(final int field)
    {
        assertThat(reader.kind(field)).isEqualTo(FieldValues.STRING);
        return new String(reader.stringBytes(field), reader.stringOffset(field), reader.stringLength(field),
            StandardCharsets.UTF_8);
    }

    private static FieldTable table(final String... paths)
    {
        final FieldTable table = new FieldTable();
        for (final String path : paths)
        {
            table.fieldId(path);
        }
        return table;
    }
}
