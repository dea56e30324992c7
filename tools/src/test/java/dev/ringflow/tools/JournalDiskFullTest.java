package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real daemon with its journal on a small filesystem (a 64 MiB tmpfs) that fills up mid-stream: it stops with
 * exit 1 and a message saying the disk is full, the journal verifies clean, and once space is freed a restart
 * emits every output exactly once.
 * <p>
 * <b>Note:</b> Mounting needs root (or CAP_SYS_ADMIN); elsewhere the test is skipped, and docs/recovery.md
 * describes the same run by hand.
 */
class JournalDiskFullTest
{
    private static final String OUTPUT = "aggregated-topic";
    private static final long MIB = 1024 * 1024;
    private static final int FILESYSTEM_MIB = 64;
    private static final int MIN_FREE_MIB = 24;

    @TempDir
    Path dir;

    private Path mount;
    private EmbeddedKafkaBroker broker;
    private Process daemon;

    @AfterEach
    void cleanUp() throws Exception
    {
        if (null != daemon)
        {
            daemon.destroyForcibly();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
        if (null != broker)
        {
            broker.close();
        }
        if (null != mount)
        {
            command("umount", mount.toString());
        }
    }

    @Test
    void shouldStopWithExitOneWhenTheJournalDiskFillsAndRecoverExactlyOnceSpaceIsFreed() throws Exception
    {
        mount = dir.resolve("small-disk");
        Files.createDirectories(mount);
        final String mounted = command("mount", "-t", "tmpfs", "-o", "size=" + FILESYSTEM_MIB + "m", "tmpfs",
            mount.toString());
        if (null != mounted)
        {
            mount = null;
        }
        assumeTrue(null == mounted, "cannot mount a small tmpfs here (needs root): " + mounted +
            "; see docs/recovery.md, 'Faults', for the manual run");
        final Random random = new Random(TestSeeds.seed("JournalDiskFullTest"));
        final Path pipeline = dir.resolve("pipeline.yaml");
        Files.writeString(pipeline, Files.readString(SeedPipelinesTest.EXAMPLES.resolve("seed-sliding-sum.yaml"),
            StandardCharsets.UTF_8) + "\njournal:\n  min-free-mb: " + MIN_FREE_MIB + "\n", StandardCharsets.UTF_8);
        final Path journal = mount.resolve("journal");
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
        broker.createTopic("my-topic", 3);
        final KafkaTestSupport kafka = new KafkaTestSupport(broker.bootstrapServers());

        daemon = start(pipeline, journal, "first.log");
        final SteadyStream stream = new SteadyStream(kafka, random);
        stream.start();
        kafka.readUntil(OUTPUT, read -> read.size() >= 2_000, 60_000);
        // Leaves 16 MiB free, below the daemon's 24, while the stream goes on.
        final Path filler = mount.resolve("filler");
        fill(filler, Files.getFileStore(mount).getUsableSpace() - 16 * MIB);

        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("the daemon stops: " + read("first.log")).isTrue();
        assertThat(daemon.exitValue()).isEqualTo(1);
        assertThat(read("first.log")).contains("the journal's disk is full")
            .contains("journal.min-free-mb is " + MIN_FREE_MIB);
        stream.stop();
        assertThat(RingflowCommand.execute("journal", "verify", "--journal", journal.toString()))
            .as("journal verify").isZero();

        Files.delete(filler);
        daemon = start(pipeline, journal, "second.log");
        final long total = stream.produced();
        kafka.readUntil(OUTPUT, read -> read.size() >= total, 120_000);
        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).as(read("second.log")).isZero();
        final List<KafkaTestSupport.Read> inputs = kafka.readAll("my-topic");
        assertThat(inputs).hasSize((int) total);
        final List<KafkaTestSupport.Read> outputs = kafka.readAll(OUTPUT);
        assertThat(outputs).hasSize((int) total);
        assertThat(KafkaTestSupport.valuesByKey(outputs)).isEqualTo(KafkaTestSupport.slidingSums(inputs, 5));
        read("first.log").lines().filter(line -> line.contains("disk is full")).forEach(System.out::println);
        read("second.log").lines().filter(line -> line.contains("recovered from journal"))
            .forEach(System.out::println);
    }

    private Process start(final Path pipeline, final Path journal, final String log) throws IOException
    {
        return new ProcessBuilder(DaemonProcessTest.ringflowCommand(List.of("run", "--pipeline", pipeline.toString(),
            "--bootstrap-servers", broker.bootstrapServers(), "--journal-dir", journal.toString(),
            "--status-interval", "1")))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(log).toFile())
            .start();
    }

    private static void fill(final Path file, final long bytes) throws IOException
    {
        final byte[] chunk = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(file))
        {
            for (long written = 0; written < bytes; written += chunk.length)
            {
                out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
            }
        }
    }

    /** Runs a system command; null when it succeeded, else what went wrong. */
    private static String command(final String... command) throws InterruptedException
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor() == 0 ? null : String.join(" ", command) + ": " + output.trim();
        }
        catch (final IOException ex)
        {
            return String.join(" ", command) + ": " + ex.getMessage();
        }
    }

    private String read(final String log)
    {
        try
        {
            return Files.readString(dir.resolve(log), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}
