package dev.ringflow.engine.pipeline;

/**
 * Sends the JSON events for which a condition holds, as they are at this point, to another topic (in the same
 * transaction as the rest of the event's outputs); they stay in the main flow only when {@code continueFlow}.
 *
 * @param when         a boolean expression.
 * @param topic        the topic to send them to, created like the sink's.
 * @param continueFlow true to also keep the event for the tasks after this one.
 */
public record RouteTaskSpec(String when, String topic, boolean continueFlow) implements TaskSpec
{
    public static final String TYPE = "route";

    @Override
    public String type()
    {
        return TYPE;
    }
}
