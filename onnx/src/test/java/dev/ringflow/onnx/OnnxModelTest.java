package dev.ringflow.onnx;

import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelException;
import dev.ringflow.models.score.ModelKind;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * ONNX models loaded through {@link ModelLoader} with this module on the class path, scored row by row and in
 * batches against Python onnxruntime's predictions, and the models Ringflow cannot score refused at load.
 */
class OnnxModelTest
{
    /** The reference ran in float32, as the Java runtime does; two runtimes may still round a last bit apart. */
    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest
    @ValueSource(strings = {"logistic.onnx", "mlp-probabilities.onnx", "regression-batch1.onnx"})
    void shouldScoreEachRowAsPythonOnnxRuntimeDoes(final String name) throws ModelException
    {
        final Model model = OnnxTestModels.load(name);
        final OnnxTestModels.Reference reference = OnnxTestModels.Reference.of(name);

        assertThat(model.kind()).isEqualTo(ModelKind.ONNX);
        assertThat(reference.rows().length).isGreaterThan(200);
        for (int i = 0; i < reference.rows().length; i++)
        {
            assertThat(model.score(reference.rows()[i])).as("%s row %d", name, i)
                .isCloseTo(reference.predictions()[i], within(TOLERANCE));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"logistic.onnx", "mlp-probabilities.onnx", "regression-batch1.onnx"})
    void shouldScoreABatchAsItScoresEachRowIncludingBatchesLargerThanOneCall(final String name) throws ModelException
    {
        final Model model = OnnxTestModels.load(name);
        final double[][] once = OnnxTestModels.Reference.of(name).rows();
        // Twice the rows (> MAX_BATCH_ROWS): two native calls, the second a partial one.
        final double[][] rows = new double[once.length * 2][];
        for (int i = 0; i < rows.length; i++)
        {
            rows[i] = once[i % once.length];
        }
        assertThat(rows.length).isGreaterThan(OnnxModel.MAX_BATCH_ROWS);
        final double[] scores = new double[rows.length + 1];
        scores[rows.length] = -7;

        model.scoreBatch(rows, rows.length, scores);
        final double[] first64 = new double[64];
        model.scoreBatch(rows, 64, first64);

        for (int i = 0; i < rows.length; i++)
        {
            assertThat(scores[i]).as("%s row %d", name, i).isEqualTo(model.score(rows[i]));
        }
        assertThat(first64).isEqualTo(Arrays.copyOf(scores, 64));
        assertThat(scores[rows.length]).as("past the count").isEqualTo(-7);
        assertThat(((OnnxModel)model).failedCalls()).isZero();
    }

    @Test
    void shouldReadFeatureNamesAndVersionFromTheMetadataElseNumberThemAndHashTheFile() throws ModelException
    {
        final Model declared = OnnxTestModels.load("logistic.onnx");
        final Model plain = OnnxTestModels.load("mlp-probabilities.onnx");

        assertThat(declared.featureNames()).containsExactly("amount", "hour", "merchant_risk", "velocity");
        assertThat(declared.declaresFeatureNames()).isTrue();
        assertThat(declared.version()).isEqualTo("lr-onnx-1");
        assertThat(plain.featureNames()).containsExactly("f0", "f1", "f2", "f3");
        assertThat(plain.declaresFeatureNames()).isFalse();
        assertThat(plain.version()).isEqualTo(ModelLoader.contentHash(OnnxTestModels.bytes("mlp-probabilities.onnx")));
        assertThat(plain.handlesMissing()).isFalse();
        assertThat(((OnnxModel)plain).maxBatchRows()).isEqualTo(OnnxModel.MAX_BATCH_ROWS);
        assertThat(((OnnxModel)OnnxTestModels.load("regression-batch1.onnx")).maxBatchRows()).isEqualTo(1);
    }

    @Test
    void shouldCheckThePipelineFeaturesAgainstTheDeclaredNames() throws ModelException
    {
        final Model model = OnnxTestModels.load("logistic.onnx");

        model.checkFeatures(List.of("amount", "hour", "merchant_risk", "velocity"));
        assertThatThrownBy(() -> model.checkFeatures(List.of("amount", "hour", "merchant_risk")))
            .isInstanceOf(ModelException.class).hasMessageContaining("takes 4 features");
        assertThatThrownBy(() -> model.checkFeatures(List.of("hour", "amount", "merchant_risk", "velocity")))
            .hasMessageContaining("feature 0 of the model is 'amount' but the pipeline gives 'hour'");
    }

    @Test
    void shouldRefuseModelsItCannotScoreNamingWhatIsWrong()
    {
        assertRefused("mlp-zipmap.onnx", "ZipMap").hasMessageContaining("'zipmap': False");
        assertRefused("mlp-3-classes.onnx", "output 'probabilities' has shape [-1, 3]")
            .hasMessageContaining("multi-class");
        assertRefused("two-inputs.onnx", "the ONNX model has 2 inputs");
        assertRefused("logistic-3-names.onnx", "metadata names 3 features [amount, hour, merchant_risk] but its " +
            "input takes 4");
    }

    @Test
    void shouldRefuseATruncatedOrCorruptOnnxFileClearly()
    {
        final byte[] whole = OnnxTestModels.bytes("mlp-probabilities.onnx");
        final byte[] corrupt = whole.clone();
        Arrays.fill(corrupt, 20, corrupt.length, (byte)0xff);

        assertThatThrownBy(() -> ModelLoader.load(Arrays.copyOf(whole, whole.length / 2), "half.onnx",
            ModelLimits.defaults())).isInstanceOf(ModelException.class)
            .hasMessageStartingWith("half.onnx: ONNX Runtime cannot load this model: ");
        assertThatThrownBy(() -> ModelLoader.load(corrupt, "corrupt.onnx", ModelLimits.defaults()))
            .isInstanceOf(ModelException.class).hasMessageStartingWith("corrupt.onnx: ONNX Runtime cannot load");
        assertThatThrownBy(() -> ModelLoader.load(whole, "big.onnx", ModelLimits.defaults().maxFeatures(3)))
            .hasMessageContaining("takes 4 features, more than the limit of 3");
    }

    @Test
    void shouldGiveEachThreadItsOwnBuffersSoThatConcurrentScoresDoNotMix() throws Exception
    {
        final Model model = OnnxTestModels.load("mlp-probabilities.onnx");
        final OnnxTestModels.Reference reference = OnnxTestModels.Reference.of("mlp-probabilities.onnx");
        final ExecutorService threads = Executors.newFixedThreadPool(3);
        try
        {
            final Callable<Integer> scoreAll = () ->
            {
                int wrong = 0;
                for (int pass = 0; pass < 20; pass++)
                {
                    for (int i = 0; i < reference.rows().length; i++)
                    {
                        if (Math.abs(model.score(reference.rows()[i]) - reference.predictions()[i]) > TOLERANCE)
                        {
                            wrong++;
                        }
                    }
                }
                return wrong;
            };
            final List<Future<Integer>> results = threads.invokeAll(List.of(scoreAll, scoreAll, scoreAll));
            for (final Future<Integer> result : results)
            {
                assertThat(result.get()).as("rows scored wrong by one thread").isZero();
            }
        }
        finally
        {
            threads.shutdown();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(final String name, final String why)
    {
        return assertThatThrownBy(() -> OnnxTestModels.load(name)).isInstanceOf(ModelException.class)
            .hasMessageStartingWith(name + ": ").hasMessageContaining(why);
    }
}
