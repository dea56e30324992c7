package dev.ringflow.bench.e2e;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Whether a soak stayed steady: over the samples after the warm-up, live heap and anonymous RSS flat (the slope of
 * a least-squares line over the second half not significantly above a bound in MB per hour, and the last minute's
 * maximum within a share of the first minute's), RSS bounded (without the journal's mapped chunks, its last
 * minute's maximum within that share; the chunks themselves few), latency steady (the p99 of the last third within a
 * factor of the first third's), consumer lag not growing, and the load generator keeping its rate. The harness adds its own checks (outputs
 * verified, the daemon's exit) with {@link #add(Check)}.
 */
final class SoakVerdict
{
    private static final double SECONDS_PER_HOUR = 3_600;
    /** The "first minute" and "last minute" windows, shorter when the run after the warm-up is under 3 minutes. */
    private static final double MINUTE_S = 60;
    private static final int MIN_SAMPLES = 6;
    /** Journal chunks mapped at once at most: see {@link #journalMapsBounded}. */
    private static final int MAX_JOURNAL_MAPS = 4;
    /**
     * Standard errors a slope may lie above its bound: 3, so a flat series with normal noise rarely fails by chance
     * (one-sided, about 1% with the 8 points of a 3-minute run's second half, 0.1% with many).
     */
    private static final double SIGNIFICANCE = 3;

    /**
     * The bounds.
     *
     * @param heapSlopeMbPerHour bound on the live heap's slope over the second half.
     * @param rssSlopeMbPerHour  bound on the anonymous RSS's slope over the second half.
     * @param heapMinuteGrowth   the live heap's last-minute maximum may exceed the first minute's by this share.
     * @param rssMinuteGrowth    the same for RSS and anonymous RSS (0.1 = 10%).
     * @param latencyFactor      the last third's p99 may be this many times the first third's.
     * @param lagFloorS          lag below this many seconds of offered load always passes (the lag is sampled at
     *                           one instant, and a poll or a commit moves thousands of records at once).
     * @param minRateShare       the achieved rate must be at least this share of the offered rate.
     */
    record Limits(double heapSlopeMbPerHour, double rssSlopeMbPerHour, double heapMinuteGrowth,
        double rssMinuteGrowth, double latencyFactor, double lagFloorS, double minRateShare)
    {
        /**
         * The live heap's share is wide because the heap is small: about 20 MB that moves by 3-6 MB with what is in
         * flight (fetched records, producer batches), so 10% would fail on one busy sample in the last minute.
         */
        static Limits defaults()
        {
            return new Limits(200, 400, 0.5, 0.10, 2.0, 1.0, 0.98);
        }
    }

    /** One criterion, its outcome and the figures behind it. */
    record Check(String name, boolean passed, String detail)
    {
    }

    private final List<Check> checks = new ArrayList<>();

    private SoakVerdict()
    {
    }

    /**
     * @param samples  every sample of the run, in order.
     * @param warmUpS  samples at or before this many seconds are not judged.
     */
    static SoakVerdict judge(final List<SoakSample> samples, final double warmUpS, final Limits limits)
    {
        final SoakVerdict verdict = new SoakVerdict();
        final List<SoakSample> judged = samples.stream().filter(s -> s.elapsedS() > warmUpS).toList();
        if (judged.size() < MIN_SAMPLES)
        {
            verdict.add(new Check("enough samples", false, judged.size() + " samples after the warm-up of " +
                warmUpS + " s; at least " + MIN_SAMPLES + " are needed: run longer"));
            return verdict;
        }
        verdict.add(flat("live heap flat", judged, SoakSample::liveHeapMb, limits.heapSlopeMbPerHour(),
            limits.heapMinuteGrowth()));
        verdict.add(flat("anonymous RSS flat", judged, SoakSample::rssAnonMb, limits.rssSlopeMbPerHour(),
            limits.rssMinuteGrowth()));
        // VmRSS also holds the written pages of the journal's mapped chunks, a sawtooth with the appender's chunk
        // and a step of up to 80 MB whenever one more chunk stays mapped (the file's first one always does):
        // the rest is judged by its maxima (a least-squares line would read a rising edge as growth), the journal's
        // part by the number of chunks mapped, which bounds it.
        verdict.add(flat("RSS bounded", judged, SoakSample::rssWithoutJournalMb, Double.NaN,
            limits.rssMinuteGrowth()));
        verdict.add(journalMapsBounded(judged));
        verdict.add(latencySteady(judged, limits));
        verdict.add(lagSteady(judged, limits));
        verdict.add(rateHeld(judged, limits));
        return verdict;
    }

    void add(final Check check)
    {
        checks.add(check);
    }

    List<Check> checks()
    {
        return List.copyOf(checks);
    }

    boolean passed()
    {
        return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
    }

    /** The slope of the least-squares line through {@code (x[i], y[i])}; 0 for fewer than two distinct x. */
    static double slope(final double[] x, final double[] y)
    {
        final double meanX = mean(x);
        final double meanY = mean(y);
        double covariance = 0;
        for (int i = 0; i < x.length; i++)
        {
            covariance += (x[i] - meanX) * (y[i] - meanY);
        }
        final double spreadX = squaredDeviations(x, meanX);
        return spreadX == 0 ? 0 : covariance / spreadX;
    }

    /**
     * The standard error of {@link #slope}: the residuals' spread over the spread of x; 0 for an exact line, NaN for
     * fewer than three points.
     */
    static double slopeStandardError(final double[] x, final double[] y)
    {
        final int n = x.length;
        final double meanX = mean(x);
        final double spreadX = squaredDeviations(x, meanX);
        if (n < 3 || spreadX == 0)
        {
            return Double.NaN;
        }
        final double slope = slope(x, y);
        final double meanY = mean(y);
        double residuals = 0;
        for (int i = 0; i < n; i++)
        {
            final double residual = y[i] - (meanY + slope * (x[i] - meanX));
            residuals += residual * residual;
        }
        return Math.sqrt(residuals / (n - 2) / spreadX);
    }

    private static double mean(final double[] values)
    {
        double sum = 0;
        for (final double value : values)
        {
            sum += value;
        }
        return sum / values.length;
    }

    private static double squaredDeviations(final double[] values, final double mean)
    {
        double sum = 0;
        for (final double value : values)
        {
            sum += (value - mean) * (value - mean);
        }
        return sum;
    }

    private static Check flat(final String name, final List<SoakSample> judged,
        final ToDoubleFunction<SoakSample> metric, final double slopeBound, final double minuteGrowth)
    {
        final List<SoakSample> secondHalf = judged.subList(judged.size() / 2, judged.size());
        final double[] x = secondHalf.stream().mapToDouble(SoakSample::elapsedS).toArray();
        final double[] y = secondHalf.stream().mapToDouble(metric).toArray();
        final double perHour = slope(x, y) * SECONDS_PER_HOUR;
        // A short run's slope is uncertain (RSS moves by tens of MB as the journal's mapped pages come and go): the
        // bound holds when the slope is not significantly above it.
        final double errorPerHour = slopeStandardError(x, y) * SECONDS_PER_HOUR;
        final double window = minuteWindow(judged);
        final double firstEnd = judged.get(0).elapsedS() + window;
        final double lastStart = judged.get(judged.size() - 1).elapsedS() - window;
        final double firstMax = judged.stream().filter(s -> s.elapsedS() < firstEnd).mapToDouble(metric).max()
            .orElse(Double.NaN);
        final double lastMax = judged.stream().filter(s -> s.elapsedS() > lastStart).mapToDouble(metric).max()
            .orElse(Double.NaN);
        final double growth = lastMax / firstMax - 1;
        final boolean judgeSlope = !Double.isNaN(slopeBound);
        final boolean passed = (!judgeSlope || perHour - SIGNIFICANCE * errorPerHour <= slopeBound) &&
            growth <= minuteGrowth;
        return new Check(name, passed, String.format(Locale.ROOT, "%.1f-%.1f MB after the warm-up; slope over the " +
            "second half %+.1f ± %.1f MB/h (%s); max of the last %.0f s %.1f MB against %.1f MB in the first " +
            "(%+.1f%%, bound %+.0f%%)", min(judged, metric), max(judged, metric), perHour, errorPerHour,
            judgeSlope ? String.format(Locale.ROOT, "bound %.0f, minus %.0f standard errors", slopeBound,
            SIGNIFICANCE) : "not judged", window, lastMax, firstMax, 100 * growth, 100 * minuteGrowth));
    }

    /**
     * The journal's mapped chunks stay few: the file's first, the one being written and the next while the appender
     * moves on, and one more that a 30-minute run's step suggests.
     */
    private static Check journalMapsBounded(final List<SoakSample> judged)
    {
        final int most = judged.stream().mapToInt(SoakSample::journalMaps).max().orElse(-1);
        if (most < 0)
        {
            return new Check("journal chunks bounded", true, "not measured (no /proc/<pid>/smaps): RSS bounded " +
                "then judges the whole VmRSS");
        }
        return new Check("journal chunks bounded", most <= MAX_JOURNAL_MAPS, String.format(Locale.ROOT,
            "at most %d chunks of journal files mapped (bound %d), holding %.1f-%.1f MB resident", most,
            MAX_JOURNAL_MAPS, min(judged, SoakSample::journalRssMb), max(judged, SoakSample::journalRssMb)));
    }

    private static Check latencySteady(final List<SoakSample> judged, final Limits limits)
    {
        final Histogram first = merged(firstThird(judged));
        final Histogram last = merged(lastThird(judged));
        if (first.getTotalCount() == 0 || last.getTotalCount() == 0)
        {
            return new Check("latency steady", false, "no output was read in the first or the last third");
        }
        final double firstP99 = first.getValueAtPercentile(99) / 1e3;
        final double lastP99 = last.getValueAtPercentile(99) / 1e3;
        final boolean passed = lastP99 <= limits.latencyFactor() * firstP99;
        return new Check("latency steady", passed, String.format(Locale.ROOT, "p99 %.1f ms in the last third " +
            "against %.1f ms in the first (x%.2f, bound x%.1f); p99.9 %.1f against %.1f ms", lastP99, firstP99,
            lastP99 / firstP99, limits.latencyFactor(), last.getValueAtPercentile(99.9) / 1e3,
            first.getValueAtPercentile(99.9) / 1e3));
    }

    private static Check lagSteady(final List<SoakSample> judged, final Limits limits)
    {
        if (judged.stream().anyMatch(s -> s.consumerLag() < 0))
        {
            return new Check("no lag growth", false, "the daemon's consumer lag was not known in every sample");
        }
        final double firstMax = firstThird(judged).stream().mapToLong(SoakSample::consumerLag).max().orElse(0);
        final double lastMax = lastThird(judged).stream().mapToLong(SoakSample::consumerLag).max().orElse(0);
        final double floor = limits.lagFloorS() * judged.stream().mapToDouble(SoakSample::offeredRate).max()
            .orElse(0);
        final double bound = Math.max(floor, limits.latencyFactor() * firstMax);
        return new Check("no lag growth", lastMax <= bound, String.format(Locale.ROOT, "consumer lag at most %,.0f " +
            "records in the last third, %,.0f in the first (bound %,.0f: x%.1f the first, or %.1f s of offered " +
            "load)", lastMax, firstMax, bound, limits.latencyFactor(), limits.lagFloorS()));
    }

    private static Check rateHeld(final List<SoakSample> judged, final Limits limits)
    {
        final double offered = judged.stream().mapToDouble(SoakSample::offeredRate).average().orElse(0);
        final double achieved = judged.stream().mapToDouble(SoakSample::achievedRate).average().orElse(0);
        final double senderLagMs = judged.stream().mapToDouble(SoakSample::senderLagMs).max().orElse(0);
        return new Check("load held", achieved >= limits.minRateShare() * offered, String.format(Locale.ROOT,
            "sent %,.0f records/s on average against %,.0f offered (bound %.0f%%); the sender fell behind its " +
            "schedule by %.0f ms at worst", achieved, offered, 100 * limits.minRateShare(), senderLagMs));
    }

    private static double minuteWindow(final List<SoakSample> judged)
    {
        final double span = judged.get(judged.size() - 1).elapsedS() - judged.get(0).elapsedS();
        return Math.min(MINUTE_S, span / 3);
    }

    private static List<SoakSample> firstThird(final List<SoakSample> judged)
    {
        return judged.subList(0, judged.size() / 3);
    }

    private static List<SoakSample> lastThird(final List<SoakSample> judged)
    {
        return judged.subList(judged.size() - judged.size() / 3, judged.size());
    }

    private static Histogram merged(final List<SoakSample> samples)
    {
        final Histogram merged = new Histogram(3);
        merged.setAutoResize(true);
        samples.forEach(s -> merged.add(s.latencyMicros()));
        return merged;
    }

    private static double min(final List<SoakSample> samples, final ToDoubleFunction<SoakSample> metric)
    {
        return samples.stream().mapToDouble(metric).min().orElse(Double.NaN);
    }

    private static double max(final List<SoakSample> samples, final ToDoubleFunction<SoakSample> metric)
    {
        return samples.stream().mapToDouble(metric).max().orElse(Double.NaN);
    }
}
