package dev.ringflow.models.score;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The committed test models and their held-out rows (models/src/test/resources/models, made by
 * models/src/test/python/make_test_models.py): paths, the rows of a CSV with empty cells read as NaN.
 */
final class TestModels
{
    private TestModels()
    {
    }

    static Path path(final String name)
    {
        try
        {
            return Path.of(TestModels.class.getResource("/models/" + name).toURI());
        }
        catch (final URISyntaxException | NullPointerException ex)
        {
            throw new IllegalStateException("no test resource models/" + name, ex);
        }
    }

    static byte[] bytes(final String name)
    {
        try
        {
            return Files.readAllBytes(path(name));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static Model load(final String name) throws ModelException
    {
        return ModelLoader.load(path(name), ModelLimits.defaults());
    }

    /** The header of a CSV file. */
    static List<String> header(final String name)
    {
        return List.of(lines(name).get(0).split(",", -1));
    }

    /** Every row of a CSV file after its header; an empty cell is NaN. */
    static double[][] rows(final String name)
    {
        return rows(lines(name));
    }

    /** Every row of a CSV file after its header; an empty cell is NaN. */
    static double[][] rows(final Path file) throws IOException
    {
        return rows(Files.readAllLines(file));
    }

    private static double[][] rows(final List<String> lines)
    {
        final double[][] rows = new double[lines.size() - 1][];
        for (int r = 1; r < lines.size(); r++)
        {
            final String[] cells = lines.get(r).split(",", -1);
            rows[r - 1] = new double[cells.length];
            for (int c = 0; c < cells.length; c++)
            {
                rows[r - 1][c] = cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]);
            }
        }
        return rows;
    }

    /** The single column of a {@code <model>.predictions.csv} file. */
    static double[] predictions(final String model)
    {
        final double[][] rows = rows(model + ".predictions.csv");
        final double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++)
        {
            out[i] = rows[i][0];
        }
        return out;
    }

    private static List<String> lines(final String name)
    {
        try
        {
            // An empty line is a row whose only cell is empty (a NaN prediction), so none is skipped.
            return Files.readAllLines(path(name));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
