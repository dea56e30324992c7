package dev.ringflow.models.score;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelLoaderTest
{
    /** One XGBoost tree: x0 < 0.5 (or missing) gives -1, else 1; the placeholders are varied by the tests. */
    private static final String XGBOOST = "{\"learner\": {\"feature_names\": [\"a\", \"b\"], " +
        "\"gradient_booster\": {\"name\": \"gbtree\", \"model\": {\"trees\": [{" +
        "\"left_children\": [LEFT], \"right_children\": [RIGHT], \"split_indices\": [FEATURE, 0, 0], " +
        "\"split_conditions\": [0.5, -1.0, LEAF], \"default_left\": [1, 0, 0]}]}}, " +
        "\"learner_model_param\": {\"base_score\": \"5E-1\", \"num_class\": \"CLASSES\", \"num_feature\": \"2\"}, " +
        "\"objective\": {\"name\": \"OBJECTIVE\"}}, \"version\": [VERSION]}";
    /** One LightGBM tree: a <= 0.5 (or NaN) gives -1, else 1. */
    private static final String LIGHTGBM = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\n" +
        "max_feature_idx=1\nobjective=OBJECTIVE\nfeature_names=a b\n\nTree=0\nnum_leaves=2\nnum_cat=0\n" +
        "split_feature=0\nthreshold=0.5\ndecision_type=10\nleft_child=-1\nright_child=RIGHT\nleaf_value=-1 LEAF\n" +
        "shrinkage=1\n\n\nend of trees\n\nfeature_importances:\na=1\n";
    private static final String LINEAR = "{\"format\": \"ringflow-linear\", \"version\": \"v1\", \"link\": \"logistic\", " +
        "\"bias\": 0.5, \"features\": [\"a\", \"b\"], \"weights\": [WEIGHT, 2]}";

    @Test
    void shouldScoreTheHandWrittenTreesAsTheirSplitsSay() throws ModelException
    {
        final Model xgboost = load(xgboost("1, -1, -1", "2, -1, -1", "0", "1.0", "binary:logistic", "0", "1, 7, 6"));
        final Model lightGbm = load(lightGbm("binary sigmoid:1", "-2", "1"));

        for (final Model model : List.of(xgboost, lightGbm))
        {
            assertThat(model.featureNames()).containsExactly("a", "b");
            assertThat(model.score(new double[] {0.25, 0})).isCloseTo(1 / (1 + Math.exp(1)), within(1e-7));
            assertThat(model.score(new double[] {0.75, 0})).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-7));
            assertThat(model.score(new double[] {Double.NaN, 0})).as("default left").isEqualTo(model.score(new double[] {0.25, 0}));
        }
        // XGBoost compares in float: 0.5000000001 rounds to 0.5f, which is not < 0.5f.
        assertThat(xgboost.score(new double[] {0.4999999999, 0})).isEqualTo(xgboost.score(new double[] {0.75, 0}));
        // LightGBM compares in double, <=: 0.5 goes left, the next double up goes right.
        assertThat(lightGbm.score(new double[] {0.5, 0})).isEqualTo(lightGbm.score(new double[] {0.25, 0}));
        assertThat(lightGbm.score(new double[] {Math.nextUp(0.5), 0})).isEqualTo(lightGbm.score(new double[] {0.75, 0}));
    }

    @Test
    void shouldTellTheFormatsApartByContentNotByName() throws ModelException
    {
        final byte[] xgboost = TestModels.bytes("xgb17-binary-logistic.json");
        final byte[] lightGbm = TestModels.bytes("lgbm-binary.txt");
        final byte[] linear = TestModels.bytes("linear-logistic.json");

        assertThat(ModelLoader.load(xgboost, "model.txt", ModelLimits.defaults()).kind()).isEqualTo(ModelKind.XGBOOST_JSON);
        assertThat(ModelLoader.load(lightGbm, "model.json", ModelLimits.defaults()).kind()).isEqualTo(ModelKind.LIGHTGBM_TEXT);
        assertThat(ModelLoader.load(linear, "model.bin", ModelLimits.defaults()).kind()).isEqualTo(ModelKind.RINGFLOW_LINEAR);
        // Without a declared version, the version is the content's hash: a changed file is a changed version.
        assertThat(ModelLoader.load(xgboost, "m", ModelLimits.defaults()).version()).isEqualTo(ModelLoader.contentHash(xgboost)).hasSize(12);
    }

    @Test
    void shouldRefuseAnOnnxFileNamingTheModuleItNeeds()
    {
        assertThatThrownBy(() -> TestModels.load("tiny.onnx")).isInstanceOf(ModelException.class)
            .hasMessageContaining("tiny.onnx").hasMessageContaining("ONNX").hasMessageContaining("ringflow-onnx");
    }

    @Test
    void shouldLoadContentItDoesNotReadItselfThroughAnInstalledPlugInFormat() throws ModelException
    {
        final byte[] bytes = "constant-model 0.25".getBytes(StandardCharsets.US_ASCII);
        final Model model = ModelLoader.load(bytes, "const.bin", ModelLimits.defaults());

        assertThat(model.score(new double[] {7})).isEqualTo(0.25);
        assertThat(model.sourceName()).isEqualTo("const.bin");
        assertThat(model.version()).isEqualTo(ModelLoader.contentHash(bytes));
        assertThatThrownBy(() -> ModelLoader.load("constant-model x".getBytes(StandardCharsets.US_ASCII), "bad.bin",
            ModelLimits.defaults())).isInstanceOf(ModelException.class).hasMessage("bad.bin: not a number: 'x'");
        // Content that is not any format's still gets the core's message.
        assertThatThrownBy(() -> ModelLoader.load("nonsense".getBytes(StandardCharsets.US_ASCII), "n.bin",
            ModelLimits.defaults())).hasMessageContaining("not a model file Ringflow recognises");
    }

    @Test
    void shouldScoreABatchAsItScoresEachRow() throws ModelException
    {
        final Model model = TestModels.load("xgb17-binary-logistic.json");
        final double[][] rows = TestModels.rows("holdout.csv");
        final double[] scores = new double[rows.length + 1];
        scores[rows.length] = -1;

        model.scoreBatch(rows, rows.length, scores);

        for (int i = 0; i < rows.length; i++)
        {
            assertThat(scores[i]).as("row %d", i).isEqualTo(model.score(rows[i]));
        }
        assertThat(scores[rows.length]).as("past count").isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xgb17-binary-logistic.json", "lgbm-binary.txt", "linear-logistic.json"})
    void shouldRefuseATruncatedFile(final String name)
    {
        final byte[] whole = TestModels.bytes(name);
        final byte[] half = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> ModelLoader.load(half, name, ModelLimits.defaults())).isInstanceOf(ModelException.class)
            .hasMessageStartingWith(name + ": ").hasMessageContainingAll("truncated");
    }

    @Test
    void shouldRefuseWhatIsNotAModel()
    {
        assertRefused("".getBytes(StandardCharsets.UTF_8), "empty");
        assertRefused("hello, world\n".getBytes(StandardCharsets.UTF_8), "not a model file");
        assertRefused("{\"weights\": [1, 2]}".getBytes(StandardCharsets.UTF_8), "not a model Ringflow recognises");
        assertRefused("{\"format\": \"pmml\"}".getBytes(StandardCharsets.UTF_8), "unknown model format 'pmml'");
        assertRefused(new byte[] {'{', 'L', 0, 0, 0, 1}, "UBJSON");
    }

    @Test
    void shouldRefuseAFileOverTheSizeLimitBeforeParsingIt()
    {
        final Path file = TestModels.path("xgb17-binary-logistic.json");

        assertThatThrownBy(() -> ModelLoader.load(file, ModelLimits.defaults().maxFileBytes(1000)))
            .isInstanceOf(ModelException.class).hasMessageContaining("larger than the limit of 1000 bytes")
            .hasMessageContaining("ModelLimits.maxFileBytes");
        assertThatThrownBy(() -> ModelLoader.load(file, ModelLimits.defaults().maxTrees(5)))
            .isInstanceOf(ModelException.class).hasMessageContaining("20 trees, more than the limit of 5");
        assertThatThrownBy(() -> ModelLoader.load(file, ModelLimits.defaults().maxTreeDepth(2)))
            .isInstanceOf(ModelException.class).hasMessageContaining("deeper than the limit of 2");
        assertThatThrownBy(() -> ModelLoader.load(file, ModelLimits.defaults().maxFeatures(7)))
            .isInstanceOf(ModelException.class).hasMessageContaining("num_feature is 8; expected 1 to 7");
        assertThatThrownBy(() -> ModelLoader.load(TestModels.path("lgbm-binary.txt"),
            ModelLimits.defaults().maxFeatures(7))).isInstanceOf(ModelException.class)
            .hasMessageContaining("max_feature_idx says 8 features; expected 1 to 7");
        // A hostile feature count is refused before anything is sized by it.
        assertRefused(new String(TestModels.bytes("xgb17-reg-logistic.json"), StandardCharsets.UTF_8)
            .replace("\"num_feature\":\"8\"", "\"num_feature\":\"2000000000\"").getBytes(StandardCharsets.UTF_8),
            "num_feature is 2000000000");
    }

    @Test
    void shouldRefuseMultiClassAndUnknownObjectives()
    {
        assertRefused(xgboost("1, -1, -1", "2, -1, -1", "0", "1.0", "multi:softprob", "3", "1, 7, 6"), "multi-class");
        assertRefused(xgboost("1, -1, -1", "2, -1, -1", "0", "1.0", "binary:logistic", "3", "1, 7, 6"), "multi-class");
        assertRefused(xgboost("1, -1, -1", "2, -1, -1", "0", "1.0", "rank:pairwise", "0", "1, 7, 6"),
            "unsupported XGBoost objective 'rank:pairwise'");
        assertRefused(lightGbm("multiclass num_class:3", "-2", "1"), "multi-class");
        assertRefused(lightGbm("lambdarank", "-2", "1"), "unsupported LightGBM objective 'lambdarank'");
        assertRefused(lightGbm("regression sqrt", "-2", "1"), "reg_sqrt");
    }

    @Test
    void shouldRefuseAnXgboostVersionNotCheckedUnlessTold() throws ModelException
    {
        final byte[] file = xgboost("1, -1, -1", "2, -1, -1", "0", "1.0", "binary:logistic", "0", "2, 1, 4");

        assertRefused(file, "XGBoost 2.1.4").hasMessageContaining("checked: 1.7, 3.4")
            .hasMessageContaining("ModelLimits.allowUntestedXgboostVersions(true)");
        assertThat(ModelLoader.load(file, "m.json", ModelLimits.defaults().allowUntestedXgboostVersions(true))
            .score(new double[] {0.75, 0})).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-7));
    }

    @Test
    void shouldRefuseANonFiniteLeafOrWeight()
    {
        assertRefused(xgboost("1, -1, -1", "2, -1, -1", "0", "1E400", "binary:logistic", "0", "1, 7, 6"),
            "tree 0 leaf node 2 has value Infinity");
        assertRefused(lightGbm("binary sigmoid:1", "-2", "nan"), "tree 0 leaf 1 has value NaN");
        assertRefused(lightGbm("binary sigmoid:1", "-2", "inf"), "tree 0 leaf 1 has value Infinity");
        assertRefused(linear("1E400"), "$.weights[0] is 1E400, not a finite number");
        assertRefused(linear("NaN"), "not valid JSON");
    }

    @Test
    void shouldRefuseAChildOutsideTheTreeAndALoop()
    {
        assertRefused(xgboost("1, -1, -1", "9, -1, -1", "0", "1.0", "binary:logistic", "0", "1, 7, 6"),
            "tree 0 node 0 has right child 9, outside the tree's 3 nodes");
        assertRefused(xgboost("0, -1, -1", "2, -1, -1", "0", "1.0", "binary:logistic", "0", "1, 7, 6"),
            "tree 0 node 0 has left child 0, a node already reached from the root");
        assertRefused(xgboost("1, -1, -1", "2, -1, -1", "7", "1.0", "binary:logistic", "0", "1, 7, 6"),
            "tree 0 node 0 splits on feature 7 but the model has 2 features");
        assertRefused(lightGbm("binary sigmoid:1", "-3", "1"), "tree 0 node 0 has right child -3.0, outside");
    }

    @Test
    void shouldRefuseAnUnreachableNodeWithAChildOutsideTheTree()
    {
        // Node 3 hangs from nothing, but a layout that numbers every node would still follow its links.
        final int[] left = {1, -1, -1, 40};
        final int[] right = {2, -1, -1, 41};
        final boolean[] leaf = {false, true, true, false};

        assertThatThrownBy(() -> TreeShape.depth("m", 4, left, right, leaf, 10)).isInstanceOf(ModelException.class)
            .hasMessage("m: tree 4 node 3 has left child 40, outside the tree's 4 nodes");
    }

    @Test
    void shouldCheckThePipelinesFeaturesAgainstTheModels() throws ModelException
    {
        final Model named = TestModels.load("xgb17-binary-logistic.json");
        final Model positional = TestModels.load("xgb17-reg-logistic.json");
        final List<String> features = TestModels.header("holdout.csv");

        named.checkFeatures(features);
        positional.checkFeatures(List.of("a", "b", "c", "d", "e", "f", "g", "h"));
        assertThatThrownBy(() -> named.checkFeatures(features.subList(0, 7))).isInstanceOf(ModelException.class)
            .hasMessageContaining("the model takes 8 features").hasMessageContaining("the pipeline gives 7");
        assertThatThrownBy(() -> positional.checkFeatures(List.of("a"))).isInstanceOf(ModelException.class)
            .hasMessageContaining("the model takes 8 features");
        final List<String> swapped = new ArrayList<>(features);
        swapped.set(0, features.get(1));
        swapped.set(1, features.get(0));
        assertThatThrownBy(() -> named.checkFeatures(swapped)).isInstanceOf(ModelException.class)
            .hasMessageContaining("feature 0 of the model is 'amount' but the pipeline gives 'amt_5_mean'");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
        final byte[] file, final String message)
    {
        return assertThatThrownBy(() -> ModelLoader.load(file, "m.file", ModelLimits.defaults()))
            .isInstanceOf(ModelException.class).hasMessageStartingWith("m.file: ").hasMessageContaining(message);
    }

    private static Model load(final byte[] file) throws ModelException
    {
        return ModelLoader.load(file, "m.file", ModelLimits.defaults());
    }

    private static byte[] xgboost(final String left, final String right, final String feature, final String leaf,
        final String objective, final String classes, final String version)
    {
        return XGBOOST.replace("LEFT", left).replace("RIGHT", right).replace("FEATURE", feature).replace("LEAF", leaf)
            .replace("OBJECTIVE", objective).replace("CLASSES", classes).replace("VERSION", version)
            .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] lightGbm(final String objective, final String right, final String leaf)
    {
        return LIGHTGBM.replace("OBJECTIVE", objective).replace("RIGHT", right).replace("LEAF", leaf)
            .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] linear(final String weight)
    {
        return LINEAR.replace("WEIGHT", weight).getBytes(StandardCharsets.UTF_8);
    }
}
