package dev.ringflow.api;

import java.util.Map;

/**
 * What a function gets when it opens: its configuration, a logger, and the handles of the fields and routes it
 * will use. Handles are resolved here, once, so that {@code apply} looks nothing up by name.
 * <p>
 * <b>Note:</b> Valid only during {@code open}: resolving a handle later throws {@link IllegalStateException}.
 */
public interface FunctionContext
{
    /** The pipeline's name. */
    String pipelineName();

    /**
     * The task's {@code config} mapping, as text: {@code {threshold: 0.8}} gives {@code "0.8"} for
     * {@code "threshold"}. Unmodifiable; empty when the task has none.
     */
    Map<String, String> config();

    /**
     * A logger named after the function's class, writing to Ringflow's log. Logging in {@code apply} allocates and
     * is slow: log rare events only.
     */
    System.Logger logger();

    /**
     * The handle of a field: a top-level name ({@code amount}) or a dotted path into nested objects
     * ({@code merchant.country}, which can be read but not set). The same path always gives an equal handle.
     */
    FieldRef field(String path);

    /**
     * The handle of a topic the function may route records to; the topic must be listed in the task's
     * {@code routes} (so that it is created and checked with the pipeline's other topics).
     *
     * @throws IllegalArgumentException when the task does not list the topic.
     */
    RouteRef route(String topic);
}
