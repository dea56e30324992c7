package dev.ringflow.engine.json;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The eight-digit lane conversion against {@code String.format("%08d")}: every value up to 10^6 and every 97th value
 * beyond, up to 10^8 - 1, so each lane sees every digit in every position.
 */
class DecimalLayoutTest
{
    @Test
    void shouldWriteEightDigitsAsStringFormatDoes()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        int checked = 0;
        for (int value = 0; value < 100_000_000; value += value < 1_000_000 ? 1 : 97)
        {
            buffer.putLong(0, DecimalLayout.eightDigits(value));
            final String text = new String(buffer.array(), StandardCharsets.US_ASCII);
            if (!text.equals(String.format("%08d", value)))
            {
                assertThat(text).as("eightDigits(%d)", value).isEqualTo(String.format("%08d", value));
            }
            checked++;
        }
        buffer.putLong(0, DecimalLayout.eightDigits(99_999_999));
        assertThat(new String(buffer.array(), StandardCharsets.US_ASCII)).isEqualTo("99999999");
        assertThat(checked).isGreaterThan(2_000_000);
    }
}
