package dev.ringflow.tools;

import dev.ringflow.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real daemon, as a child JVM, on a broker that lets clients in only over SASL_SSL with SCRAM-SHA-512: the seed
 * pipeline logs in with a password its file only references (read from a file, or from an environment variable),
 * its outputs equal the oracle, and the password is nowhere in what the daemon logs or serves; a wrong password
 * stops it at once with exit 1 and a sentence saying the login was refused, and so does a password changed on the
 * broker while it runs, when Kafka makes it log in again.
 */
@Timeout(180)
class SaslDaemonTest extends DaemonTest
{
    private static final String INPUT = "my-topic";
    private static final String OUTPUT = "aggregated-topic";
    private static final String USER = "ringflow";
    private static final String PASSWORD = "Scram-Secret-9c41e7";
    private static final String PASSWORD_VARIABLE = "RINGFLOW_TEST_KAFKA_PASSWORD";
    private static final int RECORDS_BEFORE_START = 2_000;
    private static final int RECORDS_WHILE_RUNNING = 2_000;

    @Test
    void shouldLogInWithAPasswordReadFromAFile() throws Exception
    {
        final Path secrets = Files.writeString(dir.resolve("kafka-secrets.properties"), "password=" + PASSWORD + "\n");

        runSeedPipeline("${file:" + secrets + ":password}", Map.of());
    }

    @Test
    void shouldLogInWithAPasswordReadFromAnEnvironmentVariable() throws Exception
    {
        runSeedPipeline("${env:" + PASSWORD_VARIABLE + "}", Map.of(PASSWORD_VARIABLE, PASSWORD));
    }

    @Test
    void shouldExitOneSayingTheLoginWasRefusedWhenThePasswordIsWrong() throws Exception
    {
        final String wrong = "Wrong-Secret-5b2d80";
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context().saslScramUser(USER, PASSWORD));

        final long startNs = System.nanoTime();
        daemon = startDaemon(writePipeline(wrong), Map.of());

        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s: " + log()).isTrue();
        System.out.printf("refused login: exit %d after %d ms%n", daemon.exitValue(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
        assertThat(daemon.exitValue()).as(log()).isEqualTo(1);
        assertThat(log()).contains("ringflow: Kafka at " + broker.saslBootstrapServers() + " refused the login " +
                "(SASL SCRAM-SHA-512 as user 'ringflow'): Authentication failed during authentication due to " +
                "invalid credentials with SASL mechanism SCRAM-SHA-512. Check sasl.jaas.config")
            .doesNotContain("cannot reach Kafka")
            .doesNotContain(wrong)
            .doesNotContain(PASSWORD);
    }

    @Test
    void shouldExitOneSayingTheLoginWasRefusedWhenThePasswordChangesWhileItRuns() throws Exception
    {
        final String rotated = "Rotated-Secret-71fa3c";
        // The broker makes every SASL client log in again after this long, as it would with this setting in
        // production: the daemon then meets the changed password without any broker or network going away.
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context().saslScramUser(USER, PASSWORD)
            .property("connections.max.reauth.ms", "3000"));
        broker.createTopic(INPUT, 3);
        final Map<String, String> client = new LinkedHashMap<>(broker.saslClientProperties());
        client.put("sasl.jaas.config", EmbeddedKafkaBroker.scramJaasConfig(USER, PASSWORD));
        final KafkaTestSupport kafka = new KafkaTestSupport(client);
        final Random random = new Random(TestSeeds.seed("SaslDaemonTest rotated password"));
        kafka.produce(INPUT, DaemonProcessTest.records(random, RECORDS_BEFORE_START));
        daemon = startDaemon(writePipeline(PASSWORD), Map.of());
        kafka.readUntil(OUTPUT, read -> read.size() >= RECORDS_BEFORE_START, 60_000);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers())))
        {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), rotated)))
                .all().get(30, TimeUnit.SECONDS);
        }
        final long changedNs = System.nanoTime();

        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s of the change: " + log()).isTrue();
        System.out.printf("login refused while running: exit %d %d ms after the password changed%n",
            daemon.exitValue(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changedNs));
        assertThat(daemon.exitValue()).as(log()).isEqualTo(1);
        // Which client meets the new password first, and whether on a re-authentication or a reconnect, varies.
        assertThat(log()).contains("ringflow: pipeline 'seed-sliding-sum' stopped: Kafka at " +
                broker.saslBootstrapServers() + " refused the login (SASL SCRAM-SHA-512 as user 'ringflow'): " +
                "Authentication failed during ")
            .contains("authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512. Check " +
                "sasl.jaas.config")
            .doesNotContain("starting it again from its journal")
            .doesNotContain("waiting for Kafka")
            .doesNotContain(PASSWORD)
            .doesNotContain(rotated);
    }

    /**
     * Runs the seed sliding sum over SASL with the password given as {@code passwordReference}, and checks its
     * outputs, its log and its endpoint.
     */
    private void runSeedPipeline(final String passwordReference, final Map<String, String> environment)
        throws Exception
    {
        final Random random = new Random(TestSeeds.seed("SaslDaemonTest " + passwordReference));
        broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Context().saslScramUser(USER, PASSWORD));
        broker.createTopic(INPUT, 3);
        final Map<String, String> client = new LinkedHashMap<>(broker.saslClientProperties());
        client.put("sasl.jaas.config", EmbeddedKafkaBroker.scramJaasConfig(USER, PASSWORD));
        final KafkaTestSupport kafka = new KafkaTestSupport(client);
        kafka.produce(INPUT, DaemonProcessTest.records(random, RECORDS_BEFORE_START));

        final long startNs = System.nanoTime();
        daemon = startDaemon(writePipeline(passwordReference), environment);
        kafka.produce(INPUT, DaemonProcessTest.records(random, RECORDS_WHILE_RUNNING));
        kafka.readUntil(OUTPUT, read -> read.size() >= RECORDS_BEFORE_START + RECORDS_WHILE_RUNNING, 60_000);
        System.out.printf("every output over SASL %d ms after the daemon's start%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));

        final String url = DaemonEndpoint.awaitUrl(this::log, 30_000);
        final String metrics = DaemonEndpoint.get(url, "/metrics");
        final String status = DaemonEndpoint.get(url, "/status.json");
        assertThat(metrics).contains("ringflow_events_in");
        assertThat(status).contains("\"name\":\"seed-sliding-sum\"");
        final String truststorePassword = client.get("ssl.truststore.password");
        for (final String served : List.of(metrics, status))
        {
            assertThat(served).doesNotContain(PASSWORD).doesNotContain(truststorePassword);
        }

        daemon.destroy();
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(daemon.exitValue()).as(log()).isZero();
        assertThat(log()).contains("SIGTERM received: draining and stopping")
            .doesNotContain(PASSWORD)
            .doesNotContain(truststorePassword);
        assertThat(KafkaTestSupport.valuesByKey(kafka.readAll(OUTPUT)))
            .isEqualTo(KafkaTestSupport.slidingSums(kafka.readAll(INPUT), 5));
    }

    /**
     * The seed sliding-sum pipeline with a {@code kafka} section for the broker's SASL_SSL listener, logging in with
     * {@code password} as written (a {@code ${...}} reference, or the password itself).
     */
    private Path writePipeline(final String password) throws IOException
    {
        final Map<String, String> kafka = new LinkedHashMap<>(broker.saslClientProperties());
        kafka.put("config.providers", "file,env");
        kafka.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        kafka.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        kafka.put("sasl.jaas.config", EmbeddedKafkaBroker.scramJaasConfig(USER, password));
        final StringBuilder section = new StringBuilder("kafka:\n");
        kafka.forEach((key, value) -> section.append("  ").append(key).append(": '")
            .append(value.replace("'", "''")).append("'\n"));
        final String seed = Files.readString(SeedPipelinesTest.EXAMPLES.resolve("seed-sliding-sum.yaml"),
            StandardCharsets.UTF_8);
        final String plainKafka = "kafka:\n  bootstrap.servers: localhost:9092\n";
        assertThat(seed).endsWith(plainKafka);
        final Path pipeline = dir.resolve("sasl-sliding-sum.yaml");
        Files.writeString(pipeline, seed.replace(plainKafka, section), StandardCharsets.UTF_8);
        return pipeline;
    }

    private Process startDaemon(final Path pipeline, final Map<String, String> environment) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(DaemonProcessTest.ringflowCommand(List.of("run",
            "--pipeline", pipeline.toString(), "--journal-dir", dir.resolve("journal").toString(),
            "--status-interval", "1")))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("daemon.log").toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private String log()
    {
        return DaemonProcessTest.read(dir.resolve("daemon.log"));
    }
}
