package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;

import java.nio.charset.StandardCharsets;

/**
 * Parses and formats numbers as ASCII text directly in byte arrays.
 * <p>
 * <b>Note:</b> Parsing longs and formatting longs never allocate. Parsing doubles gives the bits
 * {@link Double#parseDouble(String)} gives and does not allocate for decimal text with at most 19 significant digits
 * (Clinger's exact fast path, else {@link EiselLemire}). Longer text is read allocation free too when its first 19
 * digits and those plus one unit round alike; only when they do not (about 1 in 600 random inputs of 20 or more
 * digits), or for an exponent of 100,000 or more, does it fall back to {@link Double#parseDouble(String)}, which
 * allocates a String.
 * Formatting doubles goes through a reused {@link StringBuilder}, which does not allocate on JDK 17.
 * <p>
 * <b>Note:</b> Instances are not thread-safe (one per worker); the static methods are.
 */
public final class AsciiNumbers
{
    /** Returned by {@link #parseLong} when the text is not an integer; check {@link #lastParseFailed()}. */
    private boolean lastParseFailed;
    private long allocatingParseCount;
    private final StringBuilder doubleText = new StringBuilder(32);

    /** 10^19 - 1 < 2^64: nineteen digits always fit an unsigned long. */
    private static final int MAX_SIGNIFICANT_DIGITS = 19;
    /** Exponents are accumulated up to this; text that reaches it goes to the JDK, which reads any length. */
    private static final int EXPONENT_LIMIT = 100_000;
    /** Clinger: a significand up to 2^53 and 10^|q| for |q| <= 22 are exact doubles. */
    private static final long MAX_EXACT_SIGNIFICAND = 1L << 53;

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

    static
    {
        // EiselLemire builds its table with BigInteger as it loads (tens of ms): load it while a worker is being
        // set up, not on its first event that misses Clinger's fast path.
        EiselLemire.toDoubleBits(1, 0);
    }

    public boolean lastParseFailed()
    {
        return lastParseFailed;
    }

    /** How many {@link #parseDouble} calls fell back to {@link Double#parseDouble(String)}, allocating. */
    long allocatingParseCount()
    {
        return allocatingParseCount;
    }

    /**
     * Parses an optionally signed decimal integer, allowing surrounding ASCII whitespace.
     *
     * @return the value; when the text is not an integer in range, 0 and {@link #lastParseFailed()} is true.
     */
    public long parseLong(final byte[] text, final int length)
    {
        return parseLong(text, 0, length);
    }

    /**
     * {@link #parseLong(byte[], int)} over {@code text[start, end)}.
     */
    public long parseLong(final byte[] text, final int start, final int end)
    {
        int i = skipSpace(text, start, end);
        final int last = trimEnd(text, i, end);
        lastParseFailed = true;
        if (i >= last)
        {
            return 0;
        }
        boolean negative = false;
        if (text[i] == '-' || text[i] == '+')
        {
            negative = text[i] == '-';
            i++;
            if (i == last)
            {
                return 0;
            }
        }
        if (last - i <= 18)
        {
            // At most 18 digits cannot overflow: no bound check per digit.
            long value = 0;
            for (; i < last; i++)
            {
                final int digit = text[i] - '0';
                if (digit < 0 || digit > 9)
                {
                    return 0;
                }
                value = value * 10 + digit;
            }
            lastParseFailed = false;
            return negative ? -value : value;
        }
        // Accumulate negatively so that Long.MIN_VALUE parses without overflow.
        long result = 0;
        for (; i < last; i++)
        {
            final int digit = text[i] - '0';
            if (digit < 0 || digit > 9 || result < (Long.MIN_VALUE + digit) / 10)
            {
                return 0;
            }
            result = result * 10 - digit;
        }
        if (!negative && result == Long.MIN_VALUE)
        {
            return 0;
        }
        lastParseFailed = false;
        return negative ? result : -result;
    }

    /**
     * Parses a decimal floating point number (digits, optional fraction and exponent), allowing surrounding
     * ASCII whitespace. NaN and infinities are rejected: they poison aggregates.
     *
     * @return the value; when the text is not a finite number, 0 and {@link #lastParseFailed()} is true.
     */
    public double parseDouble(final byte[] text, final int length)
    {
        return parseDouble(text, 0, length);
    }

    /**
     * {@link #parseDouble(byte[], int)} over {@code text[from, to)}.
     */
    public double parseDouble(final byte[] text, final int from, final int to)
    {
        final int start = skipSpace(text, from, to);
        final int end = trimEnd(text, start, to);
        lastParseFailed = true;
        int i = start;
        if (i >= end)
        {
            return 0;
        }
        boolean negative = false;
        if (text[i] == '-' || text[i] == '+')
        {
            negative = text[i] == '-';
            i++;
        }
        // Unsigned: up to 19 digits. Digits past the 19th only count in the exponent and in droppedNonZeroDigit.
        long significand = 0;
        int significantDigits = 0;
        int decimalExponent = 0;
        int digits = 0;
        boolean inFraction = false;
        boolean droppedNonZeroDigit = false;
        for (; i < end; i++)
        {
            final byte b = text[i];
            if (b == '.' && !inFraction)
            {
                inFraction = true;
                continue;
            }
            final int digit = b - '0';
            if (digit < 0 || digit > 9)
            {
                break;
            }
            digits++;
            if (significantDigits < MAX_SIGNIFICANT_DIGITS)
            {
                significand = significand * 10 + digit;
                if (significand != 0)
                {
                    significantDigits++;
                }
                if (inFraction)
                {
                    decimalExponent--;
                }
            }
            else
            {
                if (!inFraction)
                {
                    decimalExponent++;
                }
                droppedNonZeroDigit |= digit != 0;
            }
        }
        if (digits == 0)
        {
            return 0;
        }
        if (i < end)
        {
            if (text[i] != 'e' && text[i] != 'E')
            {
                return 0;
            }
            i++;
            boolean negativeExponent = false;
            if (i < end && (text[i] == '-' || text[i] == '+'))
            {
                negativeExponent = text[i] == '-';
                i++;
            }
            if (i == end)
            {
                return 0;
            }
            int exponent = 0;
            for (; i < end; i++)
            {
                final int digit = text[i] - '0';
                if (digit < 0 || digit > 9)
                {
                    return 0;
                }
                exponent = Math.min(exponent * 10 + digit, EXPONENT_LIMIT);
            }
            if (exponent == EXPONENT_LIMIT)
            {
                return parseWithJdk(text, start, end, negative);
            }
            decimalExponent += negativeExponent ? -exponent : exponent;
        }

        final double result;
        if (!droppedNonZeroDigit && significand >= 0 && significand <= MAX_EXACT_SIGNIFICAND &&
            decimalExponent >= -22 && decimalExponent <= 22)
        {
            // Clinger's fast path: both operands are exact doubles, so one rounding gives the correct result.
            result = decimalExponent >= 0 ?
                significand * POWERS_OF_TEN[decimalExponent] : significand / POWERS_OF_TEN[-decimalExponent];
        }
        else
        {
            long bits = EiselLemire.toDoubleBits(significand, decimalExponent);
            // The text lies strictly between w * 10^q and (w + 1) * 10^q: if both round alike, so does the text.
            // w + 1 <= 10^19 still fits.
            if (droppedNonZeroDigit && bits != EiselLemire.toDoubleBits(significand + 1, decimalExponent))
            {
                bits = EiselLemire.CANNOT_DECIDE;
            }
            if (bits == EiselLemire.CANNOT_DECIDE)
            {
                return parseWithJdk(text, start, end, negative);
            }
            result = Double.longBitsToDouble(bits);
        }
        return signedIfFinite(result, negative);
    }

    private double parseWithJdk(final byte[] text, final int start, final int end, final boolean negative)
    {
        allocatingParseCount++;
        return signedIfFinite(
            Math.abs(Double.parseDouble(new String(text, start, end - start, StandardCharsets.US_ASCII))), negative);
    }

    private double signedIfFinite(final double result, final boolean negative)
    {
        if (Double.isInfinite(result) || Double.isNaN(result))
        {
            return 0;
        }
        lastParseFailed = false;
        return negative ? -result : result;
    }

    /**
     * Appends the decimal text of {@code value} to {@code out}.
     */
    public static void appendLong(final ByteSlice out, final long value)
    {
        if (value == Long.MIN_VALUE)
        {
            out.appendAscii("-9223372036854775808");
            return;
        }
        if (value < 0)
        {
            out.append((byte)'-');
        }
        final long magnitude = Math.abs(value);
        // Division by the constant 10 compiles to a multiply and shifts: no divide instruction per digit.
        final int digits = digitCount(magnitude);
        out.appendDigits(magnitude, digits);
    }

    private static int digitCount(final long magnitude)
    {
        long bound = 10;
        for (int digits = 1; digits < 19; digits++)
        {
            if (magnitude < bound)
            {
                return digits;
            }
            bound *= 10;
        }
        return 19;
    }

    /**
     * Appends {@code value} as Java's {@link Double#toString(double)} writes it, e.g. {@code 2.5}, {@code 3.0},
     * {@code 1.0E-5}.
     */
    public void appendDouble(final ByteSlice out, final double value)
    {
        doubleText.setLength(0);
        doubleText.append(value);
        out.appendAscii(doubleText);
    }

    private static int skipSpace(final byte[] text, final int from, final int end)
    {
        int i = from;
        while (i < end && isSpace(text[i]))
        {
            i++;
        }
        return i;
    }

    private static int trimEnd(final byte[] text, final int start, final int end)
    {
        int e = end;
        while (e > start && isSpace(text[e - 1]))
        {
            e--;
        }
        return e;
    }

    private static boolean isSpace(final byte b)
    {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
