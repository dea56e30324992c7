package dev.ringflow.engine.json;

/**
 * Writes doubles as the shortest JSON number text that reads back as the same double in Java, Python and JavaScript.
 * <p>
 * The digits are the fewest significant digits that read back as the value (Ryu), and of those the closest to it,
 * ties to an even last digit: the digits of Python's {@code repr} and JavaScript's {@code String(x)}. The layout:
 * <ul>
 *     <li>integral values below 10<sup>16</sup> in magnitude as integers: {@code 0}, {@code 3}, {@code -42},
 *     {@code 1234567890123}, {@code 9007199254740992};</li>
 *     <li>other values from 10<sup>-5</sup> up to 10<sup>16</sup> in magnitude in plain decimal: {@code 0.1},
 *     {@code 123.456}, {@code -0.00001234};</li>
 *     <li>everything else with a lower-case {@code e} and no {@code +}, and a point only if more than one digit:
 *     {@code 1e16}, {@code 2e23}, {@code 1.5e-7}, {@code 5e-324}, {@code 1.7976931348623157e308};</li>
 *     <li>negative zero as {@code -0.0}, not {@code -0}: Python's {@code json} reads {@code -0} as the integer 0
 *     and loses the sign, while {@code -0.0} reads back as negative zero in Java, Python and JavaScript;</li>
 *     <li>NaN and &plusmn;Infinity, which JSON has no number for, as {@code null} (see {@link #isRepresentable}).</li>
 * </ul>
 * <b>Note:</b> Allocation free: no String, no per-call buffer, only static tables built when the class loads.
 * <p>
 * <b>Note:</b> Thread-safe: static methods over read-only tables.
 */
public final class JsonNumberWriter
{
    /** The most bytes {@link #write} writes: {@code -1.2345678901234567e-308} and {@code -0.000012345678901234567}. */
    public static final int MAX_LENGTH = 24;

    private static final int MANTISSA_BITS = 52;
    private static final long MANTISSA_MASK = (1L << MANTISSA_BITS) - 1;
    private static final int EXPONENT_MASK = 0x7ff;
    /** value = m2 * 2^(ieeeExponent - 1075) for a normal double with m2 = 2^52 | mantissa. */
    private static final int EXPONENT_OFFSET = 1023 + MANTISSA_BITS;

    private JsonNumberWriter()
    {
    }

    /**
     * Writes {@code value}'s text into {@code dst} at {@code offset}; {@code null} if it is not
     * {@link #isRepresentable}.
     *
     * @return the number of bytes written, at most {@link #MAX_LENGTH}.
     * @throws ArrayIndexOutOfBoundsException if the text does not fit; {@code MAX_LENGTH} bytes always do.
     */
    public static int write(final double value, final byte[] dst, final int offset)
    {
        final long bits = Double.doubleToRawLongBits(value);
        final boolean negative = bits < 0;
        final long ieeeMantissa = bits & MANTISSA_MASK;
        final int ieeeExponent = (int)(bits >>> MANTISSA_BITS) & EXPONENT_MASK;
        if (ieeeExponent == EXPONENT_MASK)
        {
            return writeNull(dst, offset);
        }
        if (ieeeExponent == 0 && ieeeMantissa == 0)
        {
            return negative ? writeNegativeZero(dst, offset) : writeZero(dst, offset);
        }
        // Integers in [1, 2^53) are their own shortest digits: no need for Ryu (its d2d_small_int).
        final int e2 = ieeeExponent - EXPONENT_OFFSET;
        if (e2 <= 0 && e2 >= -MANTISSA_BITS)
        {
            final long m2 = (1L << MANTISSA_BITS) | ieeeMantissa;
            if ((m2 & ((1L << -e2) - 1)) == 0)
            {
                return DecimalLayout.write(negative, m2 >> -e2, 0, dst, offset);
            }
        }
        return ShortestDecimal.write(negative, ieeeMantissa, ieeeExponent, dst, offset);
    }

    /**
     * Whether JSON has a number for {@code value}: true for every finite double, false for NaN and &plusmn;Infinity,
     * for which the caller writes {@code null} (or lets {@link #write} do so).
     */
    public static boolean isRepresentable(final double value)
    {
        return Double.isFinite(value);
    }

    private static int writeNull(final byte[] dst, final int offset)
    {
        dst[offset] = 'n';
        dst[offset + 1] = 'u';
        dst[offset + 2] = 'l';
        dst[offset + 3] = 'l';
        return 4;
    }

    private static int writeZero(final byte[] dst, final int offset)
    {
        dst[offset] = '0';
        return 1;
    }

    private static int writeNegativeZero(final byte[] dst, final int offset)
    {
        dst[offset] = '-';
        dst[offset + 1] = '0';
        dst[offset + 2] = '.';
        dst[offset + 3] = '0';
        return 4;
    }
}
