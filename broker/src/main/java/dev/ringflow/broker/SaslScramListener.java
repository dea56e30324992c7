package dev.ringflow.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The second listener of an {@link EmbeddedKafkaBroker} that asked for one: SASL_SSL with SCRAM-SHA-512 for one
 * user, beside the PLAINTEXT listener the broker, its controller and tests' setup keep using.
 * <p>
 * <b>Note:</b> The user's credential is created through the PLAINTEXT listener once the broker runs (an upsert, so
 * a restart on a kept directory takes a changed password); the password is never put in broker properties.
 */
final class SaslScramListener implements AutoCloseable
{
    static final String LISTENER = "SASL_SSL";
    static final String MECHANISM = "SCRAM-SHA-512";
    /** Kafka's minimum for SCRAM-SHA-512, which keeps start-up fast; a test broker needs no more. */
    private static final int ITERATIONS = 4096;
    private static final String LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final TlsStores stores;

    private SaslScramListener(final String host, final int port, final String user, final String password,
        final TlsStores stores)
    {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.stores = stores;
    }

    /** Takes a free port and makes the listener's TLS stores. */
    static SaslScramListener create(final String host, final String user, final String password) throws IOException
    {
        return new SaslScramListener(host, NodeResources.freePort(), user, password, TlsStores.create(host));
    }

    /** The client login for {@code user} with {@code password}, which may be a {@code ${provider:...}} reference. */
    static String jaasConfig(final String user, final String password)
    {
        return LOGIN_MODULE + " required username=" + quoted(user) + " password=" + quoted(password) + ";";
    }

    String bootstrapServers()
    {
        return host + ":" + port;
    }

    /** What a client needs to reach this listener, except its login ({@code sasl.jaas.config}). */
    Map<String, String> clientProperties()
    {
        final Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("security.protocol", LISTENER);
        props.put("sasl.mechanism", MECHANISM);
        props.put("ssl.truststore.location", stores.truststore().toString());
        props.put("ssl.truststore.password", stores.password());
        props.put("ssl.truststore.type", TlsStores.STORE_TYPE);
        return props;
    }

    /** Adds the listener to a broker's properties, whose {@code listeners} lists the PLAINTEXT one already. */
    void addTo(final Properties props)
    {
        final String listener = LISTENER + "://" + bootstrapServers();
        props.put("listeners", props.getProperty("listeners") + "," + listener);
        props.put("advertised.listeners", props.getProperty("advertised.listeners") + "," + listener);
        props.put("listener.security.protocol.map",
            props.getProperty("listener.security.protocol.map") + "," + LISTENER + ":" + LISTENER);
        final String prefix = "listener.name." + LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        props.put(prefix + "sasl.enabled.mechanisms", MECHANISM);
        props.put(prefix + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
            LOGIN_MODULE + " required;");
        props.put(prefix + "ssl.keystore.type", TlsStores.STORE_TYPE);
        props.put(prefix + "ssl.keystore.location", stores.keystore().toString());
        props.put(prefix + "ssl.keystore.password", stores.password());
        props.put(prefix + "ssl.key.password", stores.password());
    }

    /**
     * Creates or updates the user's credential through {@code admin} and waits until this listener accepts the
     * login: the broker applies the controller's record a moment after the request returns.
     *
     * @throws IllegalStateException when the listener does not accept the login within {@code timeoutMs}.
     */
    void createCredential(final Admin admin, final long timeoutMs)
    {
        try
        {
            upsertCredentialAndAwaitLogin(admin, timeoutMs);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the SCRAM user", ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException("the SASL listener on " + bootstrapServers() + " did not accept user '" +
                user + "' within " + timeoutMs + " ms: " + ex.getMessage(), ex);
        }
    }

    private void upsertCredentialAndAwaitLogin(final Admin admin, final long timeoutMs)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password)))
            .all().get(timeoutMs, TimeUnit.MILLISECONDS);
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final Properties props = new Properties();
        props.putAll(clientProperties());
        props.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(user, password));
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "ringflow-embedded-broker-sasl-check");
        while (true)
        {
            try (Admin sasl = Admin.create(props))
            {
                sasl.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
                return;
            }
            catch (final ExecutionException ex)
            {
                if (!(ex.getCause() instanceof AuthenticationException) || System.nanoTime() - deadlineNs > 0)
                {
                    throw ex;
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @Override
    public void close()
    {
        stores.close();
    }

    /** A JAAS option value in double quotes, with the quotes and backslashes in it escaped. */
    private static String quoted(final String value)
    {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
