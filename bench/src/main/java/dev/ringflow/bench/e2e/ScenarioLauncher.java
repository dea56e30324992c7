package dev.ringflow.bench.e2e;

import dev.ringflow.bench.journal.ChronicleFlags;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts one run of a {@link Scenario} as a JVM of its own, reading {@code my-topic} with a consumer group and
 * writing an output topic that no other run shares: Ringflow as a user runs it ({@code java
 * -XX:+ExitOnOutOfMemoryError -jar ringflow.jar run --pipeline FILE}, the flags of the {@code ringflow} script),
 * the pass-through loops and Kafka Streams from the harness's own class path.
 */
final class ScenarioLauncher
{
    private final String servers;
    private final Path ringflowJar;
    private final Path workDir;
    private final String seedPipelineText;

    /** The names one run uses. */
    record Run(Scenario scenario, int round, String group, String output, String deadLetters, Path pipelineFile,
        Path dataDir, Path logFile)
    {
        List<String> topics()
        {
            return List.of(output, deadLetters);
        }
    }

    ScenarioLauncher(final String servers, final Path ringflowJar, final Path workDir, final String seedPipelineText)
    {
        this.servers = servers;
        this.ringflowJar = ringflowJar;
        this.workDir = workDir;
        this.seedPipelineText = seedPipelineText;
    }

    /** The names of {@code scenario}'s run in {@code round} (from 1); logs go to {@code logDir}. */
    Run names(final Scenario scenario, final int round, final Path logDir)
    {
        final String suffix = scenario.key() + "-" + round;
        return new Run(scenario, round, "e2e-" + suffix, "e2e-out-" + suffix, "e2e-dead-letters-" + suffix,
            workDir.resolve(suffix + ".yaml"), workDir.resolve("data-" + suffix), logDir.resolve(suffix + ".log"));
    }

    /** Writes the run's pipeline file and launches its JVM; its topics must exist. */
    ChildJvm launch(final Run run) throws IOException
    {
        return launch(run, EndToEndHarness.INPUT_TOPIC);
    }

    /** The same reading {@code inputTopic}. */
    ChildJvm launch(final Run run, final String inputTopic) throws IOException
    {
        final Scenario scenario = run.scenario();
        String pipeline = retargetSeedPipeline(seedPipelineText, inputTopic, run.output(), run.group(),
            run.deadLetters());
        if (scenario == Scenario.ALO)
        {
            pipeline = pipeline.replace("dead-letter-topic: " + run.deadLetters(), "dead-letter-topic: " +
                run.deadLetters() + "\n  delivery: at-least-once");
        }
        Files.writeString(run.pipelineFile(), pipeline, StandardCharsets.UTF_8);
        final List<String> args = new ArrayList<>();
        final String classPath = System.getProperty("java.class.path");
        switch (scenario)
        {
            case PLAIN, EOS -> args.addAll(passThroughArgs(scenario, run.pipelineFile(), servers));
            case EOS_JOURNAL ->
            {
                // ringflow.jar's manifest says these; a JVM started with -cp needs them on its command line.
                args.addAll(ChronicleFlags.JVM_OPTIONS);
                args.addAll(passThroughArgs(Scenario.EOS, run.pipelineFile(), servers));
                args.addAll(List.of("--journal", run.dataDir().toString()));
            }
            case DEFAULT, ALO, NO_JOURNAL ->
            {
                args.addAll(ringflowRunArgs(ringflowJar, run.pipelineFile(), servers));
                args.addAll(scenario == Scenario.NO_JOURNAL ? List.of("--no-journal") :
                    List.of("--journal-dir", run.dataDir().toString()));
            }
            case STREAMS, STREAMS_ALO ->
            {
                args.addAll(List.of("-cp", classPath, KafkaStreamsSlidingSum.class.getName(), "--bootstrap-servers",
                    servers, "--input", EndToEndHarness.INPUT_TOPIC, "--output", run.output(), "--application-id",
                    run.group(), "--state-dir", run.dataDir().toString()));
                if (scenario == Scenario.STREAMS_ALO)
                {
                    args.add("--at-least-once");
                }
            }
            default -> throw new IllegalStateException("no launcher for " + scenario);
        }
        // ringflow.jar's manifest opens what Chronicle needs and the daemon turns its analytics off itself; every
        // JVM gets the launcher's flag, so that none runs on different terms.
        return ChildJvm.launch(scenario.title(), List.of(ChildJvm.LAUNCHER_FLAG), args, run.logFile());
    }

    /**
     * {@link PassThroughMain} from the harness's own class path, forwarding {@code pipelineFile}'s source topic to
     * its sink topic as its group, with the file's Kafka client settings.
     *
     * @param scenario {@link Scenario#PLAIN} or {@link Scenario#EOS} ({@code --exactly-once}).
     */
    static List<String> passThroughArgs(final Scenario scenario, final Path pipelineFile, final String servers)
    {
        final List<String> args = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"),
            PassThroughMain.class.getName(), "--pipeline", pipelineFile.toString(), "--bootstrap-servers", servers));
        if (scenario == Scenario.EOS)
        {
            args.add("--exactly-once");
        }
        return args;
    }

    /**
     * {@code -jar ringflow.jar run --pipeline FILE} as the harnesses run the daemon, with the JIT thresholds and the
     * class-data archive the {@code ringflow} script starts it with ({@link ChildJvm#LAUNCHER_JIT_FLAGS},
     * {@link RingflowArchive}), on a free metrics port and without the admin endpoint (other daemons may run on this
     * machine); journal options are the caller's.
     */
    static List<String> ringflowRunArgs(final Path ringflowJar, final Path pipelineFile, final String servers)
    {
        final Path jar = ringflowJar.toAbsolutePath().normalize();
        final List<String> args = new ArrayList<>(ChildJvm.LAUNCHER_JIT_FLAGS);
        args.addAll(RingflowArchive.jvmOptions(jar));
        args.addAll(List.of("-jar", jar.toString(), "run", "--pipeline", pipelineFile.toString(),
            "--bootstrap-servers", servers, "--metrics-bind", "127.0.0.1:0", "--admin-bind", "off"));
        return args;
    }

    /** Removes what the run left on disk (journal, Streams state, pipeline file). */
    static void deleteFiles(final Run run) throws IOException
    {
        deleteFiles(run.dataDir(), run.pipelineFile());
    }

    /** Removes a run's data directory (if any) and pipeline file. */
    static void deleteFiles(final Path dataDir, final Path pipelineFile) throws IOException
    {
        if (Files.exists(dataDir))
        {
            ChronicleFlags.delete(dataDir);
        }
        Files.deleteIfExists(pipelineFile);
    }

    /**
     * The seed pipeline's text reading {@code input} as {@code group} and writing {@code output} (dead letters to
     * {@code deadLetters}); tasks, engine, journal and delivery settings stay as they are.
     *
     * @throws IllegalStateException when the seed pipeline no longer has a line this rewrites.
     */
    static String retargetSeedPipeline(final String seedText, final String input, final String output,
        final String group, final String deadLetters)
    {
        return rewrite(seedText, "the seed pipeline", "ScenarioLauncher.retargetSeedPipeline", new String[][] {
            { "topics: [my-topic]", "topics: [" + input + "]" },
            { "group-id: ringflow-seed-sliding-sum", "group-id: " + group },
            { "topic: aggregated-topic", "topic: " + output },
            { "dead-letter-topic: seed-sliding-sum-dead-letters", "dead-letter-topic: " + deadLetters } });
    }

    /**
     * {@code text} with each {@code changes[i][0]} replaced by {@code changes[i][1]}, in order (a change sees the
     * text the ones before it left).
     *
     * @param what  the file, for the message.
     * @param owner the code to update when a line is gone, for the message.
     * @throws IllegalStateException when the text no longer has a line a change rewrites.
     */
    static String rewrite(final String text, final String what, final String owner, final String[][] changes)
    {
        String rewritten = text;
        for (final String[] change : changes)
        {
            if (!rewritten.contains(change[0]))
            {
                throw new IllegalStateException(what + " no longer has '" + change[0] + "': update " + owner);
            }
            rewritten = rewritten.replace(change[0], change[1]);
        }
        return rewritten;
    }
}
