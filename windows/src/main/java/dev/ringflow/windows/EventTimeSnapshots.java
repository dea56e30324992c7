package dev.ringflow.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.StreamCorruptedException;

/**
 * The parts of an event-time window's snapshot that tumbling, hopping and session windows share: the lateness
 * parameters it must be loaded with, the watermark, the late count and both timer heaps, then the key ids of the
 * per-key states that follow.
 */
final class EventTimeSnapshots
{
    private EventTimeSnapshots()
    {
    }

    static void writeClock(
        final DataOutput out,
        final long outOfOrdernessMs,
        final long allowedLatenessMs,
        final long earlyResultsMs,
        final ValueKind kind,
        final long watermarkMs,
        final long lateCount,
        final WindowTimerHeap timers,
        final WindowTimerHeap earlyTimers) throws IOException
    {
        WindowSnapshots.writeCheck(out, outOfOrdernessMs);
        WindowSnapshots.writeCheck(out, allowedLatenessMs);
        WindowSnapshots.writeCheck(out, earlyResultsMs);
        WindowSnapshots.writeCheck(out, kind.ordinal());
        out.writeLong(watermarkMs);
        out.writeLong(lateCount);
        timers.writeState(out);
        earlyTimers.writeState(out);
    }

    /**
     * Checks the parameters and loads both timer heaps.
     *
     * @return the watermark and the late count, in that order.
     */
    static long[] readClock(
        final DataInput in,
        final long outOfOrdernessMs,
        final long allowedLatenessMs,
        final long earlyResultsMs,
        final ValueKind kind,
        final WindowTimerHeap timers,
        final WindowTimerHeap earlyTimers) throws IOException
    {
        WindowSnapshots.readCheck(in, outOfOrdernessMs, "out-of-orderness (ms)");
        WindowSnapshots.readCheck(in, allowedLatenessMs, "allowed lateness (ms)");
        WindowSnapshots.readCheck(in, earlyResultsMs, "early-results interval (ms)");
        WindowSnapshots.readCheck(in, kind.ordinal(), "value kind (0 = long, 1 = double)");
        final long watermarkMs = in.readLong();
        final long lateCount = in.readLong();
        timers.readState(in);
        earlyTimers.readState(in);
        return new long[] { watermarkMs, lateCount };
    }

    /** Writes how many of {@code states} are not null: the per-key records that follow. */
    static void writeLiveCount(final DataOutput out, final Object[] states) throws IOException
    {
        int live = 0;
        for (final Object state : states)
        {
            live += null == state ? 0 : 1;
        }
        out.writeInt(live);
    }

    static int readKeyId(final DataInput in) throws IOException
    {
        final int keyId = in.readInt();
        if (keyId < 0)
        {
            throw new StreamCorruptedException("key id " + keyId);
        }
        return keyId;
    }
}
