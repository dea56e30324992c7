package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AsciiNumbersTest
{
    private final AsciiNumbers numbers = new AsciiNumbers();

    @ParameterizedTest
    @ValueSource(strings = { "0", "7", "-7", "+7", " 42 ", "42\n", "9223372036854775807", "-9223372036854775808" })
    void shouldParseIntegersLikeLongParseLong(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);

        assertThat(numbers.parseLong(bytes, bytes.length)).isEqualTo(Long.parseLong(text.trim()));
        assertThat(numbers.lastParseFailed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "-", "+", "12x", "1.5", "1e3", "9223372036854775808", "-9223372036854775809",
        "1 2", "0x10", "٣" })
    void shouldRejectTextThatIsNotALong(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        numbers.parseLong(bytes, bytes.length);

        assertThat(numbers.lastParseFailed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "1.5", "-2.25", ".5", "5.", "1e3", "1E-3", "-0.0", "123456789.123456789",
        "1.7976931348623157E308", "4.9E-324", "0.1", "3.141592653589793", " 2.5 " })
    void shouldParseDoublesExactlyLikeDoubleParseDouble(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);

        assertThat(numbers.parseDouble(bytes, bytes.length)).isEqualTo(Double.parseDouble(text.trim()));
        assertThat(numbers.lastParseFailed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", ".", "-", "e5", "1e", "1e+", "NaN", "Infinity", "1e400", "1.2.3", "1,5", "0x1p3",
        "1d" })
    void shouldRejectTextThatIsNotAFiniteDouble(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);

        numbers.parseDouble(bytes, bytes.length);

        assertThat(numbers.lastParseFailed()).isTrue();
    }

    @Test
    void shouldParseRandomDoublesToTheSameBitsAsTheJdk()
    {
        final long seed = TestSeeds.seed("shouldParseRandomDoublesToTheSameBitsAsTheJdk");
        final Random random = new Random(seed);
        for (int i = 0; i < 200_000; i++)
        {
            final String text = randomDecimal(random);
            final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            final double parsed = numbers.parseDouble(bytes, bytes.length);
            assertThat(numbers.lastParseFailed()).as(text).isFalse();
            assertThat(Double.doubleToRawLongBits(parsed)).as(text)
                .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
        }
    }

    @Test
    void shouldFormatLongsLikeLongToString()
    {
        final long seed = TestSeeds.seed("shouldFormatLongsLikeLongToString");
        final Random random = new Random(seed);
        final ByteSlice out = new ByteSlice();
        final long[] fixed = { 0, 1, -1, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000_000_000_000_000L };
        for (int i = 0; i < 100_000; i++)
        {
            final long value = i < fixed.length ? fixed[i] : random.nextLong() >> random.nextInt(64);
            out.clear();
            AsciiNumbers.appendLong(out, value);
            assertThat(out.toUtf8String()).isEqualTo(Long.toString(value));
        }
    }

    @Test
    void shouldFormatDoublesLikeDoubleToString()
    {
        final ByteSlice out = new ByteSlice();
        for (final double value : new double[] { 2.5, 3.0, -0.1, 1e-5, 1.0 / 3, 12345678.9, 1e21 })
        {
            out.clear();
            numbers.appendDouble(out, value);
            assertThat(out.toUtf8String()).isEqualTo(Double.toString(value));
        }
    }

    private static String randomDecimal(final Random random)
    {
        final StringBuilder sb = new StringBuilder();
        if (random.nextBoolean())
        {
            sb.append('-');
        }
        final int intDigits = random.nextInt(10);
        for (int i = 0; i < intDigits; i++)
        {
            sb.append((char)('0' + random.nextInt(10)));
        }
        if (intDigits == 0 || random.nextBoolean())
        {
            sb.append('.');
            final int fractionDigits = 1 + random.nextInt(20);
            for (int i = 0; i < fractionDigits; i++)
            {
                sb.append((char)('0' + random.nextInt(10)));
            }
        }
        if (random.nextInt(4) == 0)
        {
            sb.append('e').append(random.nextInt(60) - 30);
        }
        return sb.toString();
    }
}
