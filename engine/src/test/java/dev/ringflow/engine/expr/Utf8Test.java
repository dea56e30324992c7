package dev.ringflow.engine.expr;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test
{
    @Test
    void shouldDecodeAndEncodeEveryCodePointLikeTheJdk()
    {
        final byte[] out = new byte[4];
        int wrong = 0;
        for (int codePoint = 0x80; codePoint <= Character.MAX_CODE_POINT; codePoint++)
        {
            if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)
            {
                continue;
            }
            final byte[] expected = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
            final boolean right = Utf8.sequenceLength(expected, 0, expected.length) == expected.length &&
                Utf8.decode(expected, 0, expected.length) == codePoint &&
                Utf8.encode(codePoint, out, 0) == expected.length &&
                Arrays.equals(out, 0, expected.length, expected, 0, expected.length);
            wrong += right ? 0 : 1;
        }
        assertThat(wrong).isZero();
    }

    @Test
    void shouldRejectSequencesThatAreNotWellFormed()
    {
        final int[][] malformed = {
            { 0x80 }, { 0xBF }, { 0xC0, 0xAF }, { 0xC1, 0xBF }, { 0xC3 }, { 0xC3, 0x41 }, { 0xE0, 0x80, 0xAF },
            { 0xED, 0xA0, 0x80 }, { 0xE2, 0x82 }, { 0xF0, 0x80, 0x80, 0xAF }, { 0xF4, 0x90, 0x80, 0x80 },
            { 0xF5, 0x80, 0x80, 0x80 }, { 0xFF }
        };
        for (final int[] sequence : malformed)
        {
            final byte[] bytes = bytes(sequence);
            assertThat(Utf8.sequenceLength(bytes, 0, bytes.length)).as(Arrays.toString(sequence)).isZero();
        }
        final byte[] cut = "é".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.sequenceLength(cut, 0, 1)).isZero();
    }

    @Test
    void shouldLowerEveryCodePointByCharacterToLowerCase()
    {
        final StringBuilder all = new StringBuilder();
        final StringBuilder lowered = new StringBuilder();
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++)
        {
            if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE)
            {
                all.appendCodePoint(codePoint);
                lowered.appendCodePoint(Character.toLowerCase(codePoint));
            }
        }

        assertThat(lower(all.toString().getBytes(StandardCharsets.UTF_8)))
            .isEqualTo(lowered.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldCopyBytesThatAreNotUtf8AsTheyAre()
    {
        final byte[] input = bytes(new int[]{ 'A', 0xC3, 'B', 0xFF, 0xE2, 0x82, 0xC3, 0x89, 0xED, 0xA0, 0x80, 0xC3 });

        assertThat(lower(input))
            .isEqualTo(bytes(new int[]{ 'a', 0xC3, 'b', 0xFF, 0xE2, 0x82, 0xC3, 0xA9, 0xED, 0xA0, 0x80, 0xC3 }));
    }

    private static byte[] lower(final byte[] input)
    {
        final StringNodes.Lower lower = new StringNodes.Lower(new FixedString(input));
        lower.evalString(null, new EvalContext());
        return Arrays.copyOfRange(lower.bytes, lower.offset, lower.offset + lower.length);
    }

    private static byte[] bytes(final int[] values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    /**
     * Any bytes, well-formed UTF-8 or not, as a string node's result.
     */
    private static final class FixedString extends StringNode
    {
        FixedString(final byte[] value)
        {
            bytes = value;
            length = value.length;
        }

        @Override
        void evalString(final FieldValues event, final EvalContext context)
        {
        }
    }
}
