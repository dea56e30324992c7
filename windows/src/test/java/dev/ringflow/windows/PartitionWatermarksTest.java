package dev.ringflow.windows;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionWatermarksTest
{
    @Test
    void shouldFollowTheSlowestPartitionThatHasData()
    {
        final PartitionWatermarks watermarks = new PartitionWatermarks(5, 0);
        assertThat(watermarks.onElement(0, 1_000)).isEqualTo(995);
        assertThat(watermarks.onElement(1, 100)).isEqualTo(995);
        assertThat(watermarks.onElement(0, 5_000)).isEqualTo(995);
        assertThat(watermarks.onElement(1, 2_000)).isEqualTo(1_995);
        assertThat(watermarks.onElement(1, 9_000)).isEqualTo(4_995);
    }

    @Test
    void shouldStopCountingAPartitionIdleForTheIdleTimeUntilItHasDataAgain()
    {
        final PartitionWatermarks watermarks = new PartitionWatermarks(0, 1_000);
        watermarks.onElement(0, 100);
        watermarks.onElement(1, 100);
        assertThat(watermarks.onElement(0, 1_099)).isEqualTo(100);
        assertThat(watermarks.isIdle(1)).isFalse();
        // The clock has moved 1,000 ms past partition 1's last element.
        assertThat(watermarks.onElement(0, 1_100)).isEqualTo(1_100);
        assertThat(watermarks.isIdle(1)).isTrue();
        assertThat(watermarks.onElement(1, 1_050)).isEqualTo(1_100);
        assertThat(watermarks.isIdle(1)).isFalse();
        assertThat(watermarks.onElement(0, 1_500)).isEqualTo(1_100);
        assertThat(watermarks.onElement(1, 1_400)).isEqualTo(1_400);
    }

    @Test
    void shouldRefuseNegativeParameters()
    {
        assertThatThrownBy(() -> new PartitionWatermarks(0, -1))
            .hasMessage("partition idle time must be >= 0 (0: never idle), was -1");
    }

    @RepeatedTest(20)
    void shouldMatchANaiveRecomputationOnRandomInterleavings() throws IOException
    {
        final long seed = TestSeeds.seed("shouldMatchANaiveRecomputationOnRandomInterleavings");
        final Random random = new Random(seed);
        final long outOfOrderness = random.nextInt(50);
        final long idle = random.nextBoolean() ? 0 : 1 + random.nextInt(500);
        final int partitions = 1 + random.nextInt(4);
        PartitionWatermarks watermarks = new PartitionWatermarks(outOfOrderness, idle);
        final List<long[]> seen = new ArrayList<>();
        final long[] clocks = new long[partitions];
        long naive = Long.MIN_VALUE;
        for (int i = 0; i < 1_500; i++)
        {
            if (random.nextInt(300) == 0)
            {
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                watermarks.writeState(new DataOutputStream(bytes));
                watermarks = new PartitionWatermarks(outOfOrderness, idle);
                watermarks.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            }
            // Bursts from one partition, as a consumer fetches them; times mostly rising, now and then back.
            final int partition = random.nextInt(4) == 0 ? random.nextInt(partitions) : (i / 50) % partitions;
            clocks[partition] += random.nextInt(20);
            final long time = clocks[partition] - (random.nextInt(5) == 0 ? random.nextInt(100) : 0);
            seen.add(new long[] { partition, time });
            naive = Math.max(naive, naiveWatermark(seen, partitions, outOfOrderness, idle));
            assertThat(watermarks.onElement(partition, time)).as("seed %d element %d", seed, i).isEqualTo(naive);
        }
    }

    /** Recomputes from every element: the slowest of the partitions with data that are not idle, minus out-of-order. */
    private static long naiveWatermark(final List<long[]> seen, final int partitions, final long outOfOrderness,
        final long idle)
    {
        long clockNow = Long.MIN_VALUE;
        for (final long[] element : seen)
        {
            clockNow = Math.max(clockNow, element[1]);
        }
        long slowest = Long.MAX_VALUE;
        for (int p = 0; p < partitions; p++)
        {
            long largest = Long.MIN_VALUE;
            long clockAtLast = Long.MIN_VALUE;
            long clock = Long.MIN_VALUE;
            for (final long[] element : seen)
            {
                clock = Math.max(clock, element[1]);
                if (element[0] == p)
                {
                    largest = Math.max(largest, element[1]);
                    clockAtLast = clock;
                }
            }
            final boolean isIdle = idle > 0 && clockNow - clockAtLast >= idle;
            if (largest != Long.MIN_VALUE && !isIdle)
            {
                slowest = Math.min(slowest, largest);
            }
        }
        return slowest - outOfOrderness;
    }
}
