package dev.ringflow.models.score;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A plug-in format for the tests of {@link ModelLoader}'s plug-in point: a file {@code "constant-model <value>"}
 * scores every row as the value.
 */
public final class ConstantTestFormat implements ModelFormat
{
    static final String MAGIC = "constant-model ";

    @Override
    public String name()
    {
        return "constant";
    }

    @Override
    public boolean recognises(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.US_ASCII).startsWith(MAGIC);
    }

    @Override
    public Model load(final byte[] bytes, final String sourceName, final ModelLimits limits) throws ModelException
    {
        final String value = new String(bytes, StandardCharsets.US_ASCII).substring(MAGIC.length()).trim();
        try
        {
            final double constant = Double.parseDouble(value);
            return new LoadedModel(ModelKind.RINGFLOW_LINEAR, sourceName, ModelLoader.contentHash(bytes), List.of("x"),
                false)
            {
                @Override
                public boolean handlesMissing()
                {
                    return true;
                }

                @Override
                public double score(final double[] features)
                {
                    return constant;
                }
            };
        }
        catch (final NumberFormatException ex)
        {
            throw new ModelException(sourceName + ": not a number: '" + value + "'");
        }
    }
}
