package dev.ringflow.models.score;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Ringflow's linear model format (docs/models.md):
 * <pre>
 * {"format": "ringflow-linear", "version": "fraud-v3", "link": "logistic", "bias": -2.1,
 *  "features": ["amount", "amt_5_mean"], "weights": [0.8, -0.3], "missing": "none"}
 * </pre>
 * {@code weights} may also be an object by feature name. Unknown keys are refused, so a misspelt {@code "mising"}
 * fails at load instead of changing scores.
 * <p>
 * <b>Note:</b> load time only.
 */
final class LinearJsonReader
{
    static final String FORMAT = "ringflow-linear";
    private static final Set<String> KEYS = Set.of("format", "version", "link", "bias", "features", "weights", "missing");

    private final JsonDocument json;

    LinearJsonReader(final JsonDocument json)
    {
        this.json = json;
    }

    LinearModel read(final Map<String, Object> root, final String contentHash) throws ModelException
    {
        final String source = json.source();
        for (final String key : root.keySet())
        {
            if (!KEYS.contains(key))
            {
                throw new ModelException(source + ": unknown key '" + key + "' in a " + FORMAT + " file; known: " +
                    "format, version, link, bias, features, weights, missing");
            }
        }
        // A string ("fraud-v3") or a number (the online learner's export writes 1).
        final Object declared = root.get("version");
        final String version = declared == null ? contentHash : declared instanceof JsonDocument.Number ?
            ((JsonDocument.Number)declared).text() : json.string(declared, "$.version");
        if (version.isBlank())
        {
            throw new ModelException(source + ": $.version is blank");
        }
        final String link = json.string(json.field(root, "link", "$"), "$.link");
        if (!link.equals("identity") && !link.equals("logistic"))
        {
            throw new ModelException(source + ": $.link is '" + link + "'; expected 'identity' or 'logistic'");
        }
        final String missing = root.containsKey("missing") ? json.string(root.get("missing"), "$.missing") : "none";
        if (!missing.equals("none") && !missing.equals("zero"))
        {
            throw new ModelException(source + ": $.missing is '" + missing + "'; expected 'none' (a missing feature " +
                "gives no score) or 'zero' (a missing feature counts as 0)");
        }
        final double bias = json.finiteDouble(json.field(root, "bias", "$"), "$.bias");
        final List<Object> featureList = json.array(json.field(root, "features", "$"), "$.features");
        if (featureList.isEmpty())
        {
            throw new ModelException(source + ": $.features is empty");
        }
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < featureList.size(); i++)
        {
            final String name = json.string(featureList.get(i), "$.features[" + i + "]");
            if (names.contains(name))
            {
                throw new ModelException(source + ": feature '" + name + "' appears twice in $.features");
            }
            names.add(name);
        }
        final double[] weights = new double[names.size()];
        final Object weightValue = json.field(root, "weights", "$");
        if (weightValue instanceof Map)
        {
            final Map<String, Object> byName = json.object(weightValue, "$.weights");
            for (final String key : byName.keySet())
            {
                if (!names.contains(key))
                {
                    throw new ModelException(source + ": $.weights has '" + key + "', which $.features does not list");
                }
            }
            for (int i = 0; i < weights.length; i++)
            {
                weights[i] = json.finiteDouble(json.field(byName, names.get(i), "$.weights"),
                    "$.weights." + names.get(i));
            }
        }
        else
        {
            final List<Object> list = json.array(weightValue, "$.weights");
            if (list.size() != names.size())
            {
                throw new ModelException(source + ": $.weights has " + list.size() + " weights but $.features has " +
                    names.size() + " features");
            }
            for (int i = 0; i < weights.length; i++)
            {
                weights[i] = json.finiteDouble(list.get(i), "$.weights[" + i + "]");
            }
        }
        return new LinearModel(source, version, names, weights, bias, link.equals("logistic"), missing.equals("zero"));
    }
}
