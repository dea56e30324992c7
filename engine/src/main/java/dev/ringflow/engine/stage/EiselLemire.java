// Copyright 2021 The fast_float authors
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.
//
// Ported to Java from compute_float() and compute_product_approximation() in fast_float's
// include/fast_float/decimal_to_binary.h and from its script/table_generation.py
// (https://github.com/fastfloat/fast_float), which may be used under the Apache License 2.0, the MIT
// license or the Boost license. Changed: the table is computed when the class loads instead of being
// printed as source; the 64x64-bit products use Math.multiplyHigh; the result is the bits of a double,
// or CANNOT_DECIDE where the 2021 paper's version bails out.

package dev.ringflow.engine.stage;

import java.math.BigInteger;

/**
 * The Eisel-Lemire algorithm (Daniel Lemire, "Number Parsing at a Gigabyte per Second", 2021): the double nearest
 * to {@code w * 10^q}, ties to even, for any 64-bit {@code w}, from one (rarely two) 64x64-bit products with a
 * 128-bit truncated power of five.
 * <p>
 * <b>Note:</b> Allocation free and thread-safe: static methods over a read-only table, built with
 * {@link BigInteger} once, when the class loads (651 entries, 10 KB).
 */
final class EiselLemire
{
    /** Returned when the 128-bit product cannot decide the rounding; never the bits of a non-negative double. */
    static final long CANNOT_DECIDE = -1L;

    static final long INFINITY_BITS = 0x7FF0_0000_0000_0000L;

    /** Below this, w * 10^q < (2^64) * 10^-343 is under half the smallest subnormal: zero. */
    private static final int SMALLEST_POWER_OF_TEN = -342;
    /** Above this, w * 10^q >= 10^309 overflows: infinity. */
    private static final int LARGEST_POWER_OF_TEN = 308;

    private static final int MANTISSA_BITS = 52;
    private static final int MINIMUM_EXPONENT = -1023;
    private static final int INFINITE_POWER = 0x7FF;
    /**
     * A tie w * 10^q = odd * 2^k, with odd a 54-bit midpoint mantissa, needs 5^q <= odd (q <= 23), or for q < 0
     * 5^-q to divide w with w / 5^-q >= 2^53 (q >= -4).
     */
    private static final int MIN_EXPONENT_ROUND_TO_EVEN = -4;
    private static final int MAX_EXPONENT_ROUND_TO_EVEN = 23;
    /** Where the 2021 paper proves the 128-bit product decides: 5^q < 2^128 for q <= 55, 5^-q < 2^64 for q >= -27. */
    private static final int MIN_SAFE_EXPONENT = -27;
    private static final int MAX_SAFE_EXPONENT = 55;

    /** The bits below the 55 the result needs (52 stored, the implicit one, a rounding bit, a normalising bit). */
    private static final long PRECISION_MASK = -1L >>> (MANTISSA_BITS + 3);

    /** For q in [-342, 308], [2(q + 342)] is the high and [2(q + 342) + 1] the low word of 5^q to 128 bits. */
    private static final long[] POWERS_OF_FIVE = new long[2 * (LARGEST_POWER_OF_TEN - SMALLEST_POWER_OF_TEN + 1)];

    static
    {
        final BigInteger five = BigInteger.valueOf(5);
        BigInteger power = BigInteger.ONE;
        for (int k = 0; k <= -SMALLEST_POWER_OF_TEN; k++)
        {
            if (k <= LARGEST_POWER_OF_TEN)
            {
                store(k, power);
            }
            if (k > 0)
            {
                // 2^b / 5^k rounded up (5^k never divides 2^b), with fast_float's b: z + 127 gives exactly 128 bits
                // for k <= 27; beyond that 2z + 128 gives about z + 128 bits, truncated by store.
                final int z = power.bitLength();
                final int b = k <= -MIN_SAFE_EXPONENT ? z + 127 : 2 * z + 128;
                store(-k, BigInteger.ONE.shiftLeft(b).divide(power).add(BigInteger.ONE));
            }
            power = power.multiply(five);
        }
    }

    private static void store(final int q, final BigInteger scaled)
    {
        // shiftRight by a negative distance shifts left: small powers are padded to 128 bits.
        final BigInteger truncated = scaled.shiftRight(scaled.bitLength() - 128);
        final int index = 2 * (q - SMALLEST_POWER_OF_TEN);
        POWERS_OF_FIVE[index] = truncated.shiftRight(64).longValue();
        POWERS_OF_FIVE[index + 1] = truncated.longValue();
        if (POWERS_OF_FIVE[index] >= 0)
        {
            throw new IllegalStateException("5^" + q + " is not normalised: " + truncated.toString(16));
        }
    }

    private EiselLemire()
    {
    }

    /**
     * @param significand w, read as unsigned: any 64-bit value.
     * @param exponent10 q, any int.
     * @return the bits of the double nearest to {@code w * 10^q} (ties to even): {@code 0} when it underflows,
     * {@link #INFINITY_BITS} when it overflows; or {@link #CANNOT_DECIDE}.
     */
    static long toDoubleBits(final long significand, final int exponent10)
    {
        if (significand == 0 || exponent10 < SMALLEST_POWER_OF_TEN)
        {
            return 0;
        }
        if (exponent10 > LARGEST_POWER_OF_TEN)
        {
            return INFINITY_BITS;
        }
        final int leadingZeros = Long.numberOfLeadingZeros(significand);
        final long w = significand << leadingZeros;
        final int index = 2 * (exponent10 - SMALLEST_POWER_OF_TEN);
        final long powerHigh = POWERS_OF_FIVE[index];
        long productHigh = unsignedMultiplyHigh(w, powerHigh);
        long productLow = w * powerHigh;
        if ((productHigh & PRECISION_MASK) == PRECISION_MASK)
        {
            // The truncated 64x64 product may be one short in the bits we keep: add the low word's contribution.
            final long secondHigh = unsignedMultiplyHigh(w, POWERS_OF_FIVE[index + 1]);
            productLow += secondHigh;
            if (Long.compareUnsigned(secondHigh, productLow) > 0)
            {
                productHigh++;
            }
        }
        // The 2021 paper falls back here; Mushtak and Lemire (2023, "Fast number parsing without fallback") prove
        // the product always suffices. Kept as a guard: a compare, and AsciiNumbersTest counts that it never fires.
        if (productLow == -1L && (exponent10 < MIN_SAFE_EXPONENT || exponent10 > MAX_SAFE_EXPONENT))
        {
            return CANNOT_DECIDE;
        }

        final int upperBit = (int)(productHigh >>> 63);
        final int shift = upperBit + 64 - MANTISSA_BITS - 3;
        long mantissa = productHigh >>> shift;
        // power(q) = floor(q * log2(10)) + 63, exact for |q| < 350.
        int power2 = (((152170 + 65536) * exponent10) >> 16) + 63 + upperBit - leadingZeros - MINIMUM_EXPONENT;
        if (power2 <= 0)
        {
            if (-power2 + 1 >= 64)
            {
                return 0;
            }
            // Subnormal: ties cannot happen this far from q = 0, so round half up.
            mantissa >>>= -power2 + 1;
            mantissa += mantissa & 1;
            mantissa >>>= 1;
            // Exponent field 0; rounding up to 1 << 52 carries into it, giving the smallest normal's bits.
            return mantissa;
        }
        if ((productLow == 0 || productLow == 1) && exponent10 >= MIN_EXPONENT_ROUND_TO_EVEN &&
            exponent10 <= MAX_EXPONENT_ROUND_TO_EVEN && (mantissa & 3) == 1 && (mantissa << shift) == productHigh)
        {
            // Exactly halfway and the kept mantissa is even: clear the rounding bit so that it rounds down.
            mantissa &= ~1L;
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >= (2L << MANTISSA_BITS))
        {
            mantissa = 1L << MANTISSA_BITS;
            power2++;
        }
        mantissa &= ~(1L << MANTISSA_BITS);
        if (power2 >= INFINITE_POWER)
        {
            return INFINITY_BITS;
        }
        return ((long)power2 << MANTISSA_BITS) | mantissa;
    }

    /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh arrives in JDK 18). */
    private static long unsignedMultiplyHigh(final long x, final long y)
    {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }
}
