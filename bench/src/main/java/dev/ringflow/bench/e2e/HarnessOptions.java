package dev.ringflow.bench.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The command line of {@link EndToEndHarness}.
 *
 * @param records   input records preloaded into {@code my-topic}.
 * @param keys      distinct keys ({@code key-0} .. {@code key-(K-1)}).
 * @param scenarios what runs, in this order, in every round.
 * @param repeat    rounds: every scenario runs once per round.
 * @param outDir    where {@code results.md} and the JVMs' logs go.
 * @param jar       {@code ringflow.jar}, as the {@code ringflow} script runs it.
 */
record HarnessOptions(long records, int keys, List<Scenario> scenarios, int repeat, Path outDir, Path jar)
{
    /** 10 M: at 2 M, the JVMs' start-up is a large share of every scenario's time. */
    static final long DEFAULT_RECORDS = 10_000_000;
    static final int DEFAULT_KEYS = 1_000;
    static final Path DEFAULT_JAR = Path.of("tools", "target", "ringflow.jar");
    static final String USAGE = String.join(System.lineSeparator(),
        "Usage: EndToEndHarness [--records N] [--keys K] [--scenarios LIST] [--repeat N] [--out DIR] [--jar FILE]",
        "  --records N       input records (default " + DEFAULT_RECORDS + ")",
        "  --keys K          distinct keys (default " + DEFAULT_KEYS + ")",
        "  --scenarios LIST  comma-separated, run in this order in every round (default " +
            String.join(",", Scenario.DEFAULTS.stream().map(Scenario::key).toList()) + "); also " +
            String.join(", ", Arrays.stream(Scenario.values()).filter(s -> !Scenario.DEFAULTS.contains(s))
                .map(Scenario::key).toList()),
        "  --repeat N        rounds; the tables show each run and the median (default 1)",
        "  --out DIR         results directory (default bench/results/e2e-<date>)",
        "  --jar FILE        the ringflow jar (default " + DEFAULT_JAR + ")");

    /**
     * @return null when {@code --help} was asked for.
     * @throws IllegalArgumentException naming the bad argument.
     */
    static HarnessOptions parse(final String[] args)
    {
        long records = DEFAULT_RECORDS;
        int keys = DEFAULT_KEYS;
        List<Scenario> scenarios = Scenario.DEFAULTS;
        int repeat = 1;
        Path outDir = Path.of("bench", "results", "e2e-" + LocalDate.now());
        Path jar = DEFAULT_JAR;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--records" -> records = parsePositive(arg, value(args, ++i, arg));
                case "--keys" -> keys = (int)Math.min(Integer.MAX_VALUE, parsePositive(arg, value(args, ++i, arg)));
                case "--scenarios" -> scenarios = Scenario.parseList(value(args, ++i, arg));
                case "--repeat" -> repeat = (int)Math.min(1_000, parsePositive(arg, value(args, ++i, arg)));
                case "--out" -> outDir = Path.of(value(args, ++i, arg));
                case "--jar" -> jar = Path.of(value(args, ++i, arg));
                case "--help", "-h" ->
                {
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        return new HarnessOptions(records, keys, scenarios, repeat, outDir, jar);
    }

    /** A harness, its command line parsed. */
    interface Harness
    {
        /** @return true when it passed. */
        boolean run() throws Exception;
    }

    /**
     * The harnesses' {@code main}: parses {@code args} (null standing for {@code --help}), prints {@code usage} on
     * {@code --help}, or with the error on bad usage and exits 2; else runs the harness and exits 0 when it passed, 1
     * when it failed or threw (the stack trace printed).
     *
     * @param name the harness's class name, prefixing a usage error.
     */
    static <O> void runMain(final String name, final String usage, final String[] args,
        final Function<String[], O> parse, final Function<O, Harness> harness)
    {
        final O options;
        try
        {
            options = parse.apply(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(name + ": " + ex.getMessage());
            System.err.println(usage);
            System.exit(2);
            return;
        }
        if (null == options)
        {
            System.out.println(usage);
            return;
        }
        boolean passed = false;
        try
        {
            passed = harness.apply(options).run();
        }
        catch (final Exception ex)
        {
            ex.printStackTrace();
        }
        System.exit(passed ? 0 : 1);
    }

    /** @throws IllegalStateException "{@code jar} not found: build it with {@code build}" when it is not a file. */
    static void requireJar(final Path jar, final String build)
    {
        if (!Files.isRegularFile(jar))
        {
            throw new IllegalStateException(jar + " not found: build it with " + build);
        }
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
