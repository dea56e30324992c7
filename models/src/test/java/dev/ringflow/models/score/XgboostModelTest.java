package dev.ringflow.models.score;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class XgboostModelTest
{
    private static final List<String> FEATURES = TestModels.header("holdout.csv");

    @ParameterizedTest
    @ValueSource(strings = {"xgb17-binary-logistic", "xgb17-reg-squarederror", "xgb17-reg-logistic",
        "xgb34-binary-logistic", "xgb34-reg-squarederror"})
    void shouldScoreEveryHeldOutRowBitForBitAsXgboostDoes(final String name) throws ModelException
    {
        final Model model = TestModels.load(name + ".json");
        final double[][] rows = TestModels.rows("holdout.csv");
        final double[] expected = TestModels.predictions(name);
        assertThat(rows.length).isEqualTo(expected.length);
        assertThat(model.kind()).isEqualTo(ModelKind.XGBOOST_JSON);
        assertThat(model.featureCount()).isEqualTo(FEATURES.size());
        assertThat(model.handlesMissing()).isTrue();

        final int differing = OracleCheck.compare(name, model, rows, expected, 0.0);
        assertThat(differing).as("rows not bit-exact").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"xgb17-binary-logistic", "xgb17-reg-logistic"})
    void shouldReadTheFeatureNamesTheFileDeclares(final String name) throws ModelException
    {
        final Model model = TestModels.load(name + ".json");

        if (name.equals("xgb17-binary-logistic"))
        {
            assertThat(model.declaresFeatureNames()).isTrue();
            assertThat(model.featureNames()).isEqualTo(FEATURES);
        }
        else
        {
            // Trained on a DMatrix without names: the inputs are positional.
            assertThat(model.declaresFeatureNames()).isFalse();
            assertThat(model.featureNames()).containsExactly("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xgb17-binary-logistic", "xgb17-reg-squarederror", "xgb17-reg-logistic",
        "xgb34-reg-squarederror"})
    void shouldScoreTheSameThroughTheLinkedLayoutAsThroughTheCompleteOne(final String name) throws ModelException
    {
        // The loader picks the complete layout for these shallow trees; the linked one serves deeper models and
        // must agree with it on every row, missing values and threshold ties included.
        final XgboostModel model = (XgboostModel)TestModels.load(name + ".json");
        final JsonDocument json = new JsonDocument(name);
        final XgboostModel linked = new XgboostJsonReader(json, ModelLimits.defaults())
            .read(json.object(json.parse(TestModels.bytes(name + ".json")), "$"), "v", LinkedFloatTrees::new);
        assertThat(model.layout()).isInstanceOf(CompleteFloatTrees.class);
        assertThat(linked.layout()).isInstanceOf(LinkedFloatTrees.class);
        for (final double[] row : TestModels.rows("holdout.csv"))
        {
            assertThat(linked.score(row)).isEqualTo(model.score(row));
        }
    }
}
