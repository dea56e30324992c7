package dev.ringflow.bench.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link RecoveryTimeHarness}.
 *
 * @param records  records preloaded and journaled before the first crash.
 * @param keys     distinct keys ({@code key-0} .. {@code key-(K-1)}).
 * @param restarts SIGKILL and restart cycles measured.
 * @param jar      the daemon's jar.
 * @param outFile  where the Markdown results go.
 * @param notes    lines for the results, e.g. what else ran on the machine.
 */
record RecoveryOptions(long records, int keys, int restarts, Path jar, Path outFile, List<String> notes)
{
    static final long DEFAULT_RECORDS = 10_000_000;
    static final int DEFAULT_KEYS = 1_000;
    static final int DEFAULT_RESTARTS = 3;
    static final int MAX_RESTARTS = 100;
    static final String USAGE = String.join(System.lineSeparator(),
        "Usage: RecoveryTimeHarness [--records N] [--keys K] [--restarts R] [--jar FILE] [--out FILE] [--note TEXT]",
        "  --records N  records preloaded and journaled before the first crash (default " + DEFAULT_RECORDS + ")",
        "  --keys K     distinct keys (default " + DEFAULT_KEYS + ")",
        "  --restarts R SIGKILL + restart cycles measured (default " + DEFAULT_RESTARTS + ")",
        "  --jar FILE   the daemon's jar (default tools/target/ringflow.jar)",
        "  --out FILE   the Markdown results (default docs/performance/recovery-results.md)",
        "  --note TEXT  a line for the results, e.g. what else ran on the machine (repeatable)");

    /**
     * @return null when {@code --help} was asked for.
     * @throws IllegalArgumentException naming the bad argument.
     */
    static RecoveryOptions parse(final String[] args)
    {
        long records = DEFAULT_RECORDS;
        int keys = DEFAULT_KEYS;
        int restarts = DEFAULT_RESTARTS;
        Path jar = Path.of("tools", "target", "ringflow.jar");
        Path outFile = Path.of("docs", "performance", "recovery-results.md");
        final List<String> notes = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--records" -> records = HarnessOptions.parsePositive(arg, HarnessOptions.value(args, ++i, arg));
                case "--keys" -> keys = (int)Math.min(Integer.MAX_VALUE,
                    HarnessOptions.parsePositive(arg, HarnessOptions.value(args, ++i, arg)));
                case "--restarts" -> restarts = (int)Math.min(MAX_RESTARTS,
                    HarnessOptions.parsePositive(arg, HarnessOptions.value(args, ++i, arg)));
                case "--jar" -> jar = Path.of(HarnessOptions.value(args, ++i, arg));
                case "--out" -> outFile = Path.of(HarnessOptions.value(args, ++i, arg));
                case "--note" -> notes.add(HarnessOptions.value(args, ++i, arg));
                case "--help", "-h" ->
                {
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        return new RecoveryOptions(records, keys, restarts, jar, outFile, List.copyOf(notes));
    }
}
