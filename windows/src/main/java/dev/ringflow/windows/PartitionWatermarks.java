package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * The watermark of an input made of partitions (Kafka's): the smallest, over the partitions that have had elements
 * and are not idle, of the largest event time each has seen, minus out-of-orderness. A partition that lags behind
 * another so holds the watermark back, and its elements are not late because the other one ran ahead.
 * <p>
 * A partition is idle once the event-time clock (the largest time seen on any partition) has moved on by
 * {@code partitionIdleMs} since that partition's last element; it stops holding the watermark back until its next
 * element. Idleness is measured in event time, not on a wall clock, so replaying the same elements in the same
 * order derives the same watermark. {@code partitionIdleMs} 0 means never idle.
 * <p>
 * <b>Note:</b> The watermark never moves back: a partition that comes back, or a new one, behind it finds its
 * elements late. Partitions are numbered densely by the caller, from 0.
 * <p>
 * <b>Note:</b> Allocation free in steady state: allocates only for a partition number larger than any before. Each
 * element costs a pass over the partitions. Not thread-safe.
 */
public final class PartitionWatermarks
{
    private static final long NO_DATA = Long.MIN_VALUE;

    private final long outOfOrdernessMs;
    private final long partitionIdleMs;
    private long[] maxTimeMs = new long[0];
    private long[] clockAtLastElementMs = new long[0];
    private int partitions;
    private long clockMs = Long.MIN_VALUE;
    private long watermarkMs = Long.MIN_VALUE;

    /**
     * @param outOfOrdernessMs how far the watermark trails the slowest partition's largest time.
     * @param partitionIdleMs  event time after which a partition without elements stops counting; 0: never.
     */
    public PartitionWatermarks(final long outOfOrdernessMs, final long partitionIdleMs)
    {
        if (outOfOrdernessMs < 0)
        {
            throw new IllegalArgumentException("out-of-orderness must be >= 0, was " + outOfOrdernessMs);
        }
        if (partitionIdleMs < 0)
        {
            throw new IllegalArgumentException("partition idle time must be >= 0 (0: never idle), was " +
                partitionIdleMs);
        }
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.partitionIdleMs = partitionIdleMs;
    }

    /**
     * Takes an element's time on {@code partition}.
     *
     * @return the watermark after it: never less than before.
     */
    public long onElement(final int partition, final long timeMs)
    {
        if (partition >= partitions)
        {
            addPartitions(partition + 1);
        }
        if (timeMs > clockMs)
        {
            clockMs = timeMs;
        }
        if (timeMs > maxTimeMs[partition])
        {
            maxTimeMs[partition] = timeMs;
        }
        clockAtLastElementMs[partition] = clockMs;

        // The partition just seen is active, so there is at least one candidate.
        long slowestMs = Long.MAX_VALUE;
        final long[] maxTimeMs = this.maxTimeMs;
        final long[] clockAtLastElementMs = this.clockAtLastElementMs;
        for (int i = 0, n = partitions; i < n; i++)
        {
            if (maxTimeMs[i] != NO_DATA && maxTimeMs[i] < slowestMs &&
                (partitionIdleMs == 0 || clockMs - clockAtLastElementMs[i] < partitionIdleMs))
            {
                slowestMs = maxTimeMs[i];
            }
        }
        if (slowestMs - outOfOrdernessMs > watermarkMs)
        {
            watermarkMs = slowestMs - outOfOrdernessMs;
        }
        return watermarkMs;
    }

    /** The watermark: {@link Long#MIN_VALUE} before the first element. */
    public long watermarkMs()
    {
        return watermarkMs;
    }

    /** The largest event time seen on any partition. */
    public long clockMs()
    {
        return clockMs;
    }

    /** True if {@code partition} has had elements and does not count now for being idle. */
    public boolean isIdle(final int partition)
    {
        return partition < partitions && maxTimeMs[partition] != NO_DATA && partitionIdleMs > 0 &&
            clockMs - clockAtLastElementMs[partition] >= partitionIdleMs;
    }

    /** Partition numbers seen so far: 0 up to this, exclusive. */
    public int partitionCount()
    {
        return partitions;
    }

    private void addPartitions(final int count)
    {
        if (count > maxTimeMs.length)
        {
            final int length = Math.max(count, Math.max(8, maxTimeMs.length << 1));
            maxTimeMs = Arrays.copyOf(maxTimeMs, length);
            clockAtLastElementMs = Arrays.copyOf(clockAtLastElementMs, length);
        }
        Arrays.fill(maxTimeMs, partitions, count, NO_DATA);
        Arrays.fill(clockAtLastElementMs, partitions, count, NO_DATA);
        partitions = count;
    }

    /** Writes the clock, the watermark and every partition's largest time and last element for a snapshot. */
    public void writeState(final DataOutput out) throws IOException
    {
        WindowSnapshots.writeCheck(out, outOfOrdernessMs);
        out.writeLong(clockMs);
        out.writeLong(watermarkMs);
        WindowSnapshots.writeLongs(out, maxTimeMs, partitions);
        WindowSnapshots.writeLongs(out, clockAtLastElementMs, partitions);
    }

    /**
     * Replaces the state by what {@link #writeState} wrote. The idle time is not checked: a snapshot taken with
     * another one carries on under the new one.
     */
    public void readState(final DataInput in) throws IOException
    {
        WindowSnapshots.readCheck(in, outOfOrdernessMs, "out-of-orderness (ms)");
        clockMs = in.readLong();
        watermarkMs = in.readLong();
        final long[] maxTimes = WindowSnapshots.readLongs(in, 0);
        final long[] clocks = WindowSnapshots.readLongs(in, 0);
        if (maxTimes.length != clocks.length)
        {
            throw new StreamCorruptedException("partition arrays of different lengths");
        }
        partitions = 0;
        addPartitions(maxTimes.length);
        System.arraycopy(maxTimes, 0, maxTimeMs, 0, partitions);
        System.arraycopy(clocks, 0, clockAtLastElementMs, 0, partitions);
    }
}
