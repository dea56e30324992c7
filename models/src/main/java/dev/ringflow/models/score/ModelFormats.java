package dev.ringflow.models.score;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@link ModelFormat}s on the class path, looked up once: the plug-in modules a daemon was started with do not
 * change while it runs.
 * <p>
 * <b>Note:</b> thread-safe (a lazily initialised holder of an immutable list).
 */
final class ModelFormats
{
    private ModelFormats()
    {
    }

    private static final class Installed
    {
        private static final List<ModelFormat> FORMATS = ServiceLoader.load(ModelFormat.class,
            ModelFormat.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();
    }

    /**
     * @return the installed format that reads {@code bytes}, or null when none does.
     */
    static ModelFormat find(final byte[] bytes)
    {
        for (final ModelFormat format : Installed.FORMATS)
        {
            if (format.recognises(bytes))
            {
                return format;
            }
        }
        return null;
    }
}
