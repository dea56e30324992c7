package dev.ringflow.windows;

/**
 * Receives windows as they fire.
 * <p>
 * <b>Note:</b> Called on the aggregator's owner thread; the result is valid only during the call.
 */
@FunctionalInterface
public interface WindowListener
{
    void onWindow(WindowResult result);
}
