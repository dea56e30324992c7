package dev.ringflow.engine.stage;

import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.ByteSlice;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the value from a template in which {@code {value}} and {@code {key}} are replaced; the template is
 * split once into literal byte runs and placeholders.
 */
final class FormatStage implements Stage
{
    private static final int LITERAL = 0;
    private static final int VALUE = 1;
    private static final int KEY = 2;

    private final int[] partKinds;
    private final byte[][] literals;

    FormatStage(final String template)
    {
        final List<Integer> kinds = new ArrayList<>();
        final List<byte[]> texts = new ArrayList<>();
        int from = 0;
        while (from < template.length())
        {
            final int valueAt = template.indexOf("{value}", from);
            final int keyAt = template.indexOf("{key}", from);
            final int next = valueAt < 0 ? keyAt : keyAt < 0 ? valueAt : Math.min(valueAt, keyAt);
            if (next < 0)
            {
                kinds.add(LITERAL);
                texts.add(template.substring(from).getBytes(StandardCharsets.UTF_8));
                break;
            }
            if (next > from)
            {
                kinds.add(LITERAL);
                texts.add(template.substring(from, next).getBytes(StandardCharsets.UTF_8));
            }
            final boolean isValue = next == valueAt;
            kinds.add(isValue ? VALUE : KEY);
            texts.add(null);
            from = next + (isValue ? "{value}".length() : "{key}".length());
        }
        partKinds = kinds.stream().mapToInt(Integer::intValue).toArray();
        literals = texts.toArray(new byte[0][]);
    }

    @Override
    public void onRecord(final RecordBuffer in, final int index, final RecordBuffer out, final OutputList outputs)
    {
        final int added = out.addWithKeyOf(in, index);
        final ByteSlice output = out.value(added);
        output.clear();
        for (int i = 0; i < partKinds.length; i++)
        {
            switch (partKinds[i])
            {
                case VALUE:
                    output.append(in.value(index));
                    break;
                case KEY:
                    output.append(in.key(index));
                    break;
                default:
                    output.append(literals[i], 0, literals[i].length);
            }
        }
    }
}
