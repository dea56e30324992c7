package dev.ringflow.bench.windows;

import dev.ringflow.windows.Aggregation;
import dev.ringflow.windows.EventTimeWindows;
import dev.ringflow.windows.SessionWindowAggregator;
import dev.ringflow.windows.TimeWindowAggregator;
import dev.ringflow.windows.ValueKind;
import dev.ringflow.windows.WindowListener;
import dev.ringflow.windows.WindowResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per element of event-time windows over 1,000 keys with mildly out-of-order timestamps (one element
 * per millisecond overall, so a window of {@code sizeMs} holds about {@code sizeMs / 1000} elements per key),
 * firing included, for each kind, window size and aggregation set.
 * <pre>
 * java -jar bench/target/benchmarks.jar EventTimeWindowBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EventTimeWindowBenchmark
{
    private static final int EVENTS = 1 << 20;
    private static final int KEYS = 1_000;

    /** tumbling: windows of sizeMs; hopping: sizeMs every sizeMs / 4; session: a gap of sizeMs / 10. */
    @Param({ "tumbling", "hopping", "session" })
    String kind;

    /** Window size in ms: about 1, 10 and 100 elements per key per window. */
    @Param({ "1000", "10000", "100000" })
    long sizeMs;

    /**
     * Which aggregations the window computes: the cheapest or all of them by default; {@code -p
     * aggregations=SUM,MAX,VARIANCE,ALL} adds a monotonic and a two-moment one (the table in docs/performance.md), left out of the
     * default to keep the short suite well under 10 minutes.
     */
    @Param({ "SUM", "ALL" })
    String aggregations;

    private int[] keyIds;
    private long[] times;
    private long[] values;
    private long timeOffset;
    private int next;
    private EventTimeWindows window;
    private long fired;
    private final WindowListener listener = this::onWindow;

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        keyIds = new int[EVENTS];
        times = new long[EVENTS];
        values = new long[EVENTS];
        for (int i = 0; i < EVENTS; i++)
        {
            keyIds[i] = random.nextInt(KEYS);
            times[i] = i - random.nextInt(50);
            values[i] = random.nextInt(2_000_001) - 1_000_000;
        }
        final EnumSet<Aggregation> chosen = "ALL".equals(aggregations) ? EnumSet.allOf(Aggregation.class) :
            EnumSet.of(Aggregation.valueOf(aggregations));
        switch (kind)
        {
            case "tumbling":
                window = new TimeWindowAggregator(sizeMs, sizeMs, 100, 0, ValueKind.LONG, chosen, KEYS);
                break;
            case "hopping":
                window = new TimeWindowAggregator(sizeMs, sizeMs / 4, 100, 0, ValueKind.LONG, chosen, KEYS);
                break;
            default:
                window = new SessionWindowAggregator(sizeMs / 10, 100, 0, ValueKind.LONG, chosen, KEYS);
        }
    }

    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public int ringflow()
    {
        final EventTimeWindows window = this.window;
        final WindowListener listener = this.listener;
        int next = this.next;
        int total = 0;
        for (int n = 0; n < Batches.SIZE; n++)
        {
            final int i = next++ & (EVENTS - 1);
            if (i == EVENTS - 1)
            {
                // The input repeats shifted forward in time, so the watermark keeps advancing.
                timeOffset += EVENTS;
            }
            total += window.addLong(keyIds[i], times[i] + timeOffset, values[i], listener);
        }
        this.next = next;
        return total;
    }

    private void onWindow(final WindowResult result)
    {
        fired += result.count();
    }
}
