package dev.ringflow.engine.pipeline;

import java.util.BitSet;

/**
 * A CPU list as Linux writes them ({@code taskset -c}, {@code /sys/devices/system/cpu/isolated}): CPU numbers and
 * ranges separated by commas, e.g. {@code 1}, {@code 0,2-3}.
 */
public final class CpuList
{
    private CpuList()
    {
    }

    /**
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static BitSet parse(final String list)
    {
        final BitSet cpus = new BitSet();
        final String text = null == list ? "" : list.trim();
        if (text.isEmpty())
        {
            throw new IllegalArgumentException("expected a CPU list such as 1 or 0,2-3, was empty");
        }
        for (final String part : text.split(","))
        {
            final String item = part.trim();
            final int dash = item.indexOf('-');
            try
            {
                final int from = Integer.parseInt(dash < 0 ? item : item.substring(0, dash).trim());
                final int to = dash < 0 ? from : Integer.parseInt(item.substring(dash + 1).trim());
                if (from < 0 || to < from || to > 4095)
                {
                    throw new NumberFormatException();
                }
                cpus.set(from, to + 1);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("expected a CPU list such as 1 or 0,2-3, was '" + list + "'");
            }
        }
        return cpus;
    }
}
