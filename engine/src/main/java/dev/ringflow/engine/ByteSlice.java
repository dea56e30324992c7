package dev.ringflow.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array with a length and a null marker, reused for the key and value of a ring slot.
 * <p>
 * <b>Note:</b> Not thread-safe; owned by whichever stage currently holds the slot.
 * <p>
 * <b>Note:</b> Allocation free in steady state: the array only grows, to the largest payload seen.
 */
public final class ByteSlice
{
    private static final int INITIAL_CAPACITY = 64;

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int length;
    private boolean isNull = true;

    public byte[] bytes()
    {
        return bytes;
    }

    public int length()
    {
        return length;
    }

    public boolean isNull()
    {
        return isNull;
    }

    public void setNull()
    {
        isNull = true;
        length = 0;
    }

    /**
     * Copies {@code src}, or marks the slice null when {@code src} is null.
     */
    public void set(final byte[] src)
    {
        if (null == src)
        {
            setNull();
        }
        else
        {
            set(src, 0, src.length);
        }
    }

    public void set(final byte[] src, final int offset, final int length)
    {
        ensureCapacity(length);
        System.arraycopy(src, offset, bytes, 0, length);
        this.length = length;
        this.isNull = false;
    }

    public void set(final ByteSlice other)
    {
        if (other.isNull)
        {
            setNull();
        }
        else
        {
            set(other.bytes, 0, other.length);
        }
    }

    /**
     * Makes the slice {@code length} bytes long (not null) and returns its backing array, for a reader to fill the
     * first {@code length} bytes in place.
     */
    public byte[] resize(final int length)
    {
        ensureCapacity(length);
        this.length = length;
        this.isNull = false;
        return bytes;
    }

    /**
     * Empties the slice (not null) so bytes can be appended.
     */
    public void clear()
    {
        length = 0;
        isNull = false;
    }

    public void append(final byte b)
    {
        ensureCapacity(length + 1);
        bytes[length++] = b;
        isNull = false;
    }

    public void append(final byte[] src, final int offset, final int len)
    {
        ensureCapacity(length + len);
        System.arraycopy(src, offset, bytes, length, len);
        length += len;
        isNull = false;
    }

    public void append(final ByteSlice other)
    {
        append(other.bytes, 0, other.length);
    }

    /**
     * Appends the {@code digits} decimal digits of a non-negative number, most significant first.
     */
    public void appendDigits(final long magnitude, final int digits)
    {
        ensureCapacity(length + digits);
        final byte[] bytes = this.bytes;
        long remaining = magnitude;
        for (int i = length + digits - 1; i >= length; i--)
        {
            final long quotient = remaining / 10;
            bytes[i] = (byte)('0' + (remaining - quotient * 10));
            remaining = quotient;
        }
        length += digits;
        isNull = false;
    }

    /**
     * Appends the ASCII characters of {@code chars}; characters above 0x7F become '?'.
     */
    public void appendAscii(final CharSequence chars)
    {
        final int len = chars.length();
        ensureCapacity(length + len);
        for (int i = 0; i < len; i++)
        {
            final char c = chars.charAt(i);
            bytes[length++] = c < 0x80 ? (byte)c : (byte)'?';
        }
        isNull = false;
    }

    /**
     * Copy of the content, or null when the slice is null. Allocates: for the edges, not the hot path.
     */
    public byte[] toByteArray()
    {
        return isNull ? null : Arrays.copyOf(bytes, length);
    }

    /**
     * The content decoded as UTF-8, or null. Allocates: for logging and tests.
     */
    public String toUtf8String()
    {
        return isNull ? null : new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void ensureCapacity(final int required)
    {
        if (required > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(required, bytes.length << 1));
        }
    }

    @Override
    public String toString()
    {
        return isNull ? "null" : toUtf8String();
    }
}
