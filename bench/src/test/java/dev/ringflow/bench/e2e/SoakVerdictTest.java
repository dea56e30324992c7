package dev.ringflow.bench.e2e;

import dev.ringflow.bench.TestSeeds;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak's verdict on synthetic series: flat, noisy ones pass; growing heap, RSS, latency or lag fail, each on
 * its own check.
 */
class SoakVerdictTest
{
    private static final double INTERVAL_S = 10;
    private static final double RATE = 75_000;

    /** A synthetic run: each series as a function of the elapsed seconds, plus noise. */
    private static final class Series
    {
        DoubleUnaryOperator heapMb = t -> 40;
        DoubleUnaryOperator rssMb = t -> 700;
        DoubleUnaryOperator rssAnonMb = t -> 500;
        /** Of {@link #rssMb}, the journal's mapped chunks; NaN: not measured. */
        DoubleUnaryOperator journalRssMb = t -> 150;
        DoubleUnaryOperator journalMaps = t -> 2;
        DoubleUnaryOperator latencyMs = t -> 120;
        DoubleUnaryOperator lag = t -> 2_000;
        DoubleUnaryOperator sentRate = t -> RATE;

        List<SoakSample> samples(final double durationS, final Random random)
        {
            final List<SoakSample> samples = new ArrayList<>();
            for (double t = INTERVAL_S; t <= durationS; t += INTERVAL_S)
            {
                final Histogram latencies = new Histogram(3);
                final double centreMs = latencyMs.applyAsDouble(t);
                for (int i = 0; i < 5_000; i++)
                {
                    latencies.recordValue((long)(1_000 * centreMs * (0.5 + random.nextDouble())));
                }
                samples.add(new SoakSample(t, heapMb.applyAsDouble(t) + random.nextGaussian() * 0.3,
                    200 + random.nextDouble() * 100, rssMb.applyAsDouble(t) + random.nextGaussian(),
                    rssAnonMb.applyAsDouble(t) + random.nextGaussian() * 0.5, latencies, (long)(lag.applyAsDouble(t) * random.nextDouble()), 10_000, RATE,
                    sentRate.applyAsDouble(t), 2, 80, journalRssMb.applyAsDouble(t),
                    (int)journalMaps.applyAsDouble(t)));
            }
            return samples;
        }
    }

    @Test
    void shouldPassFlatNoisySeriesOfHalfAnHourAndOfThreeMinutes()
    {
        final Random random = new Random(TestSeeds.seed("shouldPassFlatNoisySeriesOfHalfAnHourAndOfThreeMinutes"));

        final SoakVerdict halfHour = SoakVerdict.judge(new Series().samples(1_800, random), 60,
            SoakVerdict.Limits.defaults());
        final SoakVerdict threeMinutes = SoakVerdict.judge(new Series().samples(180, random), 30,
            SoakVerdict.Limits.defaults());

        assertThat(halfHour.checks()).hasSize(7).allMatch(SoakVerdict.Check::passed);
        assertThat(halfHour.passed()).isTrue();
        assertThat(threeMinutes.checks()).hasSize(7).allMatch(SoakVerdict.Check::passed);
        assertThat(threeMinutes.passed()).isTrue();
    }

    /** The checkpoint-list defect's rate, 6.9 MB per million records, at 75,000 records/s: 0.52 MB/s. */
    @Test
    void shouldFailAHeapGrowingAtTheCheckpointDefectsRateEvenInThreeMinutes()
    {
        final Random random = new Random(TestSeeds.seed("shouldFailAHeapGrowingAtTheCheckpointDefectsRate"));
        final Series leaking = new Series();
        leaking.heapMb = t -> 40 + 6.9 * RATE / 1e6 * t;

        final SoakVerdict verdict = SoakVerdict.judge(leaking.samples(180, random), 30, SoakVerdict.Limits.defaults());

        assertThat(verdict.passed()).isFalse();
        assertThat(failed(verdict)).containsExactly("live heap flat");
    }

    @Test
    void shouldFailASlowHeapLeakOverHalfAnHour()
    {
        final Random random = new Random(TestSeeds.seed("shouldFailASlowHeapLeakOverHalfAnHour"));
        final Series leaking = new Series();
        leaking.heapMb = t -> 40 + 300 * t / 3_600;

        final SoakVerdict verdict = SoakVerdict.judge(leaking.samples(1_800, random), 60,
            SoakVerdict.Limits.defaults());

        assertThat(failed(verdict)).containsExactly("live heap flat");
    }

    @Test
    void shouldFailAStepUpInTheLastMinuteThatTheSlopeAloneWouldMiss()
    {
        final Random random = new Random(TestSeeds.seed("shouldFailAStepUpInTheLastMinute"));
        final Series stepping = new Series();
        stepping.rssMb = t -> t > 1_750 ? 850 : 700;

        final SoakVerdict verdict = SoakVerdict.judge(stepping.samples(1_800, random), 60,
            SoakVerdict.Limits.defaults());

        assertThat(failed(verdict)).containsExactly("RSS bounded");
    }

    /**
     * The 30-minute run of 2026-12-06: VmRSS stepped up by about 80 MB at 19.5 minutes and stayed there, while
     * RssAnon did not move: the size of one more journal chunk staying mapped.
     */
    @Test
    void shouldPassAStepOfTheJournalsMappedChunksButNotTooManyChunks()
    {
        final Random random = new Random(TestSeeds.seed("shouldPassAStepOfTheJournalsMappedChunks"));
        final Series journalStep = new Series();
        journalStep.rssMb = t -> t > 1_170 ? 780 : 700;
        journalStep.journalRssMb = t -> t > 1_170 ? 230 : 150;
        journalStep.journalMaps = t -> t > 1_170 ? 3 : 2;

        assertThat(failed(SoakVerdict.judge(journalStep.samples(1_800, random), 60, SoakVerdict.Limits.defaults())))
            .isEmpty();

        journalStep.journalMaps = t -> t > 1_500 ? 5 : 2;
        assertThat(failed(SoakVerdict.judge(journalStep.samples(1_800, random), 60, SoakVerdict.Limits.defaults())))
            .containsExactly("journal chunks bounded");
    }

    @Test
    void shouldJudgeTheWholeRssWhereTheJournalsChunksWereNotMeasured()
    {
        final Random random = new Random(TestSeeds.seed("shouldJudgeTheWholeRssWhereTheJournalsChunksWereNot"));
        final Series unmeasured = new Series();
        unmeasured.rssMb = t -> t > 1_170 ? 780 : 700;
        unmeasured.journalRssMb = t -> Double.NaN;
        unmeasured.journalMaps = t -> -1;

        assertThat(failed(SoakVerdict.judge(unmeasured.samples(1_800, random), 60, SoakVerdict.Limits.defaults())))
            .containsExactly("RSS bounded");
    }

    @Test
    void shouldFailNativeMemoryGrowingOutsideTheHeap()
    {
        final Random random = new Random(TestSeeds.seed("shouldFailNativeMemoryGrowingOutsideTheHeap"));
        final Series leaking = new Series();
        leaking.rssAnonMb = t -> 500 + 400 * t / 3_600;
        leaking.rssMb = t -> 700 + 400 * t / 3_600;

        final SoakVerdict verdict = SoakVerdict.judge(leaking.samples(1_800, random), 60,
            SoakVerdict.Limits.defaults());

        assertThat(failed(verdict)).containsExactly("anonymous RSS flat", "RSS bounded");
    }

    /** The journal's mapped pages, as a 3-minute run saw them: +6 MB every 10 s, dropping every 100 s. */
    @Test
    void shouldPassTheJournalsSawtoothInRssEvenWhenAShortRunsSecondHalfIsOneRisingEdge()
    {
        final Random random = new Random(TestSeeds.seed("shouldPassTheJournalsSawtooth"));
        final Series sawtooth = new Series();
        sawtooth.rssMb = t -> 770 + 6 * ((long)((t - 110) / INTERVAL_S) % 10 + 10) % 10;

        final SoakVerdict verdict = SoakVerdict.judge(sawtooth.samples(180, random), 30,
            SoakVerdict.Limits.defaults());

        assertThat(failed(verdict)).isEmpty();
    }

    @Test
    void shouldFailLatencyThatKeepsGrowing()
    {
        final Random random = new Random(TestSeeds.seed("shouldFailLatencyThatKeepsGrowing"));
        final Series slowing = new Series();
        slowing.latencyMs = t -> 100 + t / 2;

        final SoakVerdict verdict = SoakVerdict.judge(slowing.samples(1_800, random), 60,
            SoakVerdict.Limits.defaults());

        assertThat(failed(verdict)).containsExactly("latency steady");
    }

    @Test
    void shouldFailLagThatKeepsGrowingAndALoadThatFellBehind()
    {
        final Random random = new Random(TestSeeds.seed("shouldFailLagThatKeepsGrowing"));
        final Series overloaded = new Series();
        overloaded.lag = t -> 1_000 * t;
        overloaded.sentRate = t -> 0.9 * RATE;

        final SoakVerdict verdict = SoakVerdict.judge(overloaded.samples(1_800, random), 60,
            SoakVerdict.Limits.defaults());

        assertThat(failed(verdict)).containsExactly("no lag growth", "load held");
    }

    @Test
    void shouldAllowAShortRunsSlopeItsUncertaintyButNotAClearLeak()
    {
        final Random random = new Random(TestSeeds.seed("shouldAllowAShortRunsSlopeItsUncertainty"));
        final Series jumpy = new Series();
        // Alternating +-10 MB: over the 8 points of the second half the slope is 340 MB/h, by chance.
        jumpy.heapMb = t -> 40 + ((long)(t / INTERVAL_S) % 2 == 0 ? 10 : -10);

        final SoakVerdict verdict = SoakVerdict.judge(jumpy.samples(180, random), 30, SoakVerdict.Limits.defaults());

        assertThat(failed(verdict)).isEmpty();
    }

    /** The live heap moves by a few MB with what is in flight; one busy sample near the end is not growth. */
    @Test
    void shouldPassOneBusyLiveHeapSampleInTheLastMinute()
    {
        final Random random = new Random(TestSeeds.seed("shouldPassOneBusyLiveHeapSampleInTheLastMinute"));
        final Series busyAtTheEnd = new Series();
        busyAtTheEnd.heapMb = t -> t == 170 ? 26 : 20;

        final SoakVerdict verdict = SoakVerdict.judge(busyAtTheEnd.samples(180, random), 30,
            SoakVerdict.Limits.defaults());

        assertThat(failed(verdict)).isEmpty();
    }

    @Test
    void shouldRefuseToJudgeARunWithTooFewSamples()
    {
        final Random random = new Random(TestSeeds.seed("shouldRefuseToJudgeARunWithTooFewSamples"));

        final SoakVerdict verdict = SoakVerdict.judge(new Series().samples(60, random), 30,
            SoakVerdict.Limits.defaults());

        assertThat(verdict.passed()).isFalse();
        assertThat(failed(verdict)).containsExactly("enough samples");
    }

    @Test
    void shouldFitTheSameSlopeAsTheTextbookFormula()
    {
        final Random random = new Random(TestSeeds.seed("shouldFitTheSameSlopeAsTheTextbookFormula"));
        assertThat(SoakVerdict.slope(new double[] { 0, 1, 2, 3 }, new double[] { 2, 5, 8, 11 }))
            .isCloseTo(3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(SoakVerdict.slopeStandardError(new double[] { 0, 1, 2, 3 }, new double[] { 2, 5, 8, 11 }))
            .isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
        for (int run = 0; run < 100; run++)
        {
            final int n = 2 + random.nextInt(50);
            final double[] x = new double[n];
            final double[] y = new double[n];
            double sumX = 0;
            double sumY = 0;
            double sumXy = 0;
            double sumXx = 0;
            for (int i = 0; i < n; i++)
            {
                x[i] = i * 10 + random.nextDouble();
                y[i] = random.nextGaussian() * 100;
                sumX += x[i];
                sumY += y[i];
                sumXy += x[i] * y[i];
                sumXx += x[i] * x[i];
            }
            final double textbook = (n * sumXy - sumX * sumY) / (n * sumXx - sumX * sumX);
            assertThat(SoakVerdict.slope(x, y)).isCloseTo(textbook, org.assertj.core.data.Offset.offset(1e-9));
            if (n > 2)
            {
                // The textbook standard error: sqrt(sum of squared residuals / (n - 2) / sum (x - mean x)^2).
                final double intercept = (sumY - textbook * sumX) / n;
                double squaredResiduals = 0;
                for (int i = 0; i < n; i++)
                {
                    final double residual = y[i] - intercept - textbook * x[i];
                    squaredResiduals += residual * residual;
                }
                final double textbookError = Math.sqrt(squaredResiduals / (n - 2) / (sumXx - sumX * sumX / n));
                assertThat(SoakVerdict.slopeStandardError(x, y)).isCloseTo(textbookError,
                    org.assertj.core.data.Offset.offset(1e-9 * (1 + textbookError)));
            }
        }
    }

    private static List<String> failed(final SoakVerdict verdict)
    {
        return verdict.checks().stream().filter(c -> !c.passed()).map(SoakVerdict.Check::name).toList();
    }
}
