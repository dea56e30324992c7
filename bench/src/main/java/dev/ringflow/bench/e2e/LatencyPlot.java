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
    private static final int HEIGHT = 600;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final double STEP_NINES = 0.02;
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd) };

    private LatencyPlot()
    {
    }

    static void write(final List<LatencyRun.Result> results, final String title, final Path png) throws IOException
    {
        final double maxNines = Math.max(1, Math.ceil(maxNines(results)));
        final double maxMs = niceCeiling(results.stream().mapToDouble(LatencyRun.Result::maxMs).max().orElse(1));

        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
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
            final int yTicks = 5;
            for (int t = 0; t <= yTicks; t++)
            {
                final double ms = maxMs * t / yTicks;
                final int y = TOP + plotHeight - (int)Math.round((double)t / yTicks * plotHeight);
                g.setColor(new Color(0xe0e0e0));
                g.drawLine(LEFT, y, LEFT + plotWidth, y);
                g.setColor(Color.BLACK);
                final String label = formatMs(ms);
                g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
            }
            g.drawRect(LEFT, TOP, plotWidth, plotHeight);
            centered(g, "percentile", LEFT + plotWidth / 2, HEIGHT - 22);
            final Graphics2D rotated = (Graphics2D)g.create();
            rotated.rotate(-Math.PI / 2);
            centered(rotated, "latency (ms), from intended send time to output polled", -(TOP + plotHeight / 2), 22);
            rotated.dispose();

            g.setStroke(new BasicStroke(2f));
            for (int r = 0; r < results.size(); r++)
            {
                final LatencyRun.Result result = results.get(r);
                if (result.micros().getTotalCount() == 0)
                {
                    continue;
                }
                g.setColor(COLORS[r % COLORS.length]);
                final double lastNines = Math.min(maxNines, Math.log10(result.micros().getTotalCount()));
                final Path2D.Double line = new Path2D.Double();
                for (double n = 0; n <= lastNines + 1e-9; n += STEP_NINES)
                {
                    final double ms = result.percentileMs(100 * (1 - Math.pow(10, -n)));
                    final double x = LEFT + n / maxNines * plotWidth;
                    final double y = TOP + plotHeight - Math.min(1, ms / maxMs) * plotHeight;
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
                line.lineTo(xMax, TOP + plotHeight - Math.min(1, result.maxMs() / maxMs) * plotHeight);
                g.draw(line);

                final int legendY = TOP + 20 + r * 18;
                g.drawLine(LEFT + 15, legendY - 4, LEFT + 40, legendY - 4);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%s, %d%% of its throughput: %,d records/s",
                    result.delivery(), result.percent(), result.rate()), LEFT + 48, legendY);
            }
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

    private static double maxNines(final List<LatencyRun.Result> results)
    {
        return results.stream().mapToDouble(r -> Math.log10(Math.max(10, r.micros().getTotalCount()))).max()
            .orElse(1);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value}. */
    static double niceCeiling(final double value)
    {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1e-3))));
        for (final double step : new double[] { 1, 2, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
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
