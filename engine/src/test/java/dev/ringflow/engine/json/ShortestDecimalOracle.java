package dev.ringflow.engine.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The shortest decimal that reads back as a double, found slowly and independently of Ryu: with the double's exact
 * value in {@link BigDecimal} and {@link Double#parseDouble} as the judge of what reads back.
 */
final class ShortestDecimalOracle
{
    private static final int MAX_DIGITS = 17;

    private ShortestDecimalOracle()
    {
    }

    /**
     * The decimal with the fewest significant digits that reads back as |value|, and of those the closest to it,
     * the one with an even last digit if two are equally close.
     */
    static BigDecimal shortestClosest(final double value)
    {
        final double magnitude = Math.abs(value);
        final BigDecimal exact = new BigDecimal(magnitude);
        // n digits suffice => n + 1 do (every n-digit decimal is one of n + 1), so the fewest is a binary search.
        int low = 1;
        int high = MAX_DIGITS;
        while (low < high)
        {
            final int digits = (low + high) >>> 1;
            if (closest(exact, magnitude, digits) != null)
            {
                high = digits;
            }
            else
            {
                low = digits + 1;
            }
        }
        final BigDecimal shortest = closest(exact, magnitude, low);
        if (shortest == null)
        {
            throw new AssertionError(magnitude + " has no decimal of " + MAX_DIGITS + " digits that reads back");
        }
        return shortest;
    }

    /**
     * The closest decimal of {@code digits} significant digits that reads back as {@code magnitude}, or null. Only
     * the two that bracket the exact value can: reading is monotonic, so any other is further out than one of them.
     */
    private static BigDecimal closest(final BigDecimal exact, final double magnitude, final int digits)
    {
        final BigDecimal below = exact.round(new MathContext(digits, RoundingMode.FLOOR));
        final BigDecimal above = exact.round(new MathContext(digits, RoundingMode.CEILING));
        final boolean belowReadsBack = readsBackAs(below, magnitude);
        final boolean aboveReadsBack = readsBackAs(above, magnitude);
        if (belowReadsBack && aboveReadsBack)
        {
            final int comparison = exact.subtract(below).compareTo(above.subtract(exact));
            if (comparison == 0)
            {
                return below.unscaledValue().testBit(0) ? above : below;
            }
            return comparison < 0 ? below : above;
        }
        return belowReadsBack ? below : aboveReadsBack ? above : null;
    }

    private static boolean readsBackAs(final BigDecimal decimal, final double magnitude)
    {
        return Double.parseDouble(decimal.toString()) == magnitude;
    }

    /**
     * The significant digits a JSON number text shows: leading zeros are not, nor trailing zeros of an integer
     * ({@code 1000} shows one), but trailing zeros of a fraction are ({@code 1.50} shows three).
     */
    static int significantDigits(final String text)
    {
        final int e = text.indexOf('e');
        final String mantissa = (e < 0 ? text : text.substring(0, e)).replace("-", "");
        final boolean fraction = mantissa.indexOf('.') >= 0;
        final String digits = mantissa.replace(".", "");
        int first = 0;
        while (first < digits.length() - 1 && digits.charAt(first) == '0')
        {
            first++;
        }
        int end = digits.length();
        while (!fraction && end > first + 1 && digits.charAt(end - 1) == '0')
        {
            end--;
        }
        return end - first;
    }
}
