package dev.ringflow.windows;

/**
 * Per-key windows over event time, closed by a watermark: what {@link TimeWindowAggregator} (tumbling and
 * hopping) and {@link SessionWindowAggregator} have in common.
 * <p>
 * <b>Note:</b> Implementations are single-threaded and allocation free in steady state.
 */
public interface EventTimeWindows extends WindowState
{
    /** The element was aggregated into at least one open window. */
    int ACCEPTED = 0;
    /** Every window of the element has already fired; it was not aggregated. */
    int LATE = 1;
    /**
     * The element is more than {@link #maxLeadMs()} ahead of the watermark: its key would need more window state
     * than the window keeps per key. It was not aggregated.
     */
    int TOO_FAR_AHEAD = 2;

    /**
     * Makes {@link #advanceWatermark} the only thing that moves the watermark: elements no longer move it to their
     * time minus out-of-orderness, except the first one when no watermark has been given yet. For a watermark kept
     * outside, e.g. the minimum over input partitions ({@link PartitionWatermarks}). Call before the first element.
     */
    void takeWatermarkFromOutside();

    /**
     * How far ahead of the watermark an element's time may be: {@link Long#MAX_VALUE} when any lead is fine, else
     * the lead beyond which {@link #TOO_FAR_AHEAD} is returned.
     */
    long maxLeadMs();

    /** Adds a {@link ValueKind#LONG} element, first firing the windows its time closes; an outcome code. */
    int addLong(int keyId, long timeMs, long value, WindowListener listener);

    /** Adds a {@link ValueKind#DOUBLE} element, first firing the windows its time closes; an outcome code. */
    int addDouble(int keyId, long timeMs, double value, WindowListener listener);

    /** Moves the watermark forward (never back), firing every window it closes. */
    void advanceWatermark(long watermarkMs, WindowListener listener);

    /** Fires every open window, as at the end of a bounded input. */
    void fireAll(WindowListener listener);

    long watermarkMs();

    /** True while the key has windows waiting to fire; a key without any holds no state. */
    boolean hasOpenWindows(int keyId);

    /** Elements rejected as late so far. */
    long lateCount();

    /** Windows waiting for the watermark. */
    int openWindowCount();
}
