package dev.ringflow.windows;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every window kind, saved to a snapshot in the middle of a random stream and loaded into a fresh window, answers
 * the rest of the stream exactly as the window that was never interrupted (same results, bit for bit).
 */
class WindowStateTest
{
    private static final int ELEMENTS = 4_000;

    @RepeatedTest(10)
    void countWindowsShouldContinueFromASnapshotExactly()
    {
        final long seed = TestSeeds.seed("countWindowsShouldContinueFromASnapshotExactly");
        final Random random = new Random(seed);
        final int range = 1 + random.nextInt(random.nextBoolean() ? 6 : 200);
        final int slide = 1 + random.nextInt(range + 2);
        final ValueKind kind = random.nextBoolean() ? ValueKind.LONG : ValueKind.DOUBLE;
        final Set<Aggregation> aggregations = randomAggregations(random);
        // Enough elements per key for several firings however long the window.
        final int keys = Math.max(1, ELEMENTS / (4 * (range + slide)));
        assertContinuesExactly(seed, random, kind, 1 + random.nextInt(keys),
            () -> new CountWindowAggregator(range, slide, kind, aggregations, 2));
    }

    @RepeatedTest(5)
    void globalWindowsShouldContinueFromASnapshotExactly()
    {
        final long seed = TestSeeds.seed("globalWindowsShouldContinueFromASnapshotExactly");
        final Random random = new Random(seed);
        final int slide = 1 + random.nextInt(5);
        final ValueKind kind = random.nextBoolean() ? ValueKind.LONG : ValueKind.DOUBLE;
        final Set<Aggregation> aggregations = randomAggregations(random);
        assertContinuesExactly(seed, random, kind, randomKeys(random),
            () -> new GlobalWindowAggregator(slide, kind, aggregations, 2));
    }

    @RepeatedTest(10)
    void timeWindowsShouldContinueFromASnapshotExactly()
    {
        final long seed = TestSeeds.seed("timeWindowsShouldContinueFromASnapshotExactly");
        final Random random = new Random(seed);
        final long size = 1 + random.nextInt(50);
        final long advance = 1 + random.nextInt((int)size);
        final long outOfOrderness = random.nextInt(30);
        final long lateness = random.nextInt(15);
        final long early = random.nextBoolean() ? 0 : 1 + random.nextInt(20);
        final ValueKind kind = random.nextBoolean() ? ValueKind.LONG : ValueKind.DOUBLE;
        final Set<Aggregation> aggregations = randomAggregations(random);
        assertContinuesExactly(seed, random, kind, randomKeys(random),
            () -> new TimeWindowAggregator(size, advance, outOfOrderness,
            lateness, early, kind, aggregations, 2));
    }

    @RepeatedTest(10)
    void sessionWindowsShouldContinueFromASnapshotExactly()
    {
        final long seed = TestSeeds.seed("sessionWindowsShouldContinueFromASnapshotExactly");
        final Random random = new Random(seed);
        final long gap = 1 + random.nextInt(30);
        final long outOfOrderness = random.nextInt(40);
        final long lateness = random.nextInt(20);
        final long early = random.nextBoolean() ? 0 : 1 + random.nextInt(20);
        final ValueKind kind = random.nextBoolean() ? ValueKind.LONG : ValueKind.DOUBLE;
        final Set<Aggregation> aggregations = randomAggregations(random);
        assertContinuesExactly(seed, random, kind, randomKeys(random),
            () -> new SessionWindowAggregator(gap, outOfOrderness, lateness,
            early, kind, aggregations, 2));
    }

    @Test
    void shouldRefuseASnapshotOfAWindowWithOtherParametersNamingTheParameter() throws IOException
    {
        final CountWindowAggregator five = new CountWindowAggregator(5, 1, ValueKind.LONG,
            EnumSet.of(Aggregation.SUM), 4);
        five.addLong(1, 10);
        final byte[] snapshot = write(five);
        final CountWindowAggregator ten = new CountWindowAggregator(10, 1, ValueKind.LONG,
            EnumSet.of(Aggregation.SUM), 4);
        assertThatThrownBy(() -> ten.readState(new DataInputStream(new ByteArrayInputStream(snapshot))))
            .isInstanceOf(SnapshotMismatchException.class)
            .hasMessageContaining("range 5")
            .hasMessageContaining("now has 10");

        final TimeWindowAggregator time = new TimeWindowAggregator(10, 10, 0, 0, ValueKind.LONG,
            EnumSet.of(Aggregation.SUM), 4);
        final byte[] timeSnapshot = write(time);
        final TimeWindowAggregator longer = new TimeWindowAggregator(20, 10, 0, 0, ValueKind.LONG,
            EnumSet.of(Aggregation.SUM), 4);
        assertThatThrownBy(() -> longer.readState(new DataInputStream(new ByteArrayInputStream(timeSnapshot))))
            .isInstanceOf(SnapshotMismatchException.class)
            .hasMessageContaining("window size (ms) 10");
    }

    /**
     * Feeds a random stream to two windows; at a random point the second is replaced by a fresh window (first fed
     * unrelated elements, so loading must replace state, not add to it) loaded from a snapshot of the first.
     */
    private static void assertContinuesExactly(final long seed, final Random random, final ValueKind kind,
        final int keys, final Supplier<WindowState> factory)
    {
        final List<String> uninterrupted = new ArrayList<>();
        final List<String> restored = new ArrayList<>();
        final WindowState original = factory.get();
        WindowState copy = factory.get();
        final int snapshotAt = random.nextInt(ELEMENTS);
        long clock = random.nextInt(1000);
        for (int i = 0; i < ELEMENTS; i++)
        {
            if (i == snapshotAt)
            {
                final WindowState fresh = factory.get();
                feed(fresh, kind, 3, clock + 5, 123, new ArrayList<>());
                try
                {
                    fresh.readState(new DataInputStream(new ByteArrayInputStream(write(copy))));
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
                copy = fresh;
            }
            clock += random.nextInt(4) == 0 ? random.nextInt(40) : random.nextInt(3);
            final long time = clock - (random.nextInt(4) == 0 ? random.nextInt(60) : 0);
            final int key = random.nextInt(keys);
            final long value = random.nextInt(2_000_001) - 1_000_000;
            feed(original, kind, key, time, value, uninterrupted);
            feed(copy, kind, key, time, value, restored);
            if (random.nextInt(500) == 0 && original instanceof EventTimeWindows)
            {
                ((EventTimeWindows)original).advanceWatermark(clock + 20, r -> uninterrupted.add(describe(r)));
                ((EventTimeWindows)copy).advanceWatermark(clock + 20, r -> restored.add(describe(r)));
            }
        }
        if (original instanceof EventTimeWindows)
        {
            ((EventTimeWindows)original).fireAll(r -> uninterrupted.add(describe(r)));
            ((EventTimeWindows)copy).fireAll(r -> restored.add(describe(r)));
        }
        assertThat(uninterrupted).as("seed %d: something fired", seed).isNotEmpty();
        for (int i = 0; i < Math.min(uninterrupted.size(), restored.size()); i++)
        {
            assertThat(restored.get(i)).as("seed %d, result #%d (snapshot at element %d)", seed, i, snapshotAt)
                .isEqualTo(uninterrupted.get(i));
        }
        assertThat(restored).as("seed %d", seed).hasSameSizeAs(uninterrupted);
    }

    private static void feed(final WindowState window, final ValueKind kind, final int key, final long time,
        final long value, final List<String> out)
    {
        final boolean isLong = kind == ValueKind.LONG;
        if (window instanceof ElementWindows elements)
        {
            final boolean fired = isLong ? elements.addLong(key, value) : elements.addDouble(key, value / 7.0);
            if (fired)
            {
                out.add(describe(elements.result()));
            }
        }
        else
        {
            final EventTimeWindows times = (EventTimeWindows)window;
            final WindowListener listener = r -> out.add(describe(r));
            final int outcome = isLong ? times.addLong(key, time, value, listener) :
                times.addDouble(key, time, value / 7.0, listener);
            out.add("outcome " + outcome + " late " + times.lateCount() + " open " + times.openWindowCount());
        }
    }

    private static String describe(final WindowResult r)
    {
        final StringBuilder text = new StringBuilder()
            .append(r.keyId()).append(' ').append(r.count()).append(' ')
            .append(r.firstSequence()).append('-').append(r.lastSequence()).append(' ')
            .append(r.windowStartMs()).append('-').append(r.windowEndMs()).append(' ').append(r.isFinal());
        for (final Aggregation aggregation : Aggregation.values())
        {
            text.append(' ').append(aggregation).append('=')
                .append(Double.doubleToRawLongBits(r.doubleValue(aggregation)));
        }
        return text.toString();
    }

    private static byte[] write(final WindowState window)
    {
        try
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final DataOutputStream out = new DataOutputStream(bytes);
            window.writeState(out);
            out.flush();
            return bytes.toByteArray();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static int randomKeys(final Random random)
    {
        return 1 + random.nextInt(random.nextBoolean() ? 5 : 300);
    }

    private static Set<Aggregation> randomAggregations(final Random random)
    {
        final EnumSet<Aggregation> aggregations = EnumSet.noneOf(Aggregation.class);
        for (final Aggregation aggregation : Aggregation.values())
        {
            if (random.nextInt(3) == 0)
            {
                aggregations.add(aggregation);
            }
        }
        if (aggregations.isEmpty())
        {
            aggregations.add(Aggregation.values()[random.nextInt(Aggregation.values().length)]);
        }
        return aggregations;
    }
}
