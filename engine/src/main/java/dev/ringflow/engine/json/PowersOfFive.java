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
// Ported to Java from Ryu's ryu/d2s_full_table.h and its generator,
// src/main/java/info/adams/ryu/analysis/PrintDoubleLookupTable.java
// (https://github.com/ulfjack/ryu). Changed: the table is computed when the class loads instead of
// being printed as source, and each entry is two longs in one flat array.

package dev.ringflow.engine.json;

import java.math.BigInteger;

/**
 * The 125-bit approximations of 5<sup>i</sup> and 2<sup>k</sup>/5<sup>i</sup> that {@link ShortestDecimal}
 * multiplies by, each stored as two 64-bit words: {@code [2i]} the low word (unsigned), {@code [2i + 1]} the high.
 * <p>
 * <b>Note:</b> Computed once, with {@link BigInteger}, when the class loads; read-only after that.
 */
final class PowersOfFive
{
    /** Bits kept of 5^i; at least 64 more than a float needs, as in Ryu. */
    static final int POW5_BITCOUNT = 125;
    /** Bits kept of 2^k / 5^i. */
    static final int POW5_INV_BITCOUNT = 125;

    /** Covers i = -e2 - q for every binary exponent e2 < 0 of a double (i <= 325). */
    static final int POW5_TABLE_SIZE = 326;
    /** Covers q = log10(2^e2) - 1 for every binary exponent e2 >= 0 of a double (q <= 290), with Ryu's margin. */
    static final int POW5_INV_TABLE_SIZE = 342;

    /** floor(5^i / 2^(bitLength(5^i) - 125)): the top 125 bits of 5^i. */
    static final long[] POW5_SPLIT = new long[2 * POW5_TABLE_SIZE];
    /** floor(2^(bitLength(5^i) - 1 + 125) / 5^i) + 1: 2^k / 5^i rounded up, at most 126 bits. */
    static final long[] POW5_INV_SPLIT = new long[2 * POW5_INV_TABLE_SIZE];

    static
    {
        final BigInteger five = BigInteger.valueOf(5);
        BigInteger pow5 = BigInteger.ONE;
        for (int i = 0; i < POW5_INV_TABLE_SIZE; i++)
        {
            final int pow5Length = pow5.bitLength();
            if (pow5Length != pow5bits(i))
            {
                throw new IllegalStateException("pow5bits(" + i + ") = " + pow5bits(i) + ", not " + pow5Length);
            }
            if (i < POW5_TABLE_SIZE)
            {
                // shiftRight by a negative distance shifts left: small powers are padded to 125 bits.
                store(POW5_SPLIT, i, pow5.shiftRight(pow5Length - POW5_BITCOUNT));
            }
            store(POW5_INV_SPLIT, i,
                BigInteger.ONE.shiftLeft(pow5Length - 1 + POW5_INV_BITCOUNT).divide(pow5).add(BigInteger.ONE));
            pow5 = pow5.multiply(five);
        }
    }

    private PowersOfFive()
    {
    }

    /**
     * The number of bits of 5^e: ceil(log2(5^e)) for e >= 1, and 1 for e = 0. Exact for 0 <= e <= 3528.
     */
    static int pow5bits(final int e)
    {
        return ((e * 1217359) >>> 19) + 1;
    }

    private static void store(final long[] table, final int i, final BigInteger value)
    {
        if (value.bitLength() > 126)
        {
            throw new IllegalStateException("entry " + i + " has " + value.bitLength() + " bits");
        }
        table[2 * i] = value.longValue();
        table[2 * i + 1] = value.shiftRight(64).longValueExact();
    }
}
