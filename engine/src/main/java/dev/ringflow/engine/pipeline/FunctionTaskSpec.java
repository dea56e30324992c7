package dev.ringflow.engine.pipeline;

import dev.ringflow.api.KeyedFunction;

import java.util.List;
import java.util.Map;

/**
 * Runs a user function (a {@link dev.ringflow.api.RecordFunction} or {@link KeyedFunction}) on every JSON event.
 *
 * @param className     the function's class, e.g. {@code com.example.Risk}.
 * @param config        the task's {@code config} mapping, as text, in file order.
 * @param routes        the topics the function may route records to (created like the sink's).
 * @param functionClass the loaded class; null until the plugins are loaded ({@link PipelineFile} does it).
 * @param location      where the task is written ({@code file:line}), for load-time messages; not part of the
 *                      pipeline's identity.
 */
public record FunctionTaskSpec(String className, Map<String, String> config, List<String> routes,
    Class<?> functionClass, String location) implements TaskSpec
{
    public static final String TYPE = "function";

    public FunctionTaskSpec
    {
        config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
        routes = List.copyOf(routes);
    }

    /** A task running a class already on the class path, for pipelines built in code. */
    public static FunctionTaskSpec of(final Class<?> functionClass, final Map<String, String> config,
        final List<String> routes)
    {
        return new FunctionTaskSpec(functionClass.getName(), config, routes, functionClass, functionClass.getName());
    }

    /** This task with its class loaded. */
    public FunctionTaskSpec withClass(final Class<?> loaded)
    {
        return new FunctionTaskSpec(className, config, routes, loaded, location);
    }

    /** True for a {@link KeyedFunction}: it keeps per-key state. */
    public boolean isKeyed()
    {
        return null != functionClass && KeyedFunction.class.isAssignableFrom(functionClass);
    }

    @Override
    public String type()
    {
        return TYPE;
    }

    /** The class, configuration and routes, without the location: snapshots are tagged with it. */
    @Override
    public String toString()
    {
        return "FunctionTaskSpec[className=" + className + ", config=" + config + ", routes=" + routes + "]";
    }
}
