package dev.ringflow.models.learn;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ringflow.models.TestSeeds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogisticSgdLearnerTest
{
    private static final int FEATURES = 8;
    private static final int KEYS = 20;

    @Test
    void shouldMatchTheNaiveSgdLoopBitForBit()
    {
        check(new SgdSpec(FEATURES).learningRate(0.05), "plain");
        check(new SgdSpec(FEATURES).learningRate(0.05).l2(0.01), "l2");
        check(new SgdSpec(FEATURES).learningRate(0.5).l2(0.001).adagrad(true), "adagrad");
        check(new SgdSpec(FEATURES).learningRate(0.1).perKey(true), "perKey");
        check(new SgdSpec(FEATURES).learningRate(0.3).l2(0.01).adagrad(true).perKey(true), "perKeyAdagrad");
    }

    /** A random stream (a hidden logistic model per key, missing features, unlabelled events) through a snapshot. */
    private static void check(final SgdSpec spec, final String name)
    {
        final long seed = TestSeeds.seed(name);
        final Random random = new Random(seed);
        final double[][] truth = new double[KEYS][FEATURES];
        for (final double[] row : truth)
        {
            for (int j = 0; j < FEATURES; j++)
            {
                row[j] = 2 * random.nextGaussian();
            }
        }
        final NaiveSgd naive = new NaiveSgd(spec);
        LogisticSgdLearner learner = spec.newLearner();
        final double[] x = new double[FEATURES];
        final int events = 20_000;
        for (int i = 0; i < events; i++)
        {
            if (i == events / 2)
            {
                learner = restored(spec, learner);
            }
            final int key = random.nextInt(KEYS);
            double margin = 0;
            for (int j = 0; j < FEATURES; j++)
            {
                x[j] = random.nextInt(20) == 0 ? Double.NaN : random.nextGaussian() * 3;
                margin += Double.isNaN(x[j]) ? 0 : truth[spec.perKey() ? key : 0][j] * x[j];
            }
            final String at = name + " seed " + seed + " event " + i;
            if (random.nextInt(5) == 0)
            {
                assertThat(bits(learner.score(key, x))).as(at).isEqualTo(bits(naive.score(key, x)));
                continue;
            }
            final double label = random.nextDouble() < LogisticSgdLearner.sigmoid(margin) ? 1 : 0;
            assertThat(bits(learner.learn(key, x, label))).as(at).isEqualTo(bits(naive.learn(key, x, label)));
        }
        for (int key = 0; key < KEYS; key++)
        {
            final List<Double> expected = naive.model(key);
            for (int j = 0; j < FEATURES; j++)
            {
                assertThat(bits(learner.weight(key, j))).as(name + " key " + key + " w" + j)
                    .isEqualTo(bits(expected.get(j)));
            }
            assertThat(bits(learner.bias(key))).as(name + " key " + key + " bias")
                .isEqualTo(bits(expected.get(FEATURES)));
        }
        assertThat(learner.metrics().auc()).as(name + ": it must have learnt something").isGreaterThan(0.75);
    }

    private static long bits(final double value)
    {
        return Double.doubleToLongBits(value);
    }

    private static byte[] snapshot(final LogisticSgdLearner learner)
    {
        try
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            learner.writeState(new DataOutputStream(bytes));
            return bytes.toByteArray();
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static LogisticSgdLearner restored(final SgdSpec spec, final LogisticSgdLearner learner)
    {
        final byte[] bytes = snapshot(learner);
        final LogisticSgdLearner copy = spec.newLearner();
        try
        {
            copy.readState(new DataInputStream(new ByteArrayInputStream(bytes)));
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
        assertThat(snapshot(copy)).isEqualTo(bytes);
        assertThat(copy.metrics().logLoss()).isEqualTo(learner.metrics().logLoss());
        return copy;
    }

    @Test
    void shouldTakeOneDocumentedStepAndLeaveMissingFeaturesAlone()
    {
        final LogisticSgdLearner learner = new SgdSpec(2).learningRate(0.5).l2(0.1).newLearner();
        // p = 0.5, g = -0.5: w0 = 0 - 0.5 * (-0.5 * 2 + 0) = 0.5, w1 missing stays 0, bias = 0.25
        assertThat(learner.learn(new double[] {2, Double.NaN}, 1)).isEqualTo(0.5);
        assertThat(learner.weight(0, 0)).isEqualTo(0.5);
        assertThat(learner.weight(0, 1)).isEqualTo(0.0);
        assertThat(learner.bias(0)).isEqualTo(0.25);
        assertThat(learner.score(new double[] {Double.NaN, 7})).isEqualTo(LogisticSgdLearner.sigmoid(0.25));
        assertThatThrownBy(() -> learner.learn(new double[] {1, 1}, 0.5)).hasMessageContaining("0 or 1");
        assertThatThrownBy(() -> learner.score(new double[] {1})).hasMessageContaining("expected 2 features");
    }

    @Test
    void shouldRefuseASnapshotOfAnotherDefinitionOrVersion() throws IOException
    {
        final LogisticSgdLearner learner = new SgdSpec(3).adagrad(true).newLearner();
        learner.learn(new double[] {1, 2, 3}, 1);
        final byte[] bytes = snapshot(learner);
        final LogisticSgdLearner other = new SgdSpec(3).newLearner();
        assertThatThrownBy(() -> other.readState(new DataInputStream(new ByteArrayInputStream(bytes))))
            .hasMessageContaining("adagrad true");
        bytes[3] = 99;
        final LogisticSgdLearner same = new SgdSpec(3).adagrad(true).newLearner();
        assertThatThrownBy(() -> same.readState(new DataInputStream(new ByteArrayInputStream(bytes))))
            .hasMessageContaining("format version 99");
    }

    @Test
    void shouldExportTheLinearJsonFormatThatReadsBackToTheSameWeights() throws IOException
    {
        final LogisticSgdLearner learner = new SgdSpec(3).learningRate(0.3).perKey(true).newLearner();
        final Random random = new Random(TestSeeds.seed("export"));
        for (int i = 0; i < 500; i++)
        {
            learner.learn(random.nextInt(3), new double[] {random.nextGaussian(), random.nextGaussian(), 1},
                random.nextInt(2));
        }
        final String json = LinearModelExport.toJson(learner, 2, List.of("amount", "age \"years\"", "one"));
        final List<String> names = new ArrayList<>();
        final List<Double> weights = new ArrayList<>();
        double bias = Double.NaN;
        String format = null;
        String link = null;
        int version = 0;
        try (JsonParser parser = new JsonFactory().createParser(json))
        {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = parser.currentName();
                final JsonToken value = parser.nextToken();
                switch (field)
                {
                    case "format" -> format = parser.getText();
                    case "version" -> version = parser.getIntValue();
                    case "link" -> link = parser.getText();
                    case "bias" -> bias = parser.getDoubleValue();
                    case "features" ->
                    {
                        while (parser.nextToken() != JsonToken.END_ARRAY)
                        {
                            names.add(parser.getText());
                        }
                    }
                    case "weights" ->
                    {
                        while (parser.nextToken() != JsonToken.END_ARRAY)
                        {
                            weights.add(parser.getDoubleValue());
                        }
                    }
                    default -> throw new AssertionError("unexpected field " + field + " (" + value + ")");
                }
            }
        }
        assertThat(format).isEqualTo("ringflow-linear");
        assertThat(version).isEqualTo(1);
        assertThat(link).isEqualTo("logistic");
        assertThat(names).containsExactly("amount", "age \"years\"", "one");
        assertThat(bias).isEqualTo(learner.bias(2)).isNotZero();
        assertThat(weights).containsExactly(learner.weight(2, 0), learner.weight(2, 1), learner.weight(2, 2));
        assertThatThrownBy(() -> LinearModelExport.toJson(learner, 0, List.of("a")))
            .hasMessageContaining("3 features");
    }

    @Test
    void shouldNotAllocateWhileLearning()
    {
        final LogisticSgdLearner learner = new SgdSpec(16).adagrad(true).l2(1e-4).perKey(true).newLearner();
        final Random random = new Random(TestSeeds.seed("allocation"));
        final double[][] rows = new double[256][16];
        for (final double[] row : rows)
        {
            for (int j = 0; j < row.length; j++)
            {
                row[j] = random.nextGaussian();
            }
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        double sink = run(learner, rows, 0, 500_000);
        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        sink += run(learner, rows, 500_000, 500_000);
        final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes over 500,000 warm score + learn").isLessThan(1024);
    }

    private static double run(final LogisticSgdLearner learner, final double[][] rows, final int from, final int n)
    {
        double sum = 0;
        for (int i = from; i < from + n; i++)
        {
            final double[] row = rows[i & 255];
            sum += learner.score(i & 63, row);
            sum += learner.learn(i & 63, row, (i & 1));
        }
        return sum;
    }
}
