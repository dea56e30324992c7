package dev.ringflow.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;

/**
 * The command line of {@link EndToEndHarness}.
 *
 * @param records     input records preloaded into {@code my-topic}.
 * @param keys        distinct keys ({@code key-0} .. {@code key-(K-1)}).
 * @param outDir      where {@code results.md} and {@code latency.png} go.
 * @param quick       a short run: fewer records, shorter latency runs.
 * @param latencyTime how long each latency run offers load.
 */
record HarnessOptions(long records, int keys, Path outDir, boolean quick, Duration latencyTime)
{
    static final long DEFAULT_RECORDS = 5_000_000;
    static final long QUICK_RECORDS = 500_000;
    static final int DEFAULT_KEYS = 1_000;
    static final String USAGE = String.join(System.lineSeparator(),
        "Usage: EndToEndHarness [--records N] [--keys K] [--out DIR] [--quick]",
        "  --records N  input records (default " + DEFAULT_RECORDS + ", with --quick " + QUICK_RECORDS + ")",
        "  --keys K     distinct keys (default " + DEFAULT_KEYS + ")",
        "  --out DIR    results directory (default bench/results/e2e-<date>)",
        "  --quick      fewer records and 3 s latency runs instead of 10 s");

    /**
     * @return null when {@code --help} was asked for.
     * @throws IllegalArgumentException naming the bad argument.
     */
    static HarnessOptions parse(final String[] args)
    {
        Long records = null;
        int keys = DEFAULT_KEYS;
        Path outDir = Path.of("bench", "results", "e2e-" + LocalDate.now());
        boolean quick = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--records" -> records = parsePositive(arg, value(args, ++i, arg));
                case "--keys" -> keys = (int)Math.min(Integer.MAX_VALUE, parsePositive(arg, value(args, ++i, arg)));
                case "--out" -> outDir = Path.of(value(args, ++i, arg));
                case "--quick" -> quick = true;
                case "--help", "-h" ->
                {
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        final long chosenRecords = null != records ? records : quick ? QUICK_RECORDS : DEFAULT_RECORDS;
        return new HarnessOptions(chosenRecords, keys, outDir, quick, Duration.ofSeconds(quick ? 3 : 10));
    }

    /** The value after option {@code option} at {@code index}: shared by the harnesses' command lines. */
    static String value(final String[] args, final int index, final String option)
    {
        if (index >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    static long parsePositive(final String option, final String text)
    {
        final long value;
        try
        {
            value = Long.parseLong(text.replace("_", "").replace(",", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " expects an integer, was '" + text + "'", ex);
        }
        if (value < 1)
        {
            throw new IllegalArgumentException(option + " must be >= 1, was " + value);
        }
        return value;
    }
}
