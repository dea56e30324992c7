package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real daemon, as a child JVM, driven from outside: signals, exit codes and messages.
 */
class DaemonProcessTest extends DaemonTest
{
    private static final String INPUT = "my-topic";
    private static final String OUTPUT = "aggregated-topic";
    private static final String GROUP = "ringflow-seed-sliding-sum";

    @Test
    void shouldDrainCommitAndExitZeroOnSigterm() throws Exception
    {
        final long seed = TestSeeds.seed("shouldDrainCommitAndExitZeroOnSigterm");
        final Random random = new Random(seed);
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
        broker.createTopic(INPUT, 3);
        final KafkaTestSupport kafka = new KafkaTestSupport(broker.bootstrapServers());
        kafka.produce(INPUT, records(random, 5_000));

        daemon = start("run", "--pipeline", SeedPipelinesTest.EXAMPLES.resolve("seed-sliding-sum.yaml").toString(),
            "--bootstrap-servers", broker.bootstrapServers(), "--status-interval", "1",
            "--journal-dir", dir.resolve("journal").toString());
        final List<String[]> whileRunning = records(random, 5_000);
        whileRunning.add(100, new String[] { "key-1", "not a number" });
        kafka.produce(INPUT, whileRunning);
        kafka.readUntil(OUTPUT, read -> read.size() >= 10_000, 60_000);
        KafkaTestSupport.awaitUntil("a status line", () -> stderr().contains("out "), 30_000);

        daemon.destroy();

        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(daemon.exitValue()).as(stderr()).isZero();
        assertThat(stderr()).contains("SIGTERM received: draining and stopping").contains("bad input 1");
        final List<KafkaTestSupport.Read> inputs = kafka.readAll(INPUT);
        assertThat(KafkaTestSupport.valuesByKey(kafka.readAll(OUTPUT)))
            .isEqualTo(KafkaTestSupport.slidingSums(inputs, 5));
        assertThat(kafka.committedOffsets(GROUP, INPUT)).isEqualTo(kafka.endOffsets(INPUT));
    }

    @Test
    void shouldExitTwoNamingTheFieldOfABadPipelineFile() throws Exception
    {
        final Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "source:\n  topics: [in]\ntasks:\n  - type: window\n    range: -3\n" +
            "    aggregation: sum\nsink:\n  topic: out\n");

        daemon = start("run", "--pipeline", bad.toString());

        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isEqualTo(2);
        assertThat(stderr()).contains(bad + ":5: tasks[0].range: expected an integer >= 1, was -3")
            .doesNotContain("Exception");
    }

    @Test
    void shouldExitOneWithAClearMessageWhenKafkaIsUnreachable() throws Exception
    {
        daemon = start("run", "--pipeline", SeedPipelinesTest.EXAMPLES.resolve("seed-transform.yaml").toString(),
            "--bootstrap-servers", "127.0.0.1:1", "--connect-timeout", "2");

        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isEqualTo(1);
        assertThat(stderr()).contains("cannot reach Kafka at 127.0.0.1:1").doesNotContain("\tat ");
    }

    @Test
    void shouldExitTwoOnUnknownOptionsAndZeroOnHelp() throws Exception
    {
        daemon = start("run", "--pipeline", "x.yaml", "--bogus");
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isEqualTo(2);
        assertThat(stderr()).contains("Unknown option: '--bogus'");

        daemon = start("run", "--help");
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isZero();
        assertThat(stdout()).contains("--pipeline=FILE").contains("--bootstrap-servers").contains("Exit codes");
    }

    private Process start(final String... args) throws IOException
    {
        return new ProcessBuilder(ringflowCommand(List.of(args)))
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    }

    /** The command line that runs {@code ringflow args} in a child JVM with this test's class path and flags. */
    static List<String> ringflowCommand(final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RingflowCommand.class.getName());
        command.addAll(args);
        if (!args.isEmpty() && args.get(0).equals("run") && !args.contains("--metrics-bind"))
        {
            // Several daemons may run at once (and beside a developer's own): each on a free metrics port.
            command.addAll(List.of("--metrics-bind", "127.0.0.1:0"));
        }
        return command;
    }

    /** The module and Chronicle flags this test JVM runs with, which the daemon JVM needs too. */
    static List<String> jvmFlags()
    {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle."))
            .toList();
    }

    private String stderr()
    {
        return read(dir.resolve("stderr.txt"));
    }

    private String stdout()
    {
        return read(dir.resolve("stdout.txt"));
    }

    /** A file the daemon writes, as it is now; empty while it does not exist. */
    static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    /** {@code count} integers between -1000 and 1000 over 10 keys. */
    static List<String[]> records(final Random random, final int count)
    {
        final List<String[]> records = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            records.add(new String[] { "key-" + random.nextInt(10), Integer.toString(random.nextInt(2001) - 1000) });
        }
        return records;
    }
}
