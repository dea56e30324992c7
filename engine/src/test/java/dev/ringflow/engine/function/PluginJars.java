package dev.ringflow.engine.function;

import dev.ringflow.api.RecordFunction;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds real plugin jars in tests: compiles Java sources against the API alone (as a plugin project does) with the
 * JDK's compiler and packs the classes into a jar.
 */
public final class PluginJars
{
    /** The example plugin project's sources, from the engine module's directory. */
    public static final Path EXAMPLE_SOURCES = Path.of("..", "examples", "function-example", "src", "main", "java");

    private PluginJars()
    {
    }

    /** Compiles every {@code .java} file under {@code sourceRoot} into {@code jar}. */
    public static Path build(final Path sourceRoot, final Path jar) throws IOException
    {
        final List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sourceRoot))
        {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> sources.add(f.toString()));
        }
        return compile(sources, jar);
    }

    /** Compiles the given sources (class name to source text) into {@code jar}. */
    public static Path build(final Map<String, String> classes, final Path jar) throws IOException
    {
        final Path sourceRoot = Files.createTempDirectory(jar.getParent(), "src");
        for (final Map.Entry<String, String> entry : classes.entrySet())
        {
            final Path file = sourceRoot.resolve(entry.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, entry.getValue());
        }
        return build(sourceRoot, jar);
    }

    private static Path compile(final List<String> sources, final Path jar) throws IOException
    {
        final Path classes = Files.createTempDirectory(jar.getParent(), "classes");
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17",
            "-classpath", apiClassPath()));
        arguments.addAll(sources);
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        final int status = compiler.run(null, errors, errors, arguments.toArray(new String[0]));
        if (status != 0)
        {
            throw new IllegalStateException("plugin sources do not compile:\n" + errors);
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
            Stream<Path> files = Files.walk(classes))
        {
            for (final Path classFile : files.filter(Files::isRegularFile).sorted().toList())
            {
                out.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(classFile));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Where the API's classes are: the only thing a plugin compiles against. */
    private static String apiClassPath()
    {
        try
        {
            return Path.of(RecordFunction.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
