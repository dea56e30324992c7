package dev.ringflow.models.score;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the XGBoost 3.x test models ({@code xgb34-<objective>.json}) and their reference predictions on holdout.csv
 * with xgboost4j, the counterpart of make_test_models.py for a version Debian's Python XGBoost is not.
 * <p>
 * Run from the repository root after building the test classes (deterministic: re-running rewrites the same files):
 * <pre>
 *   mvn -q -B -o -pl models -am test-compile
 *   mvn -q -B -o -pl models dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   OMP_NUM_THREADS=1 java -cp models/target/test-classes:models/target/classes:$(cat models/target/cp.txt) \
 *     dev.ringflow.models.score.Xgboost4jModelWriter models/src/test/resources/models
 * </pre>
 */
public final class Xgboost4jModelWriter
{
    private Xgboost4jModelWriter()
    {
    }

    /**
     * @param args the folder that holds train.csv and holdout.csv, where the models are written.
     */
    public static void main(final String[] args) throws IOException, XGBoostError
    {
        final Path folder = Path.of(args[0]);
        final List<String> trainHeader = List.of(Files.readAllLines(folder.resolve("train.csv")).get(0).split(","));
        final double[][] train = TestModels.rows(folder.resolve("train.csv"));
        final double[][] holdout = TestModels.rows(folder.resolve("holdout.csv"));
        final int features = holdout[0].length;
        final String[] names = trainHeader.subList(0, features).toArray(new String[0]);
        final int label = trainHeader.indexOf("label");
        final int target = trainHeader.indexOf("target");

        write(folder, "xgb34-binary-logistic", Map.of("objective", "binary:logistic", "max_depth", 4, "eta", 0.3),
            20, train, label, holdout, names);
        write(folder, "xgb34-reg-squarederror", Map.of("objective", "reg:squarederror", "max_depth", 6, "eta", 0.2),
            25, train, target, holdout, null);
    }

    private static void write(final Path folder, final String name, final Map<String, Object> objective,
        final int rounds, final double[][] train, final int labelColumn, final double[][] holdout, final String[] names)
        throws IOException, XGBoostError
    {
        final int features = holdout[0].length;
        final DMatrix trainMatrix = matrix(train, features, names);
        final float[] labels = new float[train.length];
        for (int r = 0; r < train.length; r++)
        {
            labels[r] = (float)train[r][labelColumn];
        }
        trainMatrix.setLabel(labels);
        final Map<String, Object> params = new HashMap<>(objective);
        params.put("seed", 7);
        params.put("tree_method", "exact");
        params.put("nthread", 1);
        final Booster booster = XGBoost.train(trainMatrix, params, rounds, Map.of(), null, null);
        booster.saveModel(folder.resolve(name + ".json").toString());

        final float[][] predictions = booster.predict(matrix(holdout, features, names));
        final List<String> lines = new ArrayList<>();
        lines.add("prediction");
        for (final float[] prediction : predictions)
        {
            lines.add(Double.toString(prediction[0]));
        }
        Files.write(folder.resolve(name + ".predictions.csv"), lines);
    }

    private static DMatrix matrix(final double[][] rows, final int features, final String[] names) throws XGBoostError
    {
        final float[] data = new float[rows.length * features];
        for (int r = 0; r < rows.length; r++)
        {
            for (int c = 0; c < features; c++)
            {
                data[r * features + c] = (float)rows[r][c];
            }
        }
        final DMatrix matrix = new DMatrix(data, rows.length, features, Float.NaN);
        if (names != null)
        {
            matrix.setFeatureNames(names);
        }
        return matrix;
    }
}
