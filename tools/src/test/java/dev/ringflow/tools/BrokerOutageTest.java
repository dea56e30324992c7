package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real daemon (a child JVM on the seed sliding-sum pipeline, exactly once with its journal) while its only
 * Kafka broker goes away and comes back on the same port and data: it must stay up, say it is not ready meanwhile,
 * resume by itself, and leave the output topic, read as committed, equal to the oracle (no gap, no duplicate).
 * <p>
 * The outage lasts {@code -Dringflow.outage.seconds} (default 40, to keep CI short; the documented runs in
 * docs/recovery.md use 60 and 600): longer than the producer's {@code max.block.ms} of 30 s, so a commit under
 * way when the broker went fails with its outcome unknown and the daemon has to recover from its journal.
 */
class BrokerOutageTest extends DaemonTest
{
    private static final String INPUT = "my-topic";
    private static final String OUTPUT = "aggregated-topic";
    private static final Path PIPELINE = SeedPipelinesTest.EXAMPLES.resolve("seed-sliding-sum.yaml");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // the documented 10-minute outage runs past the 10-minute default
    void shouldStayUpThroughABrokerOutageMidStreamAndEmitEveryOutputOnce() throws Exception
    {
        final long outageMs = TimeUnit.SECONDS.toMillis(Long.getLong("ringflow.outage.seconds", 40));
        final Random random = new Random(TestSeeds.seed("shouldStayUpThroughABrokerOutageMidStream"));
        final EmbeddedKafkaBroker.Context context = brokerContext();
        broker = EmbeddedKafkaBroker.start(context);
        broker.createTopic(INPUT, 3);
        final KafkaTestSupport kafka = new KafkaTestSupport(broker.bootstrapServers());
        daemon = startDaemon();
        final String url = metricsUrl();
        awaitReady(url, 200, 60_000);

        // A steady stream, so that the broker goes while the daemon has a transaction with outputs open.
        final SteadyStream stream = new SteadyStream(kafka, random);
        stream.start();
        kafka.readUntil(OUTPUT, read -> read.size() >= 2_000, 60_000);
        stream.stop();
        broker.close();
        final long downSinceMs = System.currentTimeMillis();
        System.out.println("broker stopped after " + stream.produced() + " records");

        awaitReady(url, 503, 30_000);
        System.out.println("not ready: " + readyBody(url));
        while (System.currentTimeMillis() - downSinceMs < outageMs)
        {
            assertThat(daemon.isAlive()).as("the daemon exited during the outage: " + tail(log())).isTrue();
            assertThat(readyStatus(url)).as("readiness during the outage").isEqualTo(503);
            TimeUnit.MILLISECONDS.sleep(500);
        }
        assertThat(daemon.isAlive()).as(tail(log())).isTrue();

        broker = EmbeddedKafkaBroker.start(context);
        final long upAgainMs = System.currentTimeMillis();
        System.out.println("broker restarted after " + (upAgainMs - downSinceMs) + " ms");
        awaitReady(url, 200, 120_000);
        System.out.println("daemon ready again " + (System.currentTimeMillis() - upAgainMs) + " ms after the restart");
        final SteadyStream more = new SteadyStream(kafka, random);
        more.start();
        KafkaTestSupport.awaitUntil("5,000 more records", () -> more.produced() >= 5_000, 60_000);
        more.stop();
        assertOutputsExactAndStopCleanly(kafka, stream.produced() + more.produced());
    }

    /**
     * A daemon started while its broker is down waits (saying so every few seconds, not ready meanwhile) instead
     * of giving up, and once the broker is back 20 s later processes what was there and what comes after exactly.
     */
    @Test
    void shouldWaitForABrokerThatIsDownAtStart() throws Exception
    {
        final Random random = new Random(TestSeeds.seed("shouldWaitForABrokerThatIsDownAtStart"));
        final EmbeddedKafkaBroker.Context context = brokerContext();
        broker = EmbeddedKafkaBroker.start(context);
        broker.createTopic(INPUT, 3);
        final KafkaTestSupport kafka = new KafkaTestSupport(broker.bootstrapServers());
        final SteadyStream before = new SteadyStream(kafka, random);
        before.start();
        KafkaTestSupport.awaitUntil("2,000 records", () -> before.produced() >= 2_000, 60_000);
        before.stop();
        broker.close();

        daemon = startDaemon();
        final long startedMs = System.currentTimeMillis();
        final String url = metricsUrl();
        KafkaTestSupport.awaitUntil("the daemon says it waits for Kafka",
            () -> log().contains("waiting for Kafka at " + broker.bootstrapServers()), 60_000);
        assertThat(readyStatus(url)).as("readiness while waiting").isEqualTo(503);
        KafkaTestSupport.awaitUntil("20 s since the daemon started, alive",
            () -> System.currentTimeMillis() - startedMs >= 20_000 || !daemon.isAlive(), 60_000);
        assertThat(daemon.isAlive()).as("the daemon gave up: " + tail(log())).isTrue();
        assertThat(readyStatus(url)).as("readiness while waiting").isEqualTo(503);

        broker = EmbeddedKafkaBroker.start(context);
        awaitReady(url, 200, 120_000);
        final SteadyStream after = new SteadyStream(kafka, random);
        after.start();
        KafkaTestSupport.awaitUntil("2,000 more records", () -> after.produced() >= 2_000, 60_000);
        after.stop();
        assertOutputsExactAndStopCleanly(kafka, before.produced() + after.produced());
        assertThat(log()).contains("Kafka at " + broker.bootstrapServers() + " answered after");
    }

    /** A daemon waiting for Kafka has nothing to drain: a signal ends the wait and it exits 0. */
    @Test
    void shouldExitZeroOnSigtermWhileWaitingForKafka() throws Exception
    {
        final String servers = "127.0.0.1:" + freePort();
        daemon = startDaemon(servers);
        KafkaTestSupport.awaitUntil("the daemon says it waits for Kafka",
            () -> log().contains("waiting for Kafka at " + servers), 60_000);

        daemon.destroy();

        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(daemon.exitValue()).as(tail(log())).isZero();
        assertThat(log()).contains("SIGTERM received while waiting for Kafka: stopped");
    }

    private void assertOutputsExactAndStopCleanly(final KafkaTestSupport kafka, final long total) throws Exception
    {
        kafka.readUntil(OUTPUT, read -> read.size() >= total, 120_000);
        assertThat(daemon.isAlive()).as(tail(log())).isTrue();
        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(daemon.exitValue()).as(tail(log())).isZero();
        final List<KafkaTestSupport.Read> inputs = kafka.readAll(INPUT);
        assertThat(inputs).hasSize((int) total);
        final List<KafkaTestSupport.Read> outputs = kafka.readAll(OUTPUT);
        assertThat(outputs).hasSize((int) total);
        assertThat(KafkaTestSupport.valuesByKey(outputs)).isEqualTo(KafkaTestSupport.slidingSums(inputs, 5));
        log().lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") ||
            line.contains("recovered from journal") || line.contains("Kafka")).forEach(System.out::println);
    }

    /** A fixed client and controller port and a kept data directory, so that the broker can come back as itself. */
    private EmbeddedKafkaBroker.Context brokerContext() throws IOException
    {
        return new EmbeddedKafkaBroker.Context().port(freePort()).controllerPort(freePort())
            .logDir(dir.resolve("kafka"));
    }

    private Process startDaemon() throws IOException
    {
        return startDaemon(broker.bootstrapServers());
    }

    private Process startDaemon(final String servers) throws IOException
    {
        return new ProcessBuilder(DaemonProcessTest.ringflowCommand(List.of("run", "--pipeline", PIPELINE.toString(),
            "--bootstrap-servers", servers, "--journal-dir", dir.resolve("journal").toString(),
            "--status-interval", "1")))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("daemon.log").toFile())
            .start();
    }

    private String metricsUrl()
    {
        return DaemonEndpoint.awaitUrl(this::log, 60_000);
    }

    private void awaitReady(final String url, final int status, final long timeoutMs)
    {
        try
        {
            KafkaTestSupport.awaitUntil("/health/ready answers " + status, () -> readyStatus(url) == status,
                timeoutMs);
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + "\n" + tail(log()), ex);
        }
    }

    private static int readyStatus(final String url)
    {
        try
        {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health/ready")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (final IOException ex)
        {
            return -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String readyBody(final String url) throws IOException, InterruptedException
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private String log()
    {
        try
        {
            final Path file = dir.resolve("daemon.log");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private static String tail(final String text)
    {
        return text.substring(Math.max(0, text.length() - 6_000));
    }
}
