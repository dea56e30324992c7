package dev.ringflow.io.kafka;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class KafkaLoginFailureTest
{
    private static final String SERVERS = "broker-1:9093";
    private static final String REFUSED =
        "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512";

    @Test
    void shouldSayWhoWasRefusedByWhichMechanismWithTheBrokersReasonAndWhatToCheck()
    {
        final Map<String, String> kafka = scram("username=\"ringflow\" password=\"s3cret-value\"");

        final KafkaUnavailableException refused = KafkaLoginFailure.of(SERVERS, kafka,
            new ExecutionException(new SaslAuthenticationException(REFUSED)));

        assertThat(refused.getMessage()).isEqualTo("Kafka at broker-1:9093 refused the login (SASL SCRAM-SHA-512 " +
            "as user 'ringflow'): " + REFUSED + ". Check sasl.jaas.config (the username, and the password or the " +
            "file or environment variable its ${...} reference reads) and sasl.mechanism.");
        assertThat(refused).hasCauseInstanceOf(SaslAuthenticationException.class);
        assertThat(KafkaOutage.isOutage(refused)).as("a refused login is not waited out").isFalse();
    }

    @Test
    void shouldFindTheRefusalDeepInTheCauseChain()
    {
        final Throwable wrapped = new KafkaException("cannot start",
            new ExecutionException(new IllegalStateException("admin", new SaslAuthenticationException(REFUSED))));

        assertThat(KafkaLoginFailure.find(wrapped)).isInstanceOf(SaslAuthenticationException.class);
        assertThat(KafkaLoginFailure.of(SERVERS, scram("username=\"u\" password=\"p\""), wrapped)).isNotNull();
    }

    @Test
    void shouldNameTheUserThatAConfigProviderResolvedAndNeverThePassword(@TempDir final Path dir) throws Exception
    {
        final Path secrets = Files.writeString(dir.resolve("secrets.properties"),
            "user=resolved-user\npassword=s3cret-value\n");
        final Map<String, String> kafka = scram("username=\"${file:" + secrets + ":user}\" password=\"${file:" +
            secrets + ":password}\"");
        kafka.put("config.providers", "file");
        kafka.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");

        final KafkaUnavailableException refused = KafkaLoginFailure.of(SERVERS, kafka,
            new SaslAuthenticationException("the broker repeated s3cret-value"));

        assertThat(refused.getMessage()).contains("as user 'resolved-user'")
            .contains("the broker repeated [hidden]")
            .doesNotContain("s3cret-value");
    }

    @Test
    void shouldSayThatATlsHandshakeFailedWithTheJdksReason()
    {
        final KafkaUnavailableException refused = KafkaLoginFailure.of(SERVERS, scram("username=u password=p"),
            new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("unable to find valid certification path to requested target")));

        assertThat(refused.getMessage()).startsWith("the TLS handshake with Kafka at broker-1:9093 failed: SSL " +
            "handshake failed (unable to find valid certification path to requested target). Check " +
            "ssl.truststore.location");
    }

    @Test
    void shouldSayWhenNoUserNameWasGiven()
    {
        final Map<String, String> kafka = new LinkedHashMap<>();
        kafka.put("sasl.mechanism", "PLAIN");

        assertThat(KafkaLoginFailure.of(SERVERS, kafka, new SaslAuthenticationException(REFUSED)).getMessage())
            .contains("refused the login (SASL PLAIN, no username in sasl.jaas.config)");
    }

    @Test
    void shouldLeaveOutagesAndOtherRefusalsAlone()
    {
        final Map<String, String> kafka = scram("username=\"u\" password=\"p\"");

        assertThat(KafkaLoginFailure.of(SERVERS, kafka, new ExecutionException(new TimeoutException("no answer"))))
            .isNull();
        assertThat(KafkaLoginFailure.of(SERVERS, kafka, new TopicAuthorizationException(Set.of("out")))).isNull();
        assertThat(KafkaLoginFailure.of(SERVERS, kafka, new java.util.concurrent.TimeoutException())).isNull();
    }

    private static Map<String, String> scram(final String options)
    {
        final Map<String, String> kafka = new LinkedHashMap<>();
        kafka.put("bootstrap.servers", SERVERS);
        kafka.put("security.protocol", "SASL_SSL");
        kafka.put("sasl.mechanism", "SCRAM-SHA-512");
        kafka.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required " + options +
            ";");
        return kafka;
    }
}
