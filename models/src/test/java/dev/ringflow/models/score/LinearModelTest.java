package dev.ringflow.models.score;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LinearModelTest
{
    @Test
    void shouldScoreEveryHeldOutRowAsScikitLearnDidWithinOneMillionth() throws ModelException
    {
        final Model model = TestModels.load("linear-logistic.json");
        final double[] expected = TestModels.predictions("linear-logistic");
        final double[][] rows = TestModels.rows("holdout.csv");
        assertThat(model.kind()).isEqualTo(ModelKind.RINGFLOW_LINEAR);
        assertThat(model.version()).isEqualTo("fraud-lr-1");
        assertThat(model.featureNames()).isEqualTo(TestModels.header("holdout.csv"));
        // The file declares no missing-value policy: a row with a NaN has no score, as the reference says (empty).
        assertThat(model.handlesMissing()).isFalse();

        OracleCheck.compare("linear-logistic", model, rows, expected, 1e-6);
    }

    @Test
    void shouldScoreEveryHeldOutRowAsTheFormulaReadStraightFromTheFileSays() throws Exception
    {
        final Model model = TestModels.load("linear-logistic.json");
        final NaiveLinear naive = NaiveLinear.read(TestModels.bytes("linear-logistic.json"));
        final double[][] rows = TestModels.rows("holdout.csv");
        final double[] expected = new double[rows.length];
        for (int r = 0; r < rows.length; r++)
        {
            expected[r] = naive.score(rows[r]);
        }

        OracleCheck.compare("linear-logistic (naive formula)", model, rows, expected, 1e-15);
    }

    @Test
    void shouldCountAMissingFeatureAsZeroWhenTheFileSaysSoAndLoadANumericVersion() throws Exception
    {
        final String text = "{\"format\": \"ringflow-linear\", \"version\": 1, \"link\": \"identity\", " +
            "\"bias\": 0.5, \"features\": [\"a\", \"b\"], \"weights\": {\"b\": -2, \"a\": 3}, \"missing\": \"zero\"}";
        final Model model = ModelLoader.load(text.getBytes(StandardCharsets.UTF_8), "m.json", ModelLimits.defaults());

        assertThat(model.version()).isEqualTo("1");
        assertThat(model.handlesMissing()).isTrue();
        assertThat(model.score(new double[] {2, 1})).isEqualTo(0.5 + 6 - 2);
        assertThat(model.score(new double[] {Double.NaN, 1})).isEqualTo(0.5 - 2);
    }

    /** {@code 1 / (1 + e^-(bias + sum w x))}, read from the file with a bare streaming parser: NaN on a NaN input. */
    private record NaiveLinear(double bias, List<Double> weights)
    {
        static NaiveLinear read(final byte[] file) throws IOException
        {
            double bias = 0;
            final List<Double> weights = new ArrayList<>();
            try (JsonParser parser = new JsonFactory().createParser(file))
            {
                for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken())
                {
                    if (t == JsonToken.FIELD_NAME && parser.currentName().equals("bias"))
                    {
                        parser.nextToken();
                        bias = parser.getDoubleValue();
                    }
                    else if (t == JsonToken.FIELD_NAME && parser.currentName().equals("weights"))
                    {
                        parser.nextToken();
                        while (parser.nextToken() != JsonToken.END_ARRAY)
                        {
                            weights.add(parser.getDoubleValue());
                        }
                    }
                }
            }
            return new NaiveLinear(bias, weights);
        }

        double score(final double[] x)
        {
            double z = bias;
            for (int i = 0; i < weights.size(); i++)
            {
                z += weights.get(i) * x[i];
            }
            return 1 / (1 + Math.exp(-z));
        }
    }
}
