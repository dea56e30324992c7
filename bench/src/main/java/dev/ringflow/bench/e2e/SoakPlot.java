package dev.ringflow.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Draws the soak's samples as one SVG of stacked panels over time (memory, latency, lag, rate), in
 * {@link LatencyPlot}'s palette and layout: a title, grey grid lines, a legend line per curve. The warm-up, which the
 * verdict does not judge, is shaded.
 */
final class SoakPlot
{
    private static final int WIDTH = 960;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int PANEL_HEIGHT = 170;
    private static final int PANEL_GAP = 70;
    private static final int GRID_LINES = 4;
    private static final String[] COLORS = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728" };

    /** One curve: its legend and how to read it from a sample. */
    private record Curve(String label, ToDoubleFunction<SoakSample> value)
    {
    }

    private record Panel(String title, List<Curve> curves)
    {
    }

    private SoakPlot()
    {
    }

    static void write(final List<SoakSample> samples, final double warmUpS, final String title, final Path svg)
        throws IOException
    {
        final List<Panel> panels = List.of(
            new Panel("daemon live heap (MB, after a forced full GC)", List.of(new Curve("live heap",
                SoakSample::liveHeapMb))),
            new Panel("daemon resident set (MB)", List.of(new Curve("RSS (VmRSS)", SoakSample::rssMb),
                new Curve("anonymous RSS (RssAnon)", SoakSample::rssAnonMb))),
            new Panel("end-to-end latency per interval (ms, read_committed, from intended send time)", List.of(
                new Curve("p99", s -> s.latencyMs(99)), new Curve("p99.9", s -> s.latencyMs(99.9)))),
            new Panel("records behind", List.of(new Curve("daemon consumer lag", s -> s.consumerLag() < 0 ?
                Double.NaN : s.consumerLag()), new Curve("in flight (sent, output not yet read)",
                SoakSample::inFlight))),
            new Panel("records/s", List.of(new Curve("offered", SoakSample::offeredRate),
                new Curve("sent", SoakSample::achievedRate))));
        final double endS = Math.max(1, samples.stream().mapToDouble(SoakSample::elapsedS).max().orElse(1));
        final int height = TOP + panels.size() * (PANEL_HEIGHT + PANEL_GAP);
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" " +
            "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
            WIDTH, height));
        text(out, WIDTH / 2, 25, "middle", "font-size=\"15\" font-weight=\"bold\"", title);
        for (int p = 0; p < panels.size(); p++)
        {
            panel(out, panels.get(p), samples, warmUpS, endS, TOP + p * (PANEL_HEIGHT + PANEL_GAP));
        }
        out.append("</svg>\n");
        Files.writeString(svg, out.toString(), StandardCharsets.UTF_8);
    }

    private static void panel(final StringBuilder out, final Panel panel, final List<SoakSample> samples,
        final double warmUpS, final double endS, final int top)
    {
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final double high = niceCeiling(panel.curves().stream().flatMap(c -> samples.stream().map(s ->
            c.value().applyAsDouble(s))).filter(v -> !Double.isNaN(v)).mapToDouble(Double::doubleValue).max()
            .orElse(1));
        text(out, LEFT, top - 6, "start", "font-weight=\"bold\"", panel.title());
        out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" " +
            "fill=\"#f0f0f0\"/>%n", LEFT, top, Math.min(1, warmUpS / endS) * plotWidth, PANEL_HEIGHT));
        for (int g = 0; g <= GRID_LINES; g++)
        {
            final double value = high * g / GRID_LINES;
            final double y = top + PANEL_HEIGHT - (double)PANEL_HEIGHT * g / GRID_LINES;
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" " +
                "stroke=\"#e0e0e0\"/>%n", LEFT, y, LEFT + plotWidth, y));
            text(out, LEFT - 8, (int)Math.round(y) + 4, "end", "", String.format(Locale.ROOT, "%,.0f", value));
        }
        final double stepMin = Math.max(1, Math.ceil(endS / 60 / 10));
        for (double minute = 0; minute <= endS / 60 + 1e-9; minute += stepMin)
        {
            final double x = LEFT + minute * 60 / endS * plotWidth;
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" " +
                "stroke=\"#e0e0e0\"/>%n", x, top, x, top + PANEL_HEIGHT));
            text(out, (int)Math.round(x), top + PANEL_HEIGHT + 16, "middle", "",
                String.format(Locale.ROOT, "%.0f min", minute));
        }
        out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" " +
            "stroke=\"black\"/>%n", LEFT, top, plotWidth, PANEL_HEIGHT));
        for (int c = 0; c < panel.curves().size(); c++)
        {
            final Curve curve = panel.curves().get(c);
            final StringBuilder points = new StringBuilder();
            for (final SoakSample sample : samples)
            {
                final double value = curve.value().applyAsDouble(sample);
                if (Double.isNaN(value))
                {
                    continue;
                }
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + sample.elapsedS() / endS * plotWidth,
                    top + PANEL_HEIGHT - Math.min(1, value / high) * PANEL_HEIGHT));
            }
            out.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" " +
                "points=\"%s\"/>%n", COLORS[c % COLORS.length], points.toString().trim()));
            final int legendX = LEFT + 10 + c * 260;
            final int legendY = top + PANEL_HEIGHT + 36;
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" " +
                "stroke-width=\"2\"/>%n", legendX, legendY - 4, legendX + 25, legendY - 4, COLORS[c % COLORS.length]));
            text(out, legendX + 32, legendY, "start", "", curve.label());
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value} (and above 0). */
    static double niceCeiling(final double value)
    {
        if (!(value > 0))
        {
            return 1;
        }
        final double decade = Math.pow(10, Math.floor(Math.log10(value)));
        for (final double step : new double[] { 1, 2, 5, 10 })
        {
            if (step * decade >= value)
            {
                return step * decade;
            }
        }
        return 10 * decade;
    }

    private static void text(final StringBuilder out, final int x, final int y, final String anchor,
        final String attributes, final String text)
    {
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" %s>%s</text>%n", x, y,
            anchor, attributes, text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")));
    }
}
