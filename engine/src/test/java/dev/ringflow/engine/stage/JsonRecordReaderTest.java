package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonRecordReaderTest
{
    private final JsonRecordReader reader = new JsonRecordReader(List.of("sensor", "ts", "temp"));

    @Test
    void shouldFindTheWantedFieldsOfAFlatObject()
    {
        assertThat(read("{\"sensor\":\"s-1\",\"ts\":1700000000123,\"temp\":21.5}")).isTrue();

        assertThat(text(0)).isEqualTo("s-1");
        assertThat(reader.kind(0)).isEqualTo(JsonRecordReader.STRING);
        assertThat(text(1)).isEqualTo("1700000000123");
        assertThat(reader.kind(1)).isEqualTo(JsonRecordReader.NUMBER);
        assertThat(text(2)).isEqualTo("21.5");
    }

    @Test
    void shouldSkipOtherFieldsIncludingNestedOnesAndWhitespace()
    {
        assertThat(read(" { \"meta\" : {\"a\":[1,{\"temp\":99}],\"b\":\"}\"} , \"ok\":true, \"x\":null,\n" +
            "\"temp\" : -3e2 } ")).isTrue();

        assertThat(reader.kind(0)).isEqualTo(JsonRecordReader.MISSING);
        assertThat(text(2)).isEqualTo("-3e2");
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

        assertThat(text(2)).isEqualTo("2");
    }

    @Test
    void shouldReportObjectsAndArraysAsOtherValues()
    {
        assertThat(read("{\"temp\":[1,2]}")).isTrue();

        assertThat(reader.kind(2)).isEqualTo(JsonRecordReader.OTHER);
        assertThat(reader.copyText(2, new ByteSlice())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "12", "[1]", "{", "{\"a\":1", "{\"a\" 1}", "{\"a\":}", "{\"a\":1,}", "{a:1}",
        "{\"a\":\"x}", "{\"a\":tru}", "{\"a\":1} x", "{\"a\":\"\\q\"}", "{\"a\":\"\\u12\"}", "{\"a\":{\"b\":1}",
        "{\"a\":\"line\nbreak\"}" })
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
        final ByteSlice out = new ByteSlice();
        assertThat(reader.copyText(field, out)).isTrue();
        return out.toUtf8String();
    }
}
