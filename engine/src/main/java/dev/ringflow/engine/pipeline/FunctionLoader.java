package dev.ringflow.engine.pipeline;

import dev.ringflow.api.KeyedFunction;
import dev.ringflow.api.RecordFunction;
import dev.ringflow.engine.function.FunctionClasses;
import dev.ringflow.engine.function.OpeningContext;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads the classes of a pipeline's {@code function} tasks: from every {@code *.jar} of the plugins directory, in one
 * class loader per pipeline load, or from the class path when there is no plugins directory (pipelines parsed
 * from text, built in code). Each class is checked against the API, instantiated and opened once, so that a bad
 * class or configuration fails the load (exit 2) and not the running daemon.
 * <p>
 * The class loader delegates parent first: the API classes (and the JDK's, and Ringflow's) always come from
 * Ringflow, so a plugin that bundles a copy of the API or of a library Ringflow uses gets Ringflow's. A plugin
 * needing another version of such a library must shade it.
 */
final class FunctionLoader
{
    private FunctionLoader()
    {
    }

    /**
     * @param pluginsDir the plugins directory, or null to load from the class path.
     * @param problems   where problems go, each starting with the task's location.
     * @return the spec with every function task's class loaded (unchanged when there are none or on problems).
     */
    static PipelineSpec load(final PipelineSpec spec, final Path pluginsDir, final List<String> problems)
    {
        final List<FunctionTaskSpec> functions = new ArrayList<>();
        for (final TaskSpec task : spec.tasks())
        {
            if (task instanceof FunctionTaskSpec function && null == function.functionClass())
            {
                functions.add(function);
            }
        }
        if (functions.isEmpty())
        {
            return spec;
        }
        final ClassLoader parent = RecordFunction.class.getClassLoader();
        final ClassLoader loader;
        final String searched;
        if (null == pluginsDir)
        {
            loader = parent;
            searched = "the class path";
        }
        else
        {
            final List<Path> jars = jars(pluginsDir, functions.get(0).location(), problems);
            if (null == jars)
            {
                return spec;
            }
            loader = new URLClassLoader("ringflow-plugins", urls(jars), parent);
            searched = jars.isEmpty() ? "plugins directory " + pluginsDir + ", which has no *.jar files" :
                "plugins directory " + pluginsDir + " (" + names(jars) + ")";
        }
        final List<TaskSpec> tasks = new ArrayList<>(spec.tasks());
        for (int i = 0; i < tasks.size(); i++)
        {
            if (tasks.get(i) instanceof FunctionTaskSpec function && null == function.functionClass())
            {
                final Class<?> type = loadClass(function, loader, searched, spec.name(), problems);
                if (null != type)
                {
                    tasks.set(i, function.withClass(type));
                }
            }
        }
        return new PipelineSpec(spec.name(), spec.source(), tasks, spec.sink(), spec.kafka(), spec.engine(),
            spec.journal(), spec.state());
    }

    private static Class<?> loadClass(final FunctionTaskSpec function, final ClassLoader loader,
        final String searched, final String pipelineName, final List<String> problems)
    {
        final String at = function.location() + ": ";
        final Class<?> type;
        try
        {
            type = Class.forName(function.className(), true, loader);
        }
        catch (final ClassNotFoundException ex)
        {
            problems.add(at + "class " + function.className() + " not found in " + searched);
            return null;
        }
        catch (final LinkageError ex)
        {
            problems.add(at + "class " + function.className() + " cannot be loaded: " + ex);
            return null;
        }
        final String problem = FunctionClasses.problem(type);
        if (null != problem)
        {
            problems.add(at + problem);
            return null;
        }
        // A trial instance, opened against a scratch field table: the configuration is checked now, at load.
        final Object instance;
        try
        {
            instance = FunctionClasses.newInstance(type);
        }
        catch (final IllegalStateException ex)
        {
            problems.add(at + ex.getMessage());
            return null;
        }
        final Map<String, Integer> fieldIds = new HashMap<>();
        final OpeningContext context = new OpeningContext(pipelineName, function.className(), function.config(),
            function.routes(), path -> fieldIds.computeIfAbsent(path, p -> fieldIds.size()));
        try
        {
            if (instance instanceof KeyedFunction keyed)
            {
                keyed.open(context);
                checkState(keyed, at, problems);
            }
            else
            {
                ((RecordFunction)instance).open(context);
            }
        }
        catch (final RuntimeException | LinkageError ex)
        {
            problems.add(at + "open() of " + function.className() + " threw " + ex);
            return null;
        }
        return type;
    }

    private static void checkState(final KeyedFunction keyed, final String at, final List<String> problems)
    {
        final int doubles = keyed.stateDoubles();
        final int longs = keyed.stateLongs();
        if (doubles < 0 || longs < 0 || doubles + (long)longs > FunctionClasses.MAX_STATE_SLOTS)
        {
            problems.add(at + keyed.getClass().getName() + " declares " + doubles + " double and " + longs +
                " long state slots per key; expected from 0 to " + FunctionClasses.MAX_STATE_SLOTS + " in all");
        }
    }

    /** The jars of the directory, sorted by name; null (with a problem) when it is not a readable directory. */
    private static List<Path> jars(final Path dir, final String at, final List<String> problems)
    {
        if (!Files.isDirectory(dir))
        {
            problems.add(at + ": the plugins directory " + dir.toAbsolutePath().normalize() + " does not exist; " +
                "put the function's jar there, or name another with plugins-dir (or --plugins DIR)");
            return null;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                .sorted().toList();
        }
        catch (final IOException ex)
        {
            problems.add(at + ": cannot list the plugins directory " + dir + ": " + ex);
            return null;
        }
    }

    private static URL[] urls(final List<Path> jars)
    {
        final URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++)
        {
            try
            {
                urls[i] = jars.get(i).toUri().toURL();
            }
            catch (final MalformedURLException ex)
            {
                throw new IllegalArgumentException("cannot name " + jars.get(i) + " as a URL", ex);
            }
        }
        return urls;
    }

    private static String names(final List<Path> jars)
    {
        final List<String> names = new ArrayList<>();
        for (final Path jar : jars)
        {
            names.add(jar.getFileName().toString());
        }
        return String.join(", ", names);
    }
}
