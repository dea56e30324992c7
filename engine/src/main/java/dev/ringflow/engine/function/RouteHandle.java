package dev.ringflow.engine.function;

import dev.ringflow.api.RouteRef;

/**
 * A topic a function may route to, as resolved by {@link dev.ringflow.api.FunctionContext#route}.
 */
public final class RouteHandle implements RouteRef
{
    private final String topic;

    RouteHandle(final String topic)
    {
        this.topic = topic;
    }

    @Override
    public String topic()
    {
        return topic;
    }

    @Override
    public String toString()
    {
        return topic;
    }
}
