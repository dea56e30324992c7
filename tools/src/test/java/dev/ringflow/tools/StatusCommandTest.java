package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import dev.ringflow.io.metrics.MetricsServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringflow status} against a real daemon (a child JVM running {@code ringflow run} on the embedded broker),
 * and its exit codes when the daemon is not ready or not there.
 */
class StatusCommandTest extends DaemonTest
{

    @Test
    void shouldPrintARunningDaemonsFiguresAndExitZeroOnceItIsReady() throws Exception
    {
        final Random random = new Random(TestSeeds.seed("shouldPrintARunningDaemonsFigures"));
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context());
        broker.createTopic("my-topic", 3);
        final KafkaTestSupport kafka = new KafkaTestSupport(broker.bootstrapServers());
        final List<String[]> input = new ArrayList<>();
        for (int i = 0; i < 1_000; i++)
        {
            input.add(new String[] { "key-" + random.nextInt(10), Integer.toString(random.nextInt(100)) });
        }
        input.add(new String[] { "key-1", "not a number" });
        kafka.produce("my-topic", input);

        daemon = new ProcessBuilder(DaemonProcessTest.ringflowCommand(List.of("run", "--pipeline",
            SeedPipelinesTest.EXAMPLES.resolve("seed-sliding-sum.yaml").toString(), "--bootstrap-servers",
            broker.bootstrapServers(), "--journal-dir", dir.resolve("journal").toString(), "--metrics-bind",
            "127.0.0.1:0", "--status-interval", "0")))
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
        final String[] url = { DaemonEndpoint.awaitUrl(() -> read(dir.resolve("stderr.txt")), 60_000) };
        final String[] output = new String[1];
        KafkaTestSupport.awaitUntil("status says ready, with every input in and no lag", () ->
        {
            final Run run = status("--url", url[0]);
            output[0] = run.out;
            return run.exitCode == 0 && !run.out.contains("none yet") && run.out.contains("total in 1,001 ") && run.out.contains("my-topic-0 0  ") &&
                run.out.contains("my-topic-1 0  ") && run.out.contains("my-topic-2 0\n");
        }, 60_000);

        System.out.println(output[0]);
        assertThat(output[0]).startsWith("READY\npipeline seed-sliding-sum\n")
            .contains("out 1,000\n")
            .contains("errors   bad input 1  dead-lettered 1  late 0")
            .containsPattern("latency  end to end p50 [0-9.]+ ms  p99 [0-9.]+ ms  p99.9 [0-9.]+ ms")
            .containsPattern("engine   ring [0-9,]+/[0-9,]+ slots  worker busy [0-9]+%  last commit [0-9.]+ s ago, took [0-9.]+ ms");
        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isZero();
    }

    @Test
    void shouldExitOneWithTheReasonWhenTheDaemonIsNotReady()
    {
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0)))
        {
            final Run run = status("--url", server.url().toString());

            assertThat(run.exitCode).isEqualTo(1);
            assertThat(run.out).isEqualTo("NOT READY: starting: no pipeline is running yet\n");
        }
    }

    @Test
    void shouldExitTwoWhenNoDaemonAnswers() throws IOException
    {
        final int port;
        try (ServerSocket free = new ServerSocket(0))
        {
            port = free.getLocalPort();
        }

        final Run run = status("--url", "http://127.0.0.1:" + port, "--timeout", "2");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("cannot reach a daemon at http://127.0.0.1:" + port);
    }

    @Test
    void shouldRefuseToRunWhenTheMetricsPortIsTaken() throws IOException
    {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            final Run run = run("run", "--pipeline", SeedPipelinesTest.EXAMPLES.resolve("seed-transform.yaml")
                .toString(), "--bootstrap-servers", "127.0.0.1:1", "--metrics-bind", "127.0.0.1:" +
                taken.getLocalPort());

            assertThat(run.exitCode).isEqualTo(1);
            assertThat(run.err).contains("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort())
                .contains("--metrics-bind HOST:PORT, HOST:0 for any free port, or --metrics-bind off")
                .doesNotContain("\tat ");
        }
    }

    /** One in-process run of the command line. */
    private record Run(int exitCode, String out, String err)
    {
    }

    private static Run status(final String... args)
    {
        final String[] all = new String[args.length + 1];
        all[0] = "status";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(all);
    }

    private static synchronized Run run(final String... args)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try
        {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            final int exitCode = RingflowCommand.execute(args);
            return new Run(exitCode, outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String read(final Path file)
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
}
