package dev.ringflow.api;

/**
 * A topic records may be routed to, resolved once by {@link FunctionContext#route}.
 */
public interface RouteRef
{
    /** The topic's name. */
    String topic();
}
