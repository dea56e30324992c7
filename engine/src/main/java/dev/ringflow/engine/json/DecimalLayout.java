package dev.ringflow.engine.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Lays out a decimal, digits &times; 10<sup>exponent</sup>, as JSON number text: plain for
 * 10<sup>-5</sup> &le; |x| &lt; 10<sup>16</sup> ({@code 42}, {@code 123.456}, {@code 0.00001234}), with an exponent
 * beyond ({@code 1.5e-7}, {@code 2e23}).
 * <p>
 * <b>Note:</b> Writes exactly the digits it is given: a fraction's digits must carry no trailing zero (Ryu's never
 * do). Allocation free and thread-safe.
 */
final class DecimalLayout
{
    /** Eight bytes of a byte[] as one little-endian long: eight digits are stored in one write. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The smallest exponent of the leading digit written without an exponent: 0.00001. */
    static final int MIN_PLAIN_EXPONENT = -5;
    /** The largest exponent of the leading digit written without an exponent: 9999999999999999. */
    static final int MAX_PLAIN_EXPONENT = 15;

    /** 10^0 to 10^18. */
    private static final long[] POWERS_OF_TEN = new long[19];
    /** "00" to "99", two ASCII bytes per pair. */
    private static final byte[] DIGIT_PAIRS = new byte[200];

    static
    {
        long power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++)
        {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
        for (int i = 0; i < 100; i++)
        {
            DIGIT_PAIRS[2 * i] = (byte)('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte)('0' + i % 10);
        }
    }

    private DecimalLayout()
    {
    }

    /**
     * Writes {@code -}? digits &times; 10<sup>exponent</sup> at {@code dst[offset]}.
     *
     * @param digits between 1 and 10^17 - 1.
     * @return the number of bytes written, at most 24.
     */
    static int write(final boolean negative, final long digits, final int exponent, final byte[] dst, final int offset)
    {
        int index = offset;
        if (negative)
        {
            dst[index++] = '-';
        }
        final int length = decimalLength(digits);
        // The exponent of the leading digit: the value is d.ddd * 10^leadingExponent.
        final int leadingExponent = exponent + length - 1;
        if (leadingExponent < MIN_PLAIN_EXPONENT || leadingExponent > MAX_PLAIN_EXPONENT)
        {
            index = writeScientific(digits, length, leadingExponent, dst, index);
        }
        else if (exponent >= 0)
        {
            index = writeDigits(digits, length, dst, index);
            for (int i = 0; i < exponent; i++)
            {
                dst[index++] = '0';
            }
        }
        else if (leadingExponent >= 0)
        {
            final int fractionLength = -exponent;
            final long scale = POWERS_OF_TEN[fractionLength];
            final long integerPart = digits / scale;
            index = writeDigits(integerPart, leadingExponent + 1, dst, index);
            dst[index++] = '.';
            index = writeDigits(digits - integerPart * scale, fractionLength, dst, index);
        }
        else
        {
            dst[index++] = '0';
            dst[index++] = '.';
            for (int i = -1; i > leadingExponent; i--)
            {
                dst[index++] = '0';
            }
            index = writeDigits(digits, length, dst, index);
        }
        return index - offset;
    }

    /** The number of decimal digits of {@code value}, 1 <= value < 10^18. */
    static int decimalLength(final long value)
    {
        // 1233 / 4096 ~ log10(2): the bit length gives the digit count or one less.
        final int guess = ((64 - Long.numberOfLeadingZeros(value)) * 1233) >>> 12;
        return guess + (value >= POWERS_OF_TEN[guess] ? 1 : 0);
    }

    /** d.ddde-x: the first digit, a point only if more follow, then the exponent without a plus sign. */
    private static int writeScientific(
        final long digits, final int length, final int leadingExponent, final byte[] dst, final int start)
    {
        int index = start;
        writeDigits(digits, length, dst, index + 1);
        dst[index] = dst[index + 1];
        if (length > 1)
        {
            dst[index + 1] = '.';
            index += length + 1;
        }
        else
        {
            index++;
        }
        dst[index++] = 'e';
        int exponent = leadingExponent;
        if (exponent < 0)
        {
            dst[index++] = '-';
            exponent = -exponent;
        }
        if (exponent >= 100)
        {
            dst[index++] = (byte)('0' + exponent / 100);
            exponent %= 100;
            dst[index++] = DIGIT_PAIRS[2 * exponent];
            dst[index++] = DIGIT_PAIRS[2 * exponent + 1];
        }
        else if (exponent >= 10)
        {
            dst[index++] = DIGIT_PAIRS[2 * exponent];
            dst[index++] = DIGIT_PAIRS[2 * exponent + 1];
        }
        else
        {
            dst[index++] = (byte)('0' + exponent);
        }
        return index;
    }

    /**
     * Writes exactly {@code count} digits of {@code value} (value < 10^count), zero-padded on the left, two at a time
     * from the right.
     *
     * @return the index after the last digit.
     */
    private static int writeDigits(final long value, final int count, final byte[] dst, final int start)
    {
        if (count <= 8)
        {
            writeDigits8((int)value, count, dst, start);
        }
        else if (count <= 16)
        {
            // Two halves of at most 8 digits: int arithmetic, and the two chains of divisions overlap.
            final long high = value / 100_000_000;
            writeDigits8((int)high, count - 8, dst, start);
            LONGS.set(dst, start + count - 8, eightDigits((int)(value - high * 100_000_000)));
        }
        else
        {
            final long high = value / 10_000_000_000_000_000L;
            final long low = value - high * 10_000_000_000_000_000L;
            final long middle = low / 100_000_000;
            writeDigits8((int)high, count - 16, dst, start);
            LONGS.set(dst, start + count - 16, eightDigits((int)middle));
            LONGS.set(dst, start + count - 8, eightDigits((int)(low - middle * 100_000_000)));
        }
        return start + count;
    }

    /**
     * The eight decimal digits of {@code value} (below 10^8, with leading zeros) as ASCII, the first in the lowest
     * byte: split into two lanes of four digits, then four of two, then eight of one, each split one multiply-shift
     * by a reciprocal for all lanes at once (exact for these ranges: x * 10486 >> 20 is x / 100 below 10^4,
     * x * 103 >> 10 is x / 10 below 100).
     */
    static long eightDigits(final int value)
    {
        final int high = value / 10_000;
        final long fours = high | ((long)(value - high * 10_000) << 32);
        final long hundreds = ((fours * 10486) >>> 20) & 0x0000_007F_0000_007FL;
        final long twos = hundreds | ((fours - 100 * hundreds) << 16);
        final long tens = ((twos * 103) >>> 10) & 0x000F_000F_000F_000FL;
        return (tens | ((twos - 10 * tens) << 8)) + 0x3030_3030_3030_3030L;
    }

    /** The last {@code count} (at most 8) decimal digits of {@code value}, with leading zeros, at {@code start}. */
    private static void writeDigits8(final int value, final int count, final byte[] dst, final int start)
    {
        int remaining = value;
        int index = start + count;
        while (index - start >= 2)
        {
            final int quotient = remaining / 100;
            final int pair = (remaining - 100 * quotient) << 1;
            dst[--index] = DIGIT_PAIRS[pair + 1];
            dst[--index] = DIGIT_PAIRS[pair];
            remaining = quotient;
        }
        if (index > start)
        {
            dst[--index] = (byte)('0' + remaining);
        }
    }
}
