package dev.ringflow.models.learn;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a learner's current model in Ringflow's linear model format, which the linear evaluator loads:
 * <pre>
 *   {"format":"ringflow-linear","version":1,"link":"logistic","bias":-1.5,
 *    "features":["amount","age"],"weights":[0.25,-0.125]}
 * </pre>
 * Numbers are written as {@link Double#toString} writes them, which read back to the same bits. A weight is
 * finite whenever the learner was fed finite features.
 * <p>
 * <b>Note:</b> Off the hot path: allocates. Call it on the learner's owner thread, or on a restored copy.
 */
public final class LinearModelExport
{
    /** The value of {@code "format"}. */
    public static final String FORMAT = "ringflow-linear";
    /** The value of {@code "version"}. */
    public static final int VERSION = 1;

    private static final JsonFactory JSON = new JsonFactory();

    private LinearModelExport()
    {
    }

    /**
     * The model of the key (any key for a per-pipeline learner) as a JSON document.
     *
     * @param featureNames the name of each feature, in the learner's feature order.
     * @throws IllegalArgumentException when there is not one name per feature.
     */
    public static String toJson(final LogisticSgdLearner learner, final int keyId, final List<String> featureNames)
    {
        if (featureNames.size() != learner.features())
        {
            throw new IllegalArgumentException("the learner has " + learner.features() + " features, " +
                featureNames.size() + " names were given");
        }
        final StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text))
        {
            json.writeStartObject();
            json.writeStringField("format", FORMAT);
            json.writeNumberField("version", VERSION);
            json.writeStringField("link", "logistic");
            json.writeNumberField("bias", learner.bias(keyId));
            json.writeArrayFieldStart("features");
            for (final String name : featureNames)
            {
                json.writeString(name);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("weights");
            for (int j = 0; j < learner.features(); j++)
            {
                json.writeNumber(learner.weight(keyId, j));
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("writing JSON to a string cannot fail", ex);
        }
        return text.toString();
    }
}
