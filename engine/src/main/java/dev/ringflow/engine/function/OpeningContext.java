package dev.ringflow.engine.function;

import dev.ringflow.api.FieldRef;
import dev.ringflow.api.FunctionContext;
import dev.ringflow.api.RouteRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The {@link FunctionContext} one function instance opens with: resolves fields through the pipeline's field table
 * and routes against the task's {@code routes}, and remembers the handles it gave out.
 * <p>
 * <b>Note:</b> Load time only, on one thread; {@link #close} ends it.
 */
public final class OpeningContext implements FunctionContext
{
    private final String pipelineName;
    private final Map<String, String> config;
    private final List<String> routes;
    private final System.Logger logger;
    private final ToIntFunction<String> fieldIds;
    private final Map<String, FieldHandle> fields = new HashMap<>();
    private final List<FieldHandle> fieldList = new ArrayList<>();
    private final Map<String, RouteHandle> routeHandles = new HashMap<>();
    private boolean closed;

    /**
     * @param fieldIds the id of a field path in the pipeline's field table, registering it if new.
     */
    public OpeningContext(final String pipelineName, final String className, final Map<String, String> config,
        final List<String> routes, final ToIntFunction<String> fieldIds)
    {
        this.pipelineName = pipelineName;
        this.config = config;
        this.routes = routes;
        this.fieldIds = fieldIds;
        this.logger = new Slf4jSystemLogger(className);
    }

    @Override
    public String pipelineName()
    {
        return pipelineName;
    }

    @Override
    public Map<String, String> config()
    {
        return config;
    }

    @Override
    public System.Logger logger()
    {
        return logger;
    }

    @Override
    public FieldRef field(final String path)
    {
        checkOpen();
        if (null == path || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains(".."))
        {
            throw new IllegalArgumentException("'" + path + "' is not a field path; expected a name such as " +
                "amount, or a dotted path such as merchant.country");
        }
        FieldHandle handle = fields.get(path);
        if (null == handle)
        {
            handle = new FieldHandle(path, fieldIds.applyAsInt(path), fieldList.size());
            fields.put(path, handle);
            fieldList.add(handle);
        }
        return handle;
    }

    @Override
    public RouteRef route(final String topic)
    {
        checkOpen();
        if (!routes.contains(topic))
        {
            throw new IllegalArgumentException("topic '" + topic + "' is not in the task's routes " + routes +
                "; list it there so that the pipeline creates and checks it");
        }
        return routeHandles.computeIfAbsent(topic, RouteHandle::new);
    }

    /** The fields resolved so far, by {@link FieldHandle#index()}. */
    public List<FieldHandle> fields()
    {
        return fieldList;
    }

    public System.Logger functionLogger()
    {
        return logger;
    }

    /** Ends {@code open}: resolving after it is a mistake in the function. */
    public void close()
    {
        closed = true;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("resolve fields and routes in open(), not later");
        }
    }
}
