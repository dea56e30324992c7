package dev.ringflow.bench.journal;

import java.util.List;

/**
 * The JVM flags Chronicle Queue needs on JDK 17, for the forked benchmark JVMs ({@code @Fork(jvmArgsAppend)}).
 */
public final class ChronicleFlags
{
    public static final String EXPORT_NIO = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    public static final String EXPORT_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    public static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
    public static final String NO_BANNER = "-Dchronicle.announcer.disable=true";
    /** All of them, for a JVM the harnesses launch (annotations need the constants one by one). */
    public static final List<String> JVM_OPTIONS = List.of(EXPORT_NIO, EXPORT_REF, EXPORT_MISC, OPEN_REFLECT, OPEN_NIO,
        NO_ANALYTICS, NO_BANNER);

    private ChronicleFlags()
    {
    }

    /** Deletes a benchmark's journal directory. */
    public static void delete(final java.nio.file.Path dir)
    {
        try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(dir))
        {
            for (final java.nio.file.Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                java.nio.file.Files.deleteIfExists(path);
            }
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
