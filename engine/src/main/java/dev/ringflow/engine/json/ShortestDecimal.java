// Copyright 2018 Ulf Adams
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
// Ported to Java from d2d() in Ryu's ryu/d2s.c and mulShift64() in ryu/d2s_intrinsics.h
// (https://github.com/ulfjack/ryu), which may be used under the Apache License 2.0. Changed: the
// 64x128-bit product uses Math.multiplyHigh; the digits and exponent go straight to DecimalLayout
// instead of into a struct.

package dev.ringflow.engine.json;

import static dev.ringflow.engine.json.PowersOfFive.POW5_BITCOUNT;
import static dev.ringflow.engine.json.PowersOfFive.POW5_INV_BITCOUNT;
import static dev.ringflow.engine.json.PowersOfFive.POW5_INV_SPLIT;
import static dev.ringflow.engine.json.PowersOfFive.POW5_SPLIT;
import static dev.ringflow.engine.json.PowersOfFive.pow5bits;

/**
 * Ryu (Ulf Adams, PLDI 2018): the shortest decimal that reads back as a given finite, non-zero double, and of those
 * the closest to it, ties to an even last digit.
 * <p>
 * <b>Note:</b> Allocation free and thread-safe: static methods over read-only tables.
 */
final class ShortestDecimal
{
    private static final int MANTISSA_BITS = 52;
    private static final int EXPONENT_BIAS = 1023;

    private ShortestDecimal()
    {
    }

    /**
     * Writes the shortest decimal of the double with these IEEE fields through {@link DecimalLayout#write}.
     *
     * @param ieeeMantissa the 52 stored mantissa bits.
     * @param ieeeExponent the 11 stored exponent bits, not 2047 (and not 0 with a zero mantissa).
     * @return the number of bytes written.
     */
    static int write(
        final boolean negative, final long ieeeMantissa, final int ieeeExponent, final byte[] dst, final int offset)
    {
        // Step 1: value = m2 * 2^(e2 + 2); the 2 extra bits hold the interval's bounds below.
        final int e2;
        final long m2;
        if (ieeeExponent == 0)
        {
            e2 = 1 - EXPONENT_BIAS - MANTISSA_BITS - 2;
            m2 = ieeeMantissa;
        }
        else
        {
            e2 = ieeeExponent - EXPONENT_BIAS - MANTISSA_BITS - 2;
            m2 = (1L << MANTISSA_BITS) | ieeeMantissa;
        }
        // Round half to even when reading: a decimal exactly on a bound reads back as this value iff m2 is even.
        final boolean acceptBounds = (m2 & 1) == 0;

        // Step 2: the interval of decimals that read back as the value is (mm, mp) * 2^e2, mv its centre. At a
        // power of two (mantissa bits zero) the double below is closer, so the lower bound is too.
        final long mv = 4 * m2;
        final int mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1 : 0;

        // Step 3: vr, vp, vm = mv, mp, mm * 2^e2 / 10^e10 in integers of at least 17 digits.
        long vr;
        long vp;
        long vm;
        final int e10;
        boolean vmIsTrailingZeros = false;
        boolean vrIsTrailingZeros = false;
        if (e2 >= 0)
        {
            final int q = log10Pow2(e2) - (e2 > 3 ? 1 : 0);
            e10 = q;
            final int k = POW5_INV_BITCOUNT + pow5bits(q) - 1;
            final int i = -e2 + q + k;
            final long multiplierLow = POW5_INV_SPLIT[2 * q];
            final long multiplierHigh = POW5_INV_SPLIT[2 * q + 1];
            vr = mulShift64(mv, multiplierLow, multiplierHigh, i);
            vp = mulShift64(mv + 2, multiplierLow, multiplierHigh, i);
            vm = mulShift64(mv - 1 - mmShift, multiplierLow, multiplierHigh, i);
            if (q <= 21)
            {
                // Only one of mp, mv and mm can be a multiple of 5, if any.
                if (mv % 5 == 0)
                {
                    vrIsTrailingZeros = multipleOfPowerOf5(mv, q);
                }
                else if (acceptBounds)
                {
                    vmIsTrailingZeros = multipleOfPowerOf5(mv - 1 - mmShift, q);
                }
                else if (multipleOfPowerOf5(mv + 2, q))
                {
                    vp--;
                }
            }
        }
        else
        {
            final int q = log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
            e10 = q + e2;
            final int i = -e2 - q;
            final int k = pow5bits(i) - POW5_BITCOUNT;
            final int j = q - k;
            final long multiplierLow = POW5_SPLIT[2 * i];
            final long multiplierHigh = POW5_SPLIT[2 * i + 1];
            vr = mulShift64(mv, multiplierLow, multiplierHigh, j);
            vp = mulShift64(mv + 2, multiplierLow, multiplierHigh, j);
            vm = mulShift64(mv - 1 - mmShift, multiplierLow, multiplierHigh, j);
            if (q <= 1)
            {
                // mv = 4 * m2 has at least two trailing zero bits; mm has one iff mmShift is 1.
                vrIsTrailingZeros = true;
                if (acceptBounds)
                {
                    vmIsTrailingZeros = mmShift == 1;
                }
                else
                {
                    vp--;
                }
            }
            else if (q < 63)
            {
                // The exact product has q trailing decimal zeros iff mv has q trailing zero bits (-e2 >= q).
                vrIsTrailingZeros = (mv & ((1L << q) - 1)) == 0;
            }
        }

        // Step 4: drop digits while the interval still holds a shorter decimal, then round vr on the last dropped.
        int removed = 0;
        final long output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            // The rare general case (~0.7%): a bound or the value itself is exact in decimal.
            int lastRemovedDigit = 0;
            // Ryu's two loops in one: digits go while the interval holds a shorter decimal, then, with the lower
            // bound exact, while it ends in 0. Once the first condition fails (vp >= vm, so vp / 10 == vm / 10),
            // vp and vm are equal after the next division and it never holds again; and in the second phase
            // vm % 10 == 0, so vmIsTrailingZeros stays as it was.
            while (vp / 10 > vm / 10 || (vmIsTrailingZeros && vm % 10 == 0))
            {
                vmIsTrailingZeros &= vm % 10 == 0;
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = (int)(vr % 10);
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0)
            {
                // The exact value is ...50000: a tie, rounded to the even digit.
                lastRemovedDigit = 4;
            }
            // vr + 1 when vr is outside the interval or the dropped digits round up.
            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1 : 0);
        }
        else
        {
            // The common case: neither bound is exact, so no tie and no bound to include. Digits go in blocks of
            // 8, then at most one block each of 4, 2 and 1: "the interval still holds a shorter decimal" only turns
            // false as more digits go, so these greedy blocks drop exactly as many as Ryu's loop does one by one,
            // with far fewer divisions for short decimals (a price's 1234.56 drops 11 of 17 digits). The rounding
            // looks at the last digit dropped, the top one of the last block.
            boolean roundUp = false;
            while (vp / 100_000_000 > vm / 100_000_000)
            {
                final long quotient = vr / 100_000_000;
                roundUp = vr - 100_000_000 * quotient >= 50_000_000;
                vr = quotient;
                vp /= 100_000_000;
                vm /= 100_000_000;
                removed += 8;
            }
            if (vp / 10_000 > vm / 10_000)
            {
                final long quotient = vr / 10_000;
                roundUp = vr - 10_000 * quotient >= 5_000;
                vr = quotient;
                vp /= 10_000;
                vm /= 10_000;
                removed += 4;
            }
            if (vp / 100 > vm / 100)
            {
                final long quotient = vr / 100;
                roundUp = vr - 100 * quotient >= 50;
                vr = quotient;
                vp /= 100;
                vm /= 100;
                removed += 2;
            }
            if (vp / 10 > vm / 10)
            {
                final long quotient = vr / 10;
                roundUp = vr - 10 * quotient >= 5;
                vr = quotient;
                vp /= 10;
                vm /= 10;
                removed++;
            }
            output = vr + (vr == vm || roundUp ? 1 : 0);
        }

        return DecimalLayout.write(negative, output, e10 + removed, dst, offset);
    }

    /**
     * The top bits of m * multiplier / 2^j, multiplier = multiplierHigh * 2^64 + multiplierLow.
     * <p>
     * m has at most 55 bits and the multiplier at most 126, and j >= 115, so the quotient fits in 64 bits and only
     * the top 128 bits of the 181-bit product matter.
     */
    static long mulShift64(final long m, final long multiplierLow, final long multiplierHigh, final int j)
    {
        // multiplyHigh is signed: m and multiplierHigh are non-negative, multiplierLow may have its top bit set.
        final long high0 = Math.multiplyHigh(m, multiplierLow) + ((multiplierLow >> 63) & m);
        final long low1 = m * multiplierHigh;
        long high1 = Math.multiplyHigh(m, multiplierHigh);
        final long sum = high0 + low1;
        if (Long.compareUnsigned(sum, high0) < 0)
        {
            high1++;
        }
        // 0 < shift < 64 for every double (Ryu's shiftright128 asserts it).
        final int shift = j - 64;
        return (high1 << (64 - shift)) | (sum >>> shift);
    }

    /** floor(log10(2^e)) for 0 <= e <= 1650. */
    private static int log10Pow2(final int e)
    {
        return (e * 78913) >>> 18;
    }

    /** floor(log10(5^e)) for 0 <= e <= 2620. */
    private static int log10Pow5(final int e)
    {
        return (e * 732923) >>> 20;
    }

    private static boolean multipleOfPowerOf5(final long value, final int p)
    {
        long v = value;
        int count = 0;
        while (v % 5 == 0 && count < p)
        {
            v /= 5;
            count++;
        }
        return count >= p;
    }
}
