package dev.ringflow.models.learn;

import dev.ringflow.models.TestSeeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PrequentialMetricsTest
{
    private record Pair(double score, boolean positive)
    {
    }

    @Test
    void shouldBeNaNUntilBothClassesAreSeen()
    {
        final PrequentialMetrics metrics = new PrequentialMetrics(4);
        assertThat(metrics.logLoss()).isNaN();
        assertThat(metrics.auc()).isNaN();
        metrics.record(0.9, true);
        assertThat(metrics.auc()).isNaN();
        assertThat(metrics.logLoss()).isCloseTo(-Math.log(0.9), within(1e-15));
        metrics.record(0.9, false);
        assertThat(metrics.auc()).isEqualTo(0.5);
        metrics.record(0.0, true);
        assertThat(metrics.logLoss()).isCloseTo((-Math.log(0.9) - Math.log(0.1) - Math.log(1e-15)) / 3, within(1e-9));
    }

    @Test
    void shouldMatchPairEnumerationAndPlainLogLossOverTheLastWindow()
    {
        final long seed = TestSeeds.seed("metrics");
        final Random random = new Random(seed);
        for (final int window : new int[] {1, 7, 100, 1000})
        {
            final PrequentialMetrics metrics = new PrequentialMetrics(window);
            final List<Pair> all = new ArrayList<>();
            for (int i = 0; i < 3 * window + 13; i++)
            {
                // Scores on a coarse grid, so that ties between and within classes are common.
                final double score = random.nextInt(11) / 10.0;
                final boolean positive = random.nextDouble() < 0.2 + 0.6 * score;
                metrics.record(score, positive);
                all.add(new Pair(score, positive));
                if (i % 7 == 0 || i > 3 * window)
                {
                    final List<Pair> last = all.subList(Math.max(0, all.size() - window), all.size());
                    final String at = "seed " + seed + " window " + window + " event " + i;
                    assertThat(metrics.size()).as(at).isEqualTo(last.size());
                    assertThat(Double.doubleToLongBits(metrics.auc())).as(at)
                        .isEqualTo(Double.doubleToLongBits(naiveAuc(last)));
                    assertThat(metrics.logLoss()).as(at).isCloseTo(naiveLogLoss(last), within(1e-12));
                }
            }
        }
    }

    private static double naiveAuc(final List<Pair> pairs)
    {
        double wins = 0;
        long comparisons = 0;
        for (final Pair p : pairs)
        {
            for (final Pair n : pairs)
            {
                if (p.positive() && !n.positive())
                {
                    comparisons++;
                    wins += p.score() > n.score() ? 1 : p.score() == n.score() ? 0.5 : 0;
                }
            }
        }
        return 0 == comparisons ? Double.NaN : wins / comparisons;
    }

    private static double naiveLogLoss(final List<Pair> pairs)
    {
        double sum = 0;
        for (final Pair pair : pairs)
        {
            final double p = Math.min(1 - 1e-15, Math.max(1e-15, pair.score()));
            sum -= pair.positive() ? Math.log(p) : Math.log(1 - p);
        }
        return sum / pairs.size();
    }
}
