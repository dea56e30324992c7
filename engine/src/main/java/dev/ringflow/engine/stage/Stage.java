package dev.ringflow.engine.stage;

import dev.ringflow.engine.EventSlot;

/**
 * One compiled pipeline task, run by the worker for every event.
 * <p>
 * <b>Note:</b> Called on the worker thread only; implementations allocate nothing in steady state.
 */
interface Stage
{
    /**
     * Applies the task to the slot's working value.
     *
     * @return true to pass the event to the next stage; false when the stage decided the event's outcome
     * (it then set {@link EventSlot#outcomeNone()} or {@link EventSlot#outcomeDeadLetter(String)}).
     */
    boolean onEvent(EventSlot slot);
}
