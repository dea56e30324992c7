package dev.ringflow.io.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a login Kafka refused (SASL credentials it rejected, a TLS handshake that failed) from other failures, and
 * says it in one sentence that names the servers, the mechanism and the user, never the password.
 * <p>
 * <b>Note:</b> A refused login is no outage: Kafka answered, and asking again with the same settings gets the same
 * answer, so it is reported at once instead of waited out.
 */
final class KafkaLoginFailure
{
    private static final int MAX_CAUSE_DEPTH = 32;
    private static final Pattern USERNAME = jaasOption("username");
    private static final Pattern PASSWORD = jaasOption("password");

    private KafkaLoginFailure()
    {
    }

    /**
     * The refused login in {@code failure}'s cause chain, as a {@link KafkaUnavailableException} whose message says
     * what Kafka refused and what to check; null when the chain holds no {@link AuthenticationException}.
     *
     * @param servers the bootstrap servers the client was given.
     * @param kafka   the client properties, for the mechanism and user name (and the password, to keep it out).
     */
    static KafkaUnavailableException of(final String servers, final Map<String, String> kafka,
        final Throwable failure)
    {
        final AuthenticationException refusal = find(failure);
        if (null == refusal)
        {
            return null;
        }
        final String jaas = resolvedJaasConfig(kafka);
        final String reason = withoutPassword(refusal instanceof SslAuthenticationException ?
            withInnermostCause(refusal) : refusal.getMessage(), jaas);
        final String message;
        if (refusal instanceof SslAuthenticationException)
        {
            message = "the TLS handshake with Kafka at " + servers + " failed: " + reason + ". Check " +
                "ssl.truststore.location and ssl.truststore.password (the truststore must hold the certificate " +
                "that signed the broker's, and that certificate must name the host) and security.protocol.";
        }
        else
        {
            final String mechanism = kafka.getOrDefault(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM);
            final String user = option(USERNAME, jaas);
            message = "Kafka at " + servers + " refused the login (SASL " + mechanism +
                (null == user ? ", no username in sasl.jaas.config" : " as user '" + user + "'") + "): " + reason +
                ". Check sasl.jaas.config (the username, and the password or the file or environment variable its " +
                "${...} reference reads) and sasl.mechanism.";
        }
        return new KafkaUnavailableException(message, refusal);
    }

    /** The first {@link AuthenticationException} in {@code failure}'s cause chain, or null. */
    static AuthenticationException find(final Throwable failure)
    {
        Throwable cause = failure;
        for (int depth = 0; null != cause && depth < MAX_CAUSE_DEPTH; depth++)
        {
            if (cause instanceof AuthenticationException authentication)
            {
                return authentication;
            }
            cause = cause.getCause();
        }
        return null;
    }

    /**
     * {@code sasl.jaas.config} with its {@code ${...}} references resolved as the clients resolve them, so that the
     * user name is the one that was refused and the password can be kept out of the message; the raw value when
     * they cannot be resolved, null when there is none.
     */
    private static String resolvedJaasConfig(final Map<String, String> kafka)
    {
        final String raw = kafka.get(SaslConfigs.SASL_JAAS_CONFIG);
        if (null == raw)
        {
            return null;
        }
        try
        {
            final Password resolved = new AdminClientConfig(KafkaClientProperties.admin(kafka))
                .getPassword(SaslConfigs.SASL_JAAS_CONFIG);
            return null == resolved ? raw : resolved.value();
        }
        catch (final RuntimeException ex)
        {
            return raw;
        }
    }

    /** {@code text} with the password, where it stands as a word of its own, replaced by {@code [hidden]}. */
    private static String withoutPassword(final String text, final String jaas)
    {
        final String password = option(PASSWORD, jaas);
        if (null == text || null == password || password.isEmpty())
        {
            return text;
        }
        return text.replaceAll("(?<![A-Za-z0-9])" + Pattern.quote(password) + "(?![A-Za-z0-9])", "[hidden]");
    }

    /** "SSL handshake failed (unable to find valid certification path ...)": Kafka's words, then the JDK's. */
    private static String withInnermostCause(final Throwable failure)
    {
        String innermost = null;
        Throwable cause = failure.getCause();
        for (int depth = 0; null != cause && depth < MAX_CAUSE_DEPTH; depth++)
        {
            if (null != cause.getMessage())
            {
                innermost = cause.getMessage();
            }
            cause = cause.getCause();
        }
        return null == innermost || innermost.equals(failure.getMessage()) ? failure.getMessage() :
            failure.getMessage() + " (" + innermost + ")";
    }

    /** The value of a JAAS option, quoted (with backslash escapes) or bare, or null when it is absent. */
    private static String option(final Pattern pattern, final String jaas)
    {
        if (null == jaas)
        {
            return null;
        }
        final Matcher matcher = pattern.matcher(jaas);
        if (!matcher.find())
        {
            return null;
        }
        return null != matcher.group(1) ? matcher.group(1).replaceAll("\\\\(.)", "$1") : matcher.group(2);
    }

    private static Pattern jaasOption(final String name)
    {
        return Pattern.compile("(?<![\\w.])" + name + "\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s;\"]+))");
    }
}
