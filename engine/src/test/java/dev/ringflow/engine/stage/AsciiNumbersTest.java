package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AsciiNumbersTest
{
    private static final int RANDOM_DOUBLES = 2_000_000;
    private static final int ALLOCATION_PARSES = 1_000_000;

    private final AsciiNumbers numbers = new AsciiNumbers();
    private double parsedSum;

    @ParameterizedTest
    @ValueSource(strings = { "0", "7", "-7", "+7", " 42 ", "42\n", "9223372036854775807", "-9223372036854775808",
        "1733300000000", "999999999999999999", "-999999999999999999", "1000000000000000000", "-0",
        "0000000000000000000000012" })
    void shouldParseIntegersLikeLongParseLong(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);

        assertThat(numbers.parseLong(bytes, bytes.length)).isEqualTo(Long.parseLong(text.trim()));
        assertThat(numbers.lastParseFailed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "-", "+", "12x", "1.5", "1e3", "9223372036854775808", "-9223372036854775809",
        "1 2", "0x10", "٣", "12345678901234567x", "-12345678901234567/" })
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

    /** Boundaries of the Eisel-Lemire path: ties, subnormals, the largest double, and 19 or more digits. */
    @ParameterizedTest
    @ValueSource(strings = { "9007199254740993", "9007199254740995", "1e23", "8.98846567431158e307",
        "7.3177701707893310e+15", "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014E-308",
        "4.9406564584124654e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "1e-400", "0e999",
        "1.7976931348623157e308", "1.7976931348623158e308", "9999999999999999999", "18446744073709551615",
        "0.1000000000000000055511151231257827021181583404541015625", "12345678901234567890123", "1e-342",
        "-0.00000000000000000000000000000000000000000000001", "100000000000000000000000e-23", "+1.5E+5" })
    void shouldParseHardDoublesExactlyLikeDoubleParseDouble(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);

        final double parsed = numbers.parseDouble(bytes, bytes.length);

        assertThat(numbers.lastParseFailed()).isFalse();
        assertThat(Double.doubleToRawLongBits(parsed)).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", ".", "-", "e5", "1e", "1e+", "NaN", "Infinity", "1e400", "1.2.3", "1,5", "0x1p3",
        "1d", "1.7976931348623159e308", "1e309" })
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
        final FallbackTally tally = new FallbackTally();
        for (int i = 0; i < 200_000; i++)
        {
            final String text = randomDecimal(random);
            final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            final long fallbacksBefore = numbers.allocatingParseCount();
            final double parsed = numbers.parseDouble(bytes, bytes.length);
            tally.add(text, numbers.allocatingParseCount() - fallbacksBefore);
            assertThat(numbers.lastParseFailed()).as(text).isFalse();
            assertThat(Double.doubleToRawLongBits(parsed)).as(text)
                .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
        }
        System.out.println("random decimals: " + tally);
        assertThat(tally.shortFallbacks).isZero();
    }

    /**
     * Two million doubles written every way the JDK, JSON producers and BigDecimal write them, including the inputs
     * that are hardest to round: exact midpoints between two doubles and decimals a few units from them.
     */
    @Test
    void shouldParseTwoMillionDoublesOfEveryShapeToTheSameBitsAsTheJdk()
    {
        final long seed = TestSeeds.seed("shouldParseTwoMillionDoublesOfEveryShapeToTheSameBitsAsTheJdk");
        final Random random = new Random(seed);
        final Shape[] shapes = Shape.values();
        final FallbackTally[] tallies = new FallbackTally[shapes.length];
        for (int s = 0; s < shapes.length; s++)
        {
            tallies[s] = new FallbackTally();
        }
        for (int i = 0; i < RANDOM_DOUBLES; i++)
        {
            final int shape = i % shapes.length;
            final String text = shapes[shape].randomText(random);
            final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            final long fallbacksBefore = numbers.allocatingParseCount();
            final double parsed = numbers.parseDouble(bytes, bytes.length);
            tallies[shape].add(text, numbers.allocatingParseCount() - fallbacksBefore);

            final double expected = Double.parseDouble(text);
            assertThat(numbers.lastParseFailed()).as(text).isEqualTo(Double.isInfinite(expected));
            if (!Double.isInfinite(expected))
            {
                assertThat(Double.doubleToRawLongBits(parsed)).as(text)
                    .isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
        long shortFallbacks = 0;
        for (int s = 0; s < shapes.length; s++)
        {
            System.out.println(shapes[s] + ": " + tallies[s]);
            shortFallbacks += tallies[s].shortFallbacks;
        }
        assertThat(shortFallbacks).isZero();
    }

    @Test
    void shouldNotAllocateWhenParsingSeventeenDigitDoubles()
    {
        final Random random = new Random(TestSeeds.seed("shouldNotAllocateWhenParsingSeventeenDigitDoubles"));
        final byte[][] texts = new byte[1024][];
        for (int i = 0; i < texts.length; i++)
        {
            // What Python's repr and %.17g print; Java's Double.toString prints 16 or 17 digits for most doubles.
            final double value = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(21) - 8);
            texts[i] = new BigDecimal(value).round(new MathContext(17)).toString().getBytes(StandardCharsets.US_ASCII);
        }
        parseAll(texts, 2 * ALLOCATION_PARSES);
        final long fallbacksBefore = numbers.allocatingParseCount();

        final long allocated = allocatedBytes(() -> parseAll(texts, ALLOCATION_PARSES));

        assertThat(numbers.allocatingParseCount()).isEqualTo(fallbacksBefore);
        assertThat(allocated).isLessThan(1024);
        assertThat(parsedSum).isFinite();
    }

    /** AsciiNumbers rejects NaN and infinity alike; EiselLemire's own contract says which it returns. */
    @Test
    void shouldGiveInfinityBitsForOverflowAndZeroForUnderflowFromEiselLemire()
    {
        assertThat(EiselLemire.toDoubleBits(18, 307)).isEqualTo(EiselLemire.INFINITY_BITS);
        assertThat(EiselLemire.toDoubleBits(17_976_931_348_623_159L, 292)).isEqualTo(EiselLemire.INFINITY_BITS);
        assertThat(EiselLemire.toDoubleBits(-1L, 290)).isEqualTo(EiselLemire.INFINITY_BITS);
        assertThat(EiselLemire.toDoubleBits(1, 309)).isEqualTo(EiselLemire.INFINITY_BITS);
        assertThat(EiselLemire.toDoubleBits(17_976_931_348_623_158L, 292))
            .isEqualTo(Double.doubleToRawLongBits(Double.MAX_VALUE));
        assertThat(EiselLemire.toDoubleBits(24_703_282_292_062_327L, -340)).isZero();
        assertThat(EiselLemire.toDoubleBits(24_703_282_292_062_328L, -340)).isEqualTo(1);
        assertThat(EiselLemire.toDoubleBits(-1L, -343)).isZero();
        assertThat(EiselLemire.toDoubleBits(0, 100)).isZero();
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

    private void parseAll(final byte[][] texts, final int parses)
    {
        final AsciiNumbers numbers = this.numbers;
        double sum = 0;
        for (int i = 0; i < parses; i++)
        {
            final byte[] text = texts[i & (texts.length - 1)];
            sum += numbers.parseDouble(text, 0, text.length);
        }
        parsedSum += sum;
    }

    /** Bytes this thread allocates while {@code steadyState} runs, less what measuring itself allocates. */
    private static long allocatedBytes(final Runnable steadyState)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        final long emptyMeasurement = threads.getThreadAllocatedBytes(threadId) - before;
        final long start = threads.getThreadAllocatedBytes(threadId);
        steadyState.run();
        return threads.getThreadAllocatedBytes(threadId) - start - emptyMeasurement;
    }

    /** Parses and JDK fallbacks, split at the 19 significant digits that the allocation-free paths read. */
    private static final class FallbackTally
    {
        long shortInputs;
        long shortFallbacks;
        long longInputs;
        long longFallbacks;

        void add(final String text, final long fallbacks)
        {
            if (significantDigits(text) <= 19)
            {
                shortInputs++;
                shortFallbacks += fallbacks;
            }
            else
            {
                longInputs++;
                longFallbacks += fallbacks;
            }
        }

        /** Digits of the significand from its first non-zero one, trailing zeros included (as the parser counts). */
        private static int significantDigits(final String text)
        {
            int count = 0;
            for (int i = 0; i < text.length(); i++)
            {
                final char c = text.charAt(i);
                if (c == 'e' || c == 'E')
                {
                    break;
                }
                if (c >= '0' && c <= '9' && (count > 0 || c != '0'))
                {
                    count++;
                }
            }
            return count;
        }

        @Override
        public String toString()
        {
            return "<= 19 significant digits: " + shortFallbacks + " of " + shortInputs + " fell back; > 19: " +
                longFallbacks + " of " + longInputs;
        }
    }

    /**
     * How the two-million test writes a double. Exact ties longer than 19 digits always fall back to the JDK: their
     * first 19 digits and those plus one unit lie either side of the tie.
     */
    private enum Shape
    {
        /** Double.toString of uniformly random bits: every binade, 1 in 2,048 subnormal. */
        TO_STRING_OF_ANY_BITS
        {
            String randomText(final Random random)
            {
                return Double.toString(randomFiniteDouble(random));
            }
        },
        /** Double.toString of the magnitudes events carry: mostly 16 or 17 digits. */
        TO_STRING_OF_EVERYDAY_VALUES
        {
            String randomText(final Random random)
            {
                return Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(21) - 8));
            }
        },
        /** Subnormals and the smallest normals, as Double.toString and as decimals of 1 to 19 digits. */
        SUBNORMAL
        {
            String randomText(final Random random)
            {
                if (random.nextBoolean())
                {
                    return Double.toString(Double.longBitsToDouble(random.nextLong() & 0x801F_FFFF_FFFF_FFFFL));
                }
                return randomDecimalText(random, 1 + random.nextInt(19), random.nextInt(24) - 330);
            }
        },
        /** Double.toString just below Double.MAX_VALUE, and 1 to 19 digits between it and 2^1024 (some overflow). */
        NEAR_MAX_VALUE
        {
            String randomText(final Random random)
            {
                if (random.nextBoolean())
                {
                    return Double.toString(Double.longBitsToDouble(0x7FEF_FFFF_FFFF_FFFFL - random.nextInt(1 << 16)));
                }
                final BigDecimal above = new BigDecimal(Double.MAX_VALUE)
                    .add(new BigDecimal(Math.ulp(Double.MAX_VALUE)).multiply(new BigDecimal(random.nextDouble())));
                return above.round(new MathContext(1 + random.nextInt(19), RoundingMode.HALF_EVEN)).toString();
            }
        },
        /** 1 to 19 random significant digits and any decimal exponent from underflow to overflow. */
        DECIMAL_OF_1_TO_19_DIGITS
        {
            String randomText(final Random random)
            {
                return randomDecimalText(random, 1 + random.nextInt(19), random.nextInt(656) - 345);
            }
        },
        /**
         * Exact midpoints odd * 2^k with a 54-bit odd holding up to 23 factors of 5 (1e23 is one), so that many are
         * short; and each rounded up and down to 16 to 19 digits.
         */
        SHORT_HALFWAY
        {
            String randomText(final Random random)
            {
                final int fives = random.nextInt(24);
                final long fivePower = BigInteger.valueOf(5).pow(fives).longValueExact();
                final long minFactor = ((1L << 53) + fivePower - 1) / fivePower;
                final long maxFactor = ((1L << 54) - 1) / fivePower;
                long factor = (minFactor + Math.floorMod(random.nextLong(), maxFactor - minFactor + 1)) | 1;
                if (factor > maxFactor)
                {
                    factor -= 2;
                }
                final int twos = random.nextInt(fives + 17) - 8;
                final BigDecimal odd = BigDecimal.valueOf(fivePower * factor);
                final BigDecimal midpoint = twos >= 0 ?
                    odd.multiply(BigDecimal.valueOf(2).pow(twos)) : odd.multiply(BigDecimal.valueOf(0.5).pow(-twos));
                return nearMidpointText(random, midpoint);
            }
        },
        /** Exact midpoints between random doubles (hundreds of digits), each rounded up and down to 16 to 19 digits. */
        HALFWAY_OF_ANY_DOUBLE
        {
            String randomText(final Random random)
            {
                final double value = randomFiniteDouble(random);
                final BigDecimal ulp = new BigDecimal(Math.ulp(value)).divide(BigDecimal.valueOf(value < 0 ? -2 : 2));
                return nearMidpointText(random, new BigDecimal(value).add(ulp));
            }
        };

        abstract String randomText(Random random);

        private static double randomFiniteDouble(final Random random)
        {
            double value;
            do
            {
                value = Double.longBitsToDouble(random.nextLong());
            }
            while (!Double.isFinite(value));
            return value;
        }

        private static String nearMidpointText(final Random random, final BigDecimal midpoint)
        {
            final BigDecimal signed = random.nextBoolean() ? midpoint : midpoint.negate();
            switch (random.nextInt(3))
            {
                case 0:
                    return signed.stripTrailingZeros().toString();
                case 1:
                    return signed.round(new MathContext(16 + random.nextInt(4), RoundingMode.UP)).toString();
                default:
                    return signed.round(new MathContext(16 + random.nextInt(4), RoundingMode.DOWN)).toString();
            }
        }

        /** {@code digits} random significant digits times 10^exponent, in scientific or plain notation. */
        private static String randomDecimalText(final Random random, final int digits, final int exponent)
        {
            final BigInteger lowest = BigInteger.TEN.pow(digits - 1);
            final BigInteger span = lowest.multiply(BigInteger.valueOf(9));
            final BigInteger unscaled = lowest.add(new BigInteger(span.bitLength() + 8, random).mod(span));
            final BigDecimal decimal = new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(),
                digits - 1 - exponent);
            return random.nextBoolean() && Math.abs(exponent) < 40 ? decimal.toPlainString() : decimal.toString();
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
