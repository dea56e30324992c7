package dev.ringflow.bench.e2e;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws latency percentile curves as a PNG with java.awt alone: the x axis is the percentile on a "nines" scale
 * ({@code -log10(1 - p)}: 90% at 1, 99% at 2, 99.9% at 3, ...), the y axis latency in ms, one line per offered
 * rate. Needs no display ({@code -Djava.awt.headless=true} is set by the harness).
 */
final class LatencyPlot
{
    private static final int WIDTH = 960;
    /** The image's height without the legend, which goes below the plot, a line per curve. */
    private static final int HEIGHT = 600;
    private static final int LEGEND_LINE = 18;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final double STEP_NINES = 0.02;
    /** The log axis starts no lower than this. */
    private static final double MIN_MS = 0.1;
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf) };
    private static final BasicStroke SOLID = new BasicStroke(2f);
    /** The forward-loop baseline's curves. */
    private static final BasicStroke DASHED =
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 8f, 5f }, 0f);

    private LatencyPlot()
    {
    }

    static void write(final List<LatencyRun.Result> results, final String title, final Path png) throws IOException
    {
        final double maxNines = Math.max(1, Math.ceil(maxNines(results)));
        // Latency on a log scale, whole decades: the curves span 1 ms (at-least-once) to a second (exactly-once).
        final double lowMs = Math.pow(10, Math.floor(Math.log10(results.stream()
            .mapToDouble(r -> Math.max(MIN_MS, r.micros().getMinValue() / 1e3)).min().orElse(1))));
        final double highMs = Math.pow(10, Math.ceil(Math.log10(Math.max(lowMs * 10,
            results.stream().mapToDouble(LatencyRun.Result::maxMs).max().orElse(1)))));

        final int height = HEIGHT + results.size() * LEGEND_LINE + 10;
        final BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            final int plotWidth = WIDTH - LEFT - RIGHT;
            final int plotHeight = HEIGHT - TOP - BOTTOM;

            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.setColor(Color.BLACK);
            centered(g, title, LEFT + plotWidth / 2, TOP - 20);

            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int n = 0; n <= maxNines; n++)
            {
                final int x = LEFT + (int)Math.round(n / maxNines * plotWidth);
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(x, TOP, x, TOP + plotHeight);
                g.setColor(Color.BLACK);
                centered(g, ninesLabel(n), x, TOP + plotHeight + 18);
            }
            for (double decade = lowMs; decade < highMs * 1.001; decade *= 10)
            {
                for (final int step : new int[] { 1, 2, 5 })
                {
                    final double ms = decade * step;
                    if (ms > highMs * 1.001)
                    {
                        break;
                    }
                    final int y = (int)Math.round(y(ms, lowMs, highMs, plotHeight));
                    g.setColor(new Color(step == 1 ? 0xc8c8c8 : 0xe8e8e8));
                    g.drawLine(LEFT, y, LEFT + plotWidth, y);
                    g.setColor(Color.BLACK);
                    final String label = formatMs(ms);
                    g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
                }
            }
            g.drawRect(LEFT, TOP, plotWidth, plotHeight);
            centered(g, "percentile", LEFT + plotWidth / 2, HEIGHT - 22);
            final Graphics2D rotated = (Graphics2D)g.create();
            rotated.rotate(-Math.PI / 2);
            centered(rotated, "latency (ms, log scale), from intended send time to output polled",
                -(TOP + plotHeight / 2), 22);
            rotated.dispose();

            for (int r = 0; r < results.size(); r++)
            {
                final LatencyRun.Result result = results.get(r);
                if (result.micros().getTotalCount() == 0)
                {
                    continue;
                }
                g.setColor(COLORS[r % COLORS.length]);
                g.setStroke(result.delivery().equals(LatencyRun.FORWARD_LOOP) ? DASHED : SOLID);
                final double lastNines = Math.min(maxNines, Math.log10(result.micros().getTotalCount()));
                final Path2D.Double line = new Path2D.Double();
                for (double n = 0; n <= lastNines + 1e-9; n += STEP_NINES)
                {
                    final double ms = result.percentileMs(100 * (1 - Math.pow(10, -n)));
                    final double x = LEFT + n / maxNines * plotWidth;
                    final double y = y(ms, lowMs, highMs, plotHeight);
                    if (n == 0)
                    {
                        line.moveTo(x, y);
                    }
                    else
                    {
                        line.lineTo(x, y);
                    }
                }
                final double xMax = LEFT + lastNines / maxNines * plotWidth;
                line.lineTo(xMax, y(result.maxMs(), lowMs, highMs, plotHeight));
                g.draw(line);
            }
            legend(g, results, HEIGHT);
        }
        finally
        {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", png.toFile()))
        {
            throw new IOException("no PNG writer available");
        }
    }

    /** One line per result from {@code top} down, below the plot, where it hides no curve. */
    private static void legend(final Graphics2D g, final List<LatencyRun.Result> results, final int top)
    {
        for (int r = 0; r < results.size(); r++)
        {
            final LatencyRun.Result result = results.get(r);
            final String label = String.format(Locale.ROOT, "%s, %d%%: %,d records/s", result.delivery(),
                result.percent(), result.rate());
            final int legendY = top + r * LEGEND_LINE;
            g.setColor(COLORS[r % COLORS.length]);
            g.setStroke(result.delivery().equals(LatencyRun.FORWARD_LOOP) ? DASHED : SOLID);
            g.drawLine(LEFT + 15, legendY - 4, LEFT + 40, legendY - 4);
            g.setColor(Color.BLACK);
            g.drawString(label, LEFT + 48, legendY);
        }
    }

    private static double maxNines(final List<LatencyRun.Result> results)
    {
        return results.stream().mapToDouble(r -> Math.log10(Math.max(10, r.micros().getTotalCount()))).max()
            .orElse(1);
    }

    /** The pixel row of {@code ms} on the log axis from {@code lowMs} (bottom) to {@code highMs} (top). */
    private static double y(final double ms, final double lowMs, final double highMs, final int plotHeight)
    {
        final double clamped = Math.min(highMs, Math.max(lowMs, ms));
        return TOP + plotHeight - Math.log10(clamped / lowMs) / Math.log10(highMs / lowMs) * plotHeight;
    }

    static String ninesLabel(final int nines)
    {
        return switch (nines)
        {
            case 0 -> "0%";
            case 1 -> "90%";
            case 2 -> "99%";
            default -> "99." + "9".repeat(nines - 2) + "%";
        };
    }

    private static String formatMs(final double ms)
    {
        return ms == Math.rint(ms) ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }

    private static void centered(final Graphics2D g, final String text, final int x, final int y)
    {
        final FontMetrics metrics = g.getFontMetrics();
        g.drawString(text, x - metrics.stringWidth(text) / 2, y);
    }
}
