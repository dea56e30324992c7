package dev.ringflow.engine.stage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link CharSequence} over UTF-8 bytes, reused for every string a function reads: ASCII text is read in place,
 * other text is decoded once into a reusable char buffer (malformed bytes become U+FFFD).
 * <p>
 * <b>Note:</b> Worker thread only. Allocation free once the char buffer has grown to the longest non-ASCII text;
 * {@link #toString} and {@link #subSequence} allocate, as their callers expect.
 */
final class Utf8View implements CharSequence
{
    private byte[] bytes = new byte[0];
    private int offset;
    private int length;
    private boolean ascii = true;
    private char[] chars = new char[16];
    private int charLength;

    /** Views {@code length} bytes of {@code src} from {@code offset}; the bytes must not change while viewed. */
    Utf8View wrap(final byte[] src, final int offset, final int length)
    {
        this.bytes = src;
        this.offset = offset;
        this.length = length;
        ascii = true;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            if (src[i] < 0)
            {
                ascii = false;
                decode();
                break;
            }
        }
        return this;
    }

    private void decode()
    {
        if (chars.length < length)
        {
            chars = new char[Math.max(length, chars.length << 1)];
        }
        final byte[] src = bytes;
        int n = 0;
        int i = offset;
        final int end = offset + length;
        while (i < end)
        {
            final int b = src[i] & 0xFF;
            final int size = b < 0x80 ? 1 : b >= 0xF0 && b < 0xF8 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
            if (size == 0 || i + size > end || !continuations(src, i + 1, i + size))
            {
                chars[n++] = '\uFFFD';
                i++;
                continue;
            }
            int codePoint = size == 1 ? b : b & (0xFF >> (size + 1));
            for (int k = 1; k < size; k++)
            {
                codePoint = codePoint << 6 | src[i + k] & 0x3F;
            }
            if (codePoint >= Character.MIN_SUPPLEMENTARY_CODE_POINT && codePoint <= Character.MAX_CODE_POINT)
            {
                chars[n++] = Character.highSurrogate(codePoint);
                chars[n++] = Character.lowSurrogate(codePoint);
            }
            else
            {
                chars[n++] = codePoint > Character.MAX_CODE_POINT ? '\uFFFD' : (char)codePoint;
            }
            i += size;
        }
        charLength = n;
    }

    private static boolean continuations(final byte[] src, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if ((src[i] & 0xC0) != 0x80)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public int length()
    {
        return ascii ? length : charLength;
    }

    @Override
    public char charAt(final int index)
    {
        if (index < 0 || index >= length())
        {
            throw new IndexOutOfBoundsException("index " + index + " of a string of length " + length());
        }
        return ascii ? (char)bytes[offset + index] : chars[index];
    }

    @Override
    public CharSequence subSequence(final int start, final int end)
    {
        return toString().substring(start, end);
    }

    @Override
    public String toString()
    {
        return ascii ? new String(bytes, offset, length, StandardCharsets.US_ASCII) : new String(chars, 0, charLength);
    }

    /** Encodes {@code text} as UTF-8 into {@code out} (grown if needed; unpaired surrogates become '?'). */
    static byte[] encode(final CharSequence text, final byte[] out, final int[] encodedLength)
    {
        final int chars = text.length();
        byte[] dst = out.length >= chars * 3 ? out : Arrays.copyOf(out, chars * 3);
        int n = 0;
        for (int i = 0; i < chars; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                dst[n++] = (byte)c;
            }
            else if (c < 0x800)
            {
                dst[n++] = (byte)(0xC0 | c >> 6);
                dst[n++] = (byte)(0x80 | c & 0x3F);
            }
            else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                final int codePoint = Character.toCodePoint(c, text.charAt(++i));
                dst[n++] = (byte)(0xF0 | codePoint >> 18);
                dst[n++] = (byte)(0x80 | codePoint >> 12 & 0x3F);
                dst[n++] = (byte)(0x80 | codePoint >> 6 & 0x3F);
                dst[n++] = (byte)(0x80 | codePoint & 0x3F);
            }
            else if (Character.isSurrogate(c))
            {
                dst[n++] = '?';
            }
            else
            {
                dst[n++] = (byte)(0xE0 | c >> 12);
                dst[n++] = (byte)(0x80 | c >> 6 & 0x3F);
                dst[n++] = (byte)(0x80 | c & 0x3F);
            }
        }
        encodedLength[0] = n;
        return dst;
    }
}
