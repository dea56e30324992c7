package dev.ringflow.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line of {@link SoakHarness}.
 *
 * @param duration           how long the load runs.
 * @param rate               offered records per second, or 0 for {@code percent} of the maximum.
 * @param maxRate            the maximum rate, or 0 to measure it first (calibration).
 * @param percent            the share of the maximum offered when {@code rate} is 0.
 * @param calibrationRecords records preloaded and drained to measure the maximum.
 * @param keys               distinct keys ({@code key-0} .. {@code key-(K-1)}).
 * @param bootstrapServers   an existing Kafka, or null for an embedded broker.
 * @param jar                the daemon's jar.
 * @param outDir             where the CSV, the SVG and the Markdown verdict go.
 * @param prefix             their file name without extension.
 * @param interval           time between samples.
 * @param warmUp             samples up to this time are plotted but not judged.
 * @param daemonJvmOptions   extra options for the daemon's JVM (e.g. {@code -Xmx512m}).
 * @param notes              lines for the results, e.g. what else ran on the machine.
 */
record SoakOptions(Duration duration, long rate, long maxRate, int percent, long calibrationRecords, int keys,
    String bootstrapServers, Path jar, Path outDir, String prefix, Duration interval, Duration warmUp,
    List<String> daemonJvmOptions, List<String> notes)
{
    static final Duration DEFAULT_DURATION = Duration.ofMinutes(30);
    static final int DEFAULT_PERCENT = 50;
    static final long DEFAULT_CALIBRATION_RECORDS = 3_000_000;
    static final int DEFAULT_KEYS = 1_000;
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    static final Duration MAX_WARM_UP = Duration.ofMinutes(1);
    /**
     * A fixed, pre-touched heap: with a growable heap, G1 shrinks it after every forced collection and grows it
     * again, and that sawtooth (150-200 MB here) would hide what the RSS is meant to show, the daemon's memory
     * outside the heap.
     */
    static final List<String> DEFAULT_DAEMON_JVM_OPTIONS = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");
    static final String USAGE = String.join(System.lineSeparator(),
        "Usage: SoakHarness [--duration D] [--rate R | --max-rate M [--percent P]] [--keys K] [options]",
        "  --duration D            how long the load runs: 30m, 3m, 90s, 1h (default 30m)",
        "  --rate R                offered records/s (default: --percent of the maximum)",
        "  --max-rate M            the maximum records/s (default: measured first by draining a backlog)",
        "  --percent P             the share of the maximum offered, 1-100 (default " + DEFAULT_PERCENT + ")",
        "  --calibration-records N backlog drained to measure the maximum (default " + DEFAULT_CALIBRATION_RECORDS +
            ")",
        "  --keys K                distinct keys (default " + DEFAULT_KEYS + ")",
        "  --bootstrap-servers S   an existing Kafka (default: an embedded broker in this JVM)",
        "  --jar FILE              the daemon's jar (default tools/target/ringflow.jar)",
        "  --out DIR               results directory (default bench/results/soak-<date>)",
        "  --prefix NAME           results file names, NAME.csv, NAME.svg, NAME.md (default soak-<duration>)",
        "  --interval D            time between samples (default 10s)",
        "  --warm-up D             not judged at the start (default a sixth of the duration, at most 1m)",
        "  --daemon-jvm-option O   an option for the daemon's JVM, repeatable; any replace the default",
        "                          " + String.join(" ", DEFAULT_DAEMON_JVM_OPTIONS),
        "  --note TEXT             a line for the results, e.g. what else ran on the machine (repeatable)");

    /**
     * @return null when {@code --help} was asked for.
     * @throws IllegalArgumentException naming the bad argument.
     */
    static SoakOptions parse(final String[] args)
    {
        Duration duration = DEFAULT_DURATION;
        long rate = 0;
        long maxRate = 0;
        int percent = DEFAULT_PERCENT;
        long calibrationRecords = DEFAULT_CALIBRATION_RECORDS;
        int keys = DEFAULT_KEYS;
        String servers = null;
        Path jar = Path.of("tools", "target", "ringflow.jar");
        Path outDir = Path.of("bench", "results", "soak-" + LocalDate.now());
        String prefix = null;
        Duration interval = DEFAULT_INTERVAL;
        Duration warmUp = null;
        final List<String> jvmOptions = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--duration" -> duration = parseDuration(arg, HarnessOptions.value(args, ++i, arg));
                case "--rate" -> rate = positive(args, ++i, arg);
                case "--max-rate" -> maxRate = positive(args, ++i, arg);
                case "--percent" -> percent = (int)Math.min(100, positive(args, ++i, arg));
                case "--calibration-records" -> calibrationRecords = positive(args, ++i, arg);
                case "--keys" -> keys = (int)Math.min(Integer.MAX_VALUE, positive(args, ++i, arg));
                case "--bootstrap-servers" -> servers = HarnessOptions.value(args, ++i, arg);
                case "--jar" -> jar = Path.of(HarnessOptions.value(args, ++i, arg));
                case "--out" -> outDir = Path.of(HarnessOptions.value(args, ++i, arg));
                case "--prefix" -> prefix = HarnessOptions.value(args, ++i, arg);
                case "--interval" -> interval = parseDuration(arg, HarnessOptions.value(args, ++i, arg));
                case "--warm-up" -> warmUp = parseDuration(arg, HarnessOptions.value(args, ++i, arg));
                case "--daemon-jvm-option" -> jvmOptions.add(HarnessOptions.value(args, ++i, arg));
                case "--note" -> notes.add(HarnessOptions.value(args, ++i, arg));
                case "--help", "-h" ->
                {
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (0 != rate && 0 != maxRate)
        {
            throw new IllegalArgumentException("give --rate or --max-rate, not both");
        }
        final Duration chosenWarmUp = null != warmUp ? warmUp :
            duration.dividedBy(6).compareTo(MAX_WARM_UP) > 0 ? MAX_WARM_UP : duration.dividedBy(6);
        return new SoakOptions(duration, rate, maxRate, percent, calibrationRecords, keys, servers, jar, outDir,
            null != prefix ? prefix : "soak-" + format(duration), interval, chosenWarmUp,
            jvmOptions.isEmpty() ? DEFAULT_DAEMON_JVM_OPTIONS : List.copyOf(jvmOptions), List.copyOf(notes));
    }

    /** {@code 30m}, {@code 90s}, {@code 1h}, {@code 500ms}; a bare number is seconds. */
    static Duration parseDuration(final String option, final String text)
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        final int unitAt = t.replaceAll("[a-z]+$", "").length();
        final long amount;
        try
        {
            amount = Long.parseLong(t.substring(0, unitAt));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " expects a duration such as 30m, 90s or 1h, was '" + text +
                "'", ex);
        }
        final Duration duration = switch (t.substring(unitAt))
        {
            case "", "s" -> Duration.ofSeconds(amount);
            case "ms" -> Duration.ofMillis(amount);
            case "m", "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException(option + ": unknown unit in '" + text + "' (ms, s, m, h)");
        };
        if (duration.isNegative() || duration.isZero())
        {
            throw new IllegalArgumentException(option + " must be positive, was '" + text + "'");
        }
        return duration;
    }

    /** {@code 30m}, {@code 90s}: how the default file names and the report name a duration. */
    static String format(final Duration duration)
    {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + "m" : duration.toSeconds() + "s";
    }

    private static long positive(final String[] args, final int index, final String option)
    {
        return HarnessOptions.parsePositive(option, HarnessOptions.value(args, index, option));
    }
}
