package dev.ringflow.engine.expr;

/**
 * Decoding and encoding of single UTF-8 sequences, for code-point-wise string functions.
 * <p>
 * <b>Note:</b> Stateless and allocation free.
 */
final class Utf8
{
    private Utf8()
    {
    }

    /**
     * @return the length (2 to 4) of the well-formed multi-byte sequence at {@code index}, or 0 if the bytes there
     * are not one (a stray continuation byte, a truncated or overlong sequence, a surrogate, beyond U+10FFFF).
     */
    static int sequenceLength(final byte[] bytes, final int index, final int end)
    {
        final int lead = bytes[index] & 0xFF;
        final int length;
        final int min;
        if (lead >= 0xC2 && lead <= 0xDF)
        {
            length = 2;
            min = 0x80;
        }
        else if (lead >= 0xE0 && lead <= 0xEF)
        {
            length = 3;
            min = 0x800;
        }
        else if (lead >= 0xF0 && lead <= 0xF4)
        {
            length = 4;
            min = 0x10000;
        }
        else
        {
            return 0;
        }
        if (index + length > end)
        {
            return 0;
        }
        for (int i = 1; i < length; i++)
        {
            if ((bytes[index + i] & 0xC0) != 0x80)
            {
                return 0;
            }
        }
        final int codePoint = decode(bytes, index, length);
        final boolean surrogate = codePoint >= 0xD800 && codePoint <= 0xDFFF;
        return codePoint < min || codePoint > Character.MAX_CODE_POINT || surrogate ? 0 : length;
    }

    /**
     * @param length a length {@link #sequenceLength} returned for this index.
     */
    static int decode(final byte[] bytes, final int index, final int length)
    {
        int codePoint = bytes[index] & (0xFF >> (length + 1));
        for (int i = 1; i < length; i++)
        {
            codePoint = (codePoint << 6) | (bytes[index + i] & 0x3F);
        }
        return codePoint;
    }

    /**
     * @return the index after the code point's bytes, written at {@code index}.
     */
    static int encode(final int codePoint, final byte[] out, final int index)
    {
        int o = index;
        if (codePoint < 0x80)
        {
            out[o++] = (byte)codePoint;
        }
        else if (codePoint < 0x800)
        {
            out[o++] = (byte)(0xC0 | (codePoint >> 6));
            out[o++] = (byte)(0x80 | (codePoint & 0x3F));
        }
        else if (codePoint < 0x10000)
        {
            out[o++] = (byte)(0xE0 | (codePoint >> 12));
            out[o++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
            out[o++] = (byte)(0x80 | (codePoint & 0x3F));
        }
        else
        {
            out[o++] = (byte)(0xF0 | (codePoint >> 18));
            out[o++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
            out[o++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
            out[o++] = (byte)(0x80 | (codePoint & 0x3F));
        }
        return o;
    }
}
