package dev.ringflow.onnx;

import dev.ringflow.models.score.Model;
import dev.ringflow.models.score.ModelException;
import dev.ringflow.models.score.ModelLimits;
import dev.ringflow.models.score.ModelLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The committed ONNX test models (onnx/src/test/resources/onnx, made by onnx/src/test/python/make_onnx_models.py)
 * and their reference predictions from Python's onnxruntime.
 */
final class OnnxTestModels
{
    /** The test models' directory (the tests run in the onnx module's directory). */
    static final Path DIR = Path.of("src", "test", "resources", "onnx");

    private OnnxTestModels()
    {
    }

    static byte[] bytes(final String name)
    {
        try
        {
            return Files.readAllBytes(DIR.resolve(name));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static Model load(final String name) throws ModelException
    {
        return ModelLoader.load(DIR.resolve(name), ModelLimits.defaults());
    }

    /** A model's reference rows and predictions: the CSV's feature columns, then its last column. */
    record Reference(double[][] rows, double[] predictions)
    {
        static Reference of(final String model)
        {
            final List<String> lines;
            try
            {
                lines = Files.readAllLines(DIR.resolve(model.replace(".onnx", ".predictions.csv")));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            final int count = lines.size() - 1;
            final double[][] rows = new double[count][];
            final double[] predictions = new double[count];
            for (int i = 0; i < count; i++)
            {
                final String[] cells = lines.get(i + 1).split(",");
                rows[i] = new double[cells.length - 1];
                for (int j = 0; j < cells.length - 1; j++)
                {
                    rows[i][j] = Double.parseDouble(cells[j]);
                }
                predictions[i] = Double.parseDouble(cells[cells.length - 1]);
            }
            return new Reference(rows, predictions);
        }
    }
}
