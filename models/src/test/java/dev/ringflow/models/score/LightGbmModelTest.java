package dev.ringflow.models.score;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LightGbmModelTest
{
    @ParameterizedTest
    @ValueSource(strings = {"lgbm-binary", "lgbm-regression"})
    void shouldScoreEveryHeldOutRowAsLightGbmDoesWithinOneMillionth(final String name) throws ModelException
    {
        final Model model = TestModels.load(name + ".txt");
        final double[][] rows = TestModels.rows("holdout.csv");
        final double[] expected = TestModels.predictions(name);
        assertThat(rows.length).isEqualTo(expected.length);
        assertThat(model.kind()).isEqualTo(ModelKind.LIGHTGBM_TEXT);
        assertThat(model.featureNames()).isEqualTo(TestModels.header("holdout.csv"));
        assertThat(model.declaresFeatureNames()).isTrue();
        assertThat(model.handlesMissing()).isTrue();

        // LightGBM sums in double too, but its sigmoid goes through std::exp: a few ulps apart at most.
        OracleCheck.compare(name, model, rows, expected, 1e-12);
    }
}
